import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEDGER_EVENT_TYPES } from '@netral/domain';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsInstant, WholeNumber } from '../common/validators';
import { ID_MAX_LENGTH } from '../common/validation';

class PageLimitQuery {
  @ApiPropertyOptional({ example: 100, default: 100 })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AuditEventsQuery extends PageLimitQuery {
  @ApiPropertyOptional({ example: 'case-K-2024-7Q3M9XHD', description: 'Satu stream' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  @ApiPropertyOptional({ example: 'pledge-', description: 'Awalan nama stream' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  streamPrefix?: string;

  @ApiPropertyOptional({ example: 'ViolationConfirmed', enum: LEDGER_EVENT_TYPES })
  @IsOptional()
  @IsIn(LEDGER_EVENT_TYPES, {
    message: `jenis event yang tidak ada di ledger: salah satu dari ${LEDGER_EVENT_TYPES.join(', ')}`,
  })
  type?: string;

  @ApiPropertyOptional({
    example: 'dinas-kesehatan',
    description: 'OPD dalam data atau metadata event',
  })
  @IsOptional()
  @IsString()
  @MaxLength(ID_MAX_LENGTH)
  opdId?: string;

  @ApiPropertyOptional({ example: 'bawaslu', description: 'Pengguna yang menulis event' })
  @IsOptional()
  @IsString()
  @MaxLength(ID_MAX_LENGTH)
  actorId?: string;

  @ApiPropertyOptional({
    example: '2024-09-01T00:00:00Z',
    description: 'Dicatat pada atau setelah (tanggal, jam dan zona waktu)',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2024-12-31T23:59:59Z',
    description: 'Dicatat sebelum (tanggal, jam dan zona waktu)',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    example: '1',
    description: 'Mulai dari posisi ini (inklusif); halaman berikutnya: nextPosition',
  })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'posisi: bilangan bulat tak negatif' })
  fromPosition?: string;
}

export class ExportQuery {
  @ApiPropertyOptional({ example: 0, description: 'Indeks daun pertama (inklusif)' })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({
    example: 1000,
    description: 'Indeks daun terakhir (eksklusif); bawaan: ukuran pohon',
  })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(0)
  to?: number;
}

export class InclusionQuery {
  @ApiProperty({ example: 12 })
  @WholeNumber()
  @IsInt()
  @Min(0)
  index!: number;

  @ApiProperty({ example: 1000, description: 'Ukuran pohon checkpoint yang dipakai' })
  @WholeNumber()
  @IsInt()
  @Min(1)
  treeSize!: number;
}

export class ConsistencyQuery {
  @ApiProperty({ example: 500 })
  @WholeNumber()
  @IsInt()
  @Min(1)
  from!: number;

  @ApiProperty({ example: 1000 })
  @WholeNumber()
  @IsInt()
  @Min(1)
  to!: number;
}

export class CheckpointsQuery extends PageLimitQuery {
  @ApiPropertyOptional({
    example: 5000,
    description: 'Halaman berikutnya: checkpoint dengan ukuran pohon di bawah ini (nilai `next`)',
  })
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  before?: number;
}
