import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsDayOrInstant, IsNip, SHA256_HEX, SLUG, SLUG_MESSAGE } from '../common/validators';

export class SignPledgeDto {
  @ApiProperty({ example: 'pilkada-2024' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId!: string;

  @ApiProperty({ example: '198503122010011002' })
  @IsNip()
  nip!: string;

  @ApiProperty({
    example: '2024-09-20',
    description: 'Tanggal (atau tanggal dan jam dengan zona) penandatanganan',
  })
  @IsDayOrInstant()
  signedAt!: string;

  @ApiProperty({ example: 'Bangli' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  place!: string;

  @ApiPropertyOptional({ example: 'v1', description: 'Versi naskah pakta; bawaan: versi terkini' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  textVersion?: string;

  @ApiPropertyOptional({ example: ['Ketua Bawaslu Kabupaten Bangli'], type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  witnesses?: string[];

  @ApiPropertyOptional({
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    description: 'SHA-256 (hex) dokumen pindaian',
  })
  @IsOptional()
  @Matches(SHA256_HEX, { message: 'SHA-256 dalam 64 digit heksadesimal huruf kecil' })
  documentSha256?: string;
}
