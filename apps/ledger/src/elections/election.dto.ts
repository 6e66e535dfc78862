import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ElectionKind } from '@netral/domain';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HasLetter, IsCalendarDay, SLUG } from '../common/validators';

export class ScheduleElectionDto {
  @ApiProperty({ example: 'pilkada-2024' })
  @Matches(SLUG, {
    message: 'huruf kecil, angka dan tanda hubung (2–64 karakter), mis. pilkada-2029',
  })
  electionId!: string;

  @ApiProperty({ example: 'Pilkada Serentak 2024' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @HasLetter()
  name!: string;

  @ApiProperty({ enum: ['PEMILU', 'PILKADA'], example: 'PILKADA' })
  @IsIn(['PEMILU', 'PILKADA'])
  kind!: ElectionKind;

  @ApiPropertyOptional({
    example: '51.06',
    description: 'Kode wilayah Kemendagri; bawaan: NETRAL_REGION_CODE',
  })
  @IsOptional()
  @Matches(/^\d{2}(\.\d{2}){0,3}$/, { message: 'kode wilayah Kemendagri, mis. 51 atau 51.06' })
  regionCode?: string;

  @ApiProperty({ example: '2024-11-27' })
  @IsCalendarDay()
  votingDay!: string;

  @ApiProperty({ example: '2024-09-25', description: 'Hari pertama pengawasan' })
  @IsCalendarDay()
  monitoringFrom!: string;

  @ApiProperty({ example: '2024-12-15', description: 'Hari terakhir pengawasan' })
  @IsCalendarDay()
  monitoringUntil!: string;
}
