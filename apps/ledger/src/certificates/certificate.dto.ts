import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG, SLUG_MESSAGE } from '../common/validators';
import { PagedQuery } from '../compliance/read.dto';

export class IssueCertificateDto {
  @ApiProperty({ enum: ['OPD', 'ASN'], example: 'OPD' })
  @IsIn(['OPD', 'ASN'])
  subjectType!: 'OPD' | 'ASN';

  @ApiProperty({ example: 'dinas-kesehatan', description: 'ID OPD, atau NIP untuk ASN' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$|^[\d .]{18,30}$/, {
    message: 'ID OPD (huruf kecil, angka, tanda hubung) atau NIP 18 digit',
  })
  subjectId!: string;

  @ApiProperty({ example: 'pilkada-2024' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId!: string;
}

/** The longest revocation reason the ledger takes (the revocation page says it in its own words). */
export const REVOCATION_REASON_MAX_LENGTH = 1000;

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Data cakupan pakta ternyata keliru' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REVOCATION_REASON_MAX_LENGTH)
  reason!: string;
}

export class CertificatesQuery extends PagedQuery {
  @ApiPropertyOptional({ example: 'pilkada-2024' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId?: string;

  @ApiPropertyOptional({ example: 'dinas-kesehatan' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  opdId?: string;

  @ApiPropertyOptional({ enum: ['OPD', 'ASN'] })
  @IsOptional()
  @IsIn(['OPD', 'ASN'])
  subjectType?: string;

  @ApiPropertyOptional({ enum: ['VALID', 'REVOKED'] })
  @IsOptional()
  @IsIn(['VALID', 'REVOKED'])
  status?: string;
}
