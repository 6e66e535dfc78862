import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EmploymentType, OpdKind } from '@netral/domain';
import { Transform } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { HasLetter, IsNip, SLUG, SLUG_MESSAGE } from '../common/validators';

export const OPD_KINDS: readonly OpdKind[] = [
  'SEKRETARIAT_DAERAH',
  'SEKRETARIAT_DPRD',
  'INSPEKTORAT',
  'DINAS',
  'BADAN',
  'KECAMATAN',
  'KELURAHAN',
  'RSUD',
  'SATPOL_PP',
  'LAINNYA',
];

export class RegisterOpdDto {
  @ApiProperty({ example: 'dinas-kesehatan' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  opdId!: string;

  @ApiProperty({
    example: '1.02.01',
    description:
      'Kode OPD (SIASN / Kemendagri); unik di antara OPD aktif, dibandingkan tanpa spasi di tepi dan tanpa membedakan huruf besar/kecil',
  })
  // Spaces around a pasted code are not part of it.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Matches(/^[0-9A-Za-z.\-/]{1,32}$/, {
    message: 'kode OPD: angka, huruf, titik, garis miring atau tanda hubung',
  })
  code!: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  name!: string;

  @ApiProperty({ enum: OPD_KINDS, example: 'DINAS' })
  @IsIn(OPD_KINDS)
  kind!: OpdKind;

  @ApiPropertyOptional({ example: '51.06' })
  @IsOptional()
  @Matches(/^\d{2}(\.\d{2}){0,3}$/, { message: 'kode wilayah Kemendagri, mis. 51.06' })
  regionCode?: string;

  @ApiPropertyOptional({ example: 'sekretariat-daerah' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  parentOpdId?: string;
}

export class AppointHeadDto {
  @ApiProperty({ example: '197201152000031001' })
  @IsNip()
  nip!: string;
}

export class RenameOpdDto {
  @ApiProperty({ example: 'Dinas Kesehatan Kabupaten Bangli' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  name!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Digabung dengan Dinas Sosial (Perda 5/2024)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class EnrollAsnDto {
  @ApiProperty({ example: '198503122010011002' })
  @IsNip()
  nip!: string;

  @ApiProperty({ example: 'I Komang Adi Saputra' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  name!: string;

  @ApiProperty({ example: 'Analis Kebijakan Ahli Muda' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  position!: string;

  @ApiProperty({ enum: ['PNS', 'PPPK'], example: 'PNS' })
  @IsIn(['PNS', 'PPPK'])
  employmentType!: EmploymentType;

  @ApiProperty({ example: 'dinas-kesehatan' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  opdId!: string;
}

const ONE_OF_NAME_POSITION = 'isi nama atau jabatan baru (paling tidak salah satu)';

/** A corrected name or a new position (or both); what is left out stays as it is. */
export class ChangeAsnDetailsDto {
  @ApiPropertyOptional({ example: 'I Komang Adi Saputra, S.K.M.' })
  @ValidateIf((dto: ChangeAsnDetailsDto) => dto.name !== undefined || dto.position === undefined)
  @IsDefined({ message: ONE_OF_NAME_POSITION })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  name?: string;

  @ApiPropertyOptional({ example: 'Kepala Seksi Surveilans' })
  @ValidateIf((dto: ChangeAsnDetailsDto) => dto.position !== undefined || dto.name === undefined)
  @IsDefined({ message: ONE_OF_NAME_POSITION })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  position?: string;

  @ApiProperty({
    example: 'Kenaikan jabatan, SK Bupati 821/123/2024',
    description: 'Mengapa data ini berubah (salah ketik, SK jabatan …): dicatat pada event',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class TransferAsnDto {
  @ApiProperty({ example: 'inspektorat' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  toOpdId!: string;
}
