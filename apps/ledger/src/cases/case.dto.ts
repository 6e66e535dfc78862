import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  CaseSource,
  DisciplineLevel,
  EthicsSanctionKind,
  RecommendingAuthority,
  SanctionTrack,
} from '@netral/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  IsCalendarDay,
  IsDayOrInstant,
  IsNip,
  NoListItems,
  SHA256_HEX,
  SLUG,
  SLUG_MESSAGE,
} from '../common/validators';

export class EvidenceDto {
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  @Matches(SHA256_HEX, { message: 'SHA-256 dalam 64 digit heksadesimal huruf kecil' })
  sha256!: string;

  @ApiProperty({ example: 'Tangkapan layar unggahan Facebook 28-09-2024' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description!: string;
}

export class ReportViolationDto {
  @ApiProperty({ example: 'pilkada-2024' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId!: string;

  @ApiProperty({ example: '198503122010011002' })
  @IsNip()
  nip!: string;

  @ApiProperty({
    enum: ['BAWASLU_FINDING', 'PUBLIC_REPORT', 'INTERNAL'],
    example: 'BAWASLU_FINDING',
  })
  @IsIn(['BAWASLU_FINDING', 'PUBLIC_REPORT', 'INTERNAL'])
  source!: CaseSource;

  @ApiProperty({ example: 'N06', description: 'Kode perbuatan dari katalog (N01–N11, E01–E02)' })
  @IsString()
  @Matches(/^[A-Z]\d{2}$/, { message: 'kode perbuatan seperti N06 atau E01' })
  actCode!: string;

  @ApiProperty({ example: '2024-09-28' })
  @IsDayOrInstant()
  occurredAt!: string;

  @ApiProperty({ example: 'Membagikan materi kampanye pasangan calon di akun Facebook pribadi' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  summary!: string;

  @ApiPropertyOptional({ type: [EvidenceDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @NoListItems()
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto[];
}

export class VerifyCaseDto {
  @ApiPropertyOptional({ example: 'Klarifikasi terhadap terlapor dilakukan 2 Oktober 2024' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class RecommendationDto {
  @ApiPropertyOptional({ enum: ['MORAL_TERTUTUP', 'MORAL_TERBUKA'] })
  @IsOptional()
  @IsIn(['MORAL_TERTUTUP', 'MORAL_TERBUKA'])
  ethics?: EthicsSanctionKind;

  @ApiPropertyOptional({ enum: ['RINGAN', 'SEDANG', 'BERAT', 'PTDH'] })
  @IsOptional()
  @IsIn(['RINGAN', 'SEDANG', 'BERAT', 'PTDH'])
  discipline?: DisciplineLevel;
}

export class ConfirmViolationDto {
  @ApiProperty({ example: 'Terlapor terbukti membagikan konten kampanye sebanyak 3 kali' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  findings!: string;

  @ApiProperty({ enum: ['KASN', 'BKN', 'OTHER'], example: 'BKN' })
  @IsIn(['KASN', 'BKN', 'OTHER'])
  authority!: RecommendingAuthority;

  @ApiProperty({ type: RecommendationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RecommendationDto)
  recommendation!: RecommendationDto;
}

export class ImposeSanctionDto {
  @ApiProperty({ enum: ['ETHICS', 'DISCIPLINE', 'DISMISSAL'], example: 'DISCIPLINE' })
  @IsIn(['ETHICS', 'DISCIPLINE', 'DISMISSAL'])
  track!: SanctionTrack;

  @ApiProperty({ example: 'TEGURAN_TERTULIS' })
  @IsString()
  @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'kode sanksi dari katalog, mis. TEGURAN_TERTULIS' })
  kind!: string;

  @ApiProperty({ example: '800/1234/BKPSDM/2024' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  decreeNumber!: string;

  @ApiProperty({ example: 'Bupati Bangli' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  decidedBy!: string;

  @ApiProperty({ example: '2024-10-20' })
  @IsCalendarDay()
  decidedAt!: string;

  @ApiProperty({ example: '2024-11-01' })
  @IsCalendarDay()
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '2025-10-31' })
  @IsOptional()
  @IsCalendarDay()
  effectiveUntil?: string;

  @ApiPropertyOptional({
    example: 'Putusan PTUN Denpasar No. 12/G/2024',
    description: 'Wajib untuk PTDH di luar N05',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;
}
