import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SLUG, SLUG_MESSAGE, WholeNumber } from '../common/validators';

const POSITION = /^\d{1,19}$/;

/** The last page a list offers: far past any real list, small enough that its offset stays a number the
 * store takes (page 10^20 was a 500). */
export const MAX_PAGE = 100_000;

/** `true` / `false` in a query string as booleans; anything else stays text and fails `isBoolean`. */
const BooleanText = () =>
  Transform(({ value }: { value: unknown }): unknown =>
    value === 'true' ? true : value === 'false' ? false : value,
  );

export class ReadQuery {
  @ApiPropertyOptional({
    example: '1842',
    description:
      'Tunggu sampai tampilan mencakup posisi tulis ini (posisi dari jawaban penulisan): paling lama ' +
      'NETRAL_MIN_POSITION_WAIT_MS, lalu 503 READ_MODEL_BEHIND; posisi yang belum pernah ditulis: 400 ' +
      'MIN_POSITION_AHEAD',
  })
  @IsOptional()
  @Matches(POSITION, { message: 'posisi: bilangan bulat tak negatif (dari jawaban penulisan)' })
  minPosition?: string;
}

export class PagedQuery extends ReadQuery {
  @ApiPropertyOptional({ example: 1, default: 1, maximum: MAX_PAGE })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export class ElectionQuery extends PagedQuery {
  @ApiPropertyOptional({ example: 'pilkada-2024', description: 'Wajib' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId!: string;
}

export class ComplianceQuery extends ElectionQuery {
  @ApiPropertyOptional({ enum: ['PATUH', 'PERLU_TINDAK_LANJUT', 'TIDAK_PATUH'] })
  @IsOptional()
  @IsIn(['PATUH', 'PERLU_TINDAK_LANJUT', 'TIDAK_PATUH'])
  status?: 'PATUH' | 'PERLU_TINDAK_LANJUT' | 'TIDAK_PATUH';

  @ApiPropertyOptional({ enum: ['status', 'coverage', 'name'], default: 'status' })
  @IsOptional()
  @IsIn(['status', 'coverage', 'name'])
  sort?: 'status' | 'coverage' | 'name';
}

export class RosterQuery extends ElectionQuery {
  @ApiPropertyOptional({
    example: 'dinas-kesehatan',
    description: 'Wajib kecuali untuk Kepala OPD (OPD-nya sendiri)',
  })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  opdId?: string;

  @ApiPropertyOptional({ enum: ['all', 'pledged', 'missing', 'late'], default: 'all' })
  @IsOptional()
  @IsIn(['all', 'pledged', 'missing', 'late'])
  filter?: 'all' | 'pledged' | 'missing' | 'late';
}

export class CasesQuery extends PagedQuery {
  @ApiPropertyOptional({ example: 'pilkada-2024' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  electionId?: string;

  @ApiPropertyOptional({ example: 'dinas-kesehatan' })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  opdId?: string;

  @ApiPropertyOptional({ enum: ['REPORTED', 'VERIFIED', 'CONFIRMED', 'DISMISSED', 'SANCTIONED'] })
  @IsOptional()
  @IsIn(['REPORTED', 'VERIFIED', 'CONFIRMED', 'DISMISSED', 'SANCTIONED'])
  status?: string;

  @ApiPropertyOptional({ example: 'N06' })
  @IsOptional()
  @Matches(/^[A-Z]\d{2}$/, { message: 'kode perbuatan seperti N06' })
  actCode?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @BooleanText()
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    example: true,
    description:
      'true: kasus terbukti yang masih menunggu sanksi yang direkomendasikan (etik atau disiplin), ' +
      'juga yang sudah dijatuhi satu dari dua sanksi; false: yang tidak',
  })
  @IsOptional()
  @BooleanText()
  @IsBoolean()
  sanctionPending?: boolean;
}
