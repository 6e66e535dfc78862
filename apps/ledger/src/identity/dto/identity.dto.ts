import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role, USERNAME_PATTERN } from '@netral/domain';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { HasLetter } from '../../common/validators';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password';

const OPD_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** A password being set (a new account, a reset): the length the policy asks; the rest of the policy (not
 * the username) is the command's. */
const NewPassword = (example: string) =>
  applyDecorators(
    ApiProperty({ example, minLength: PASSWORD_MIN_LENGTH }),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH, { message: `minimal ${PASSWORD_MIN_LENGTH} karakter` }),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

/** The longest username a login takes (the API and the login page alike). */
export const LOGIN_USERNAME_MAX_LENGTH = 64;

export class LoginDto {
  @ApiProperty({ example: 'bawaslu', maxLength: LOGIN_USERNAME_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LOGIN_USERNAME_MAX_LENGTH)
  username!: string;

  @ApiProperty({ example: 'rahasia-sekali-2024', maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class CreateUserDto {
  @ApiProperty({
    example: 'kadis.kesehatan',
    description: '3–32 karakter: huruf kecil, angka, . _ -',
  })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: '3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung',
  })
  username!: string;

  @ApiProperty({ example: 'dr. I Gusti Ayu Putu Suryani' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @HasLetter()
  displayName!: string;

  @NewPassword('rahasia-sekali-2024')
  password!: string;

  @ApiProperty({ enum: ROLES, example: 'OPD_HEAD' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'dinas-kesehatan', description: 'Wajib untuk OPD_HEAD' })
  @IsOptional()
  @IsString()
  @Matches(OPD_ID, { message: 'kode OPD: huruf kecil, angka dan tanda hubung' })
  opdId?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES, example: 'BAWASLU' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'dinas-kesehatan', description: 'Wajib untuk OPD_HEAD' })
  @IsOptional()
  @IsString()
  @Matches(OPD_ID, { message: 'kode OPD: huruf kecil, angka dan tanda hubung' })
  opdId?: string;
}

export class DeactivateUserDto {
  @ApiProperty({ example: 'Pindah tugas ke Kabupaten Gianyar' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class SetPasswordDto {
  @NewPassword('rahasia-baru-2024')
  password!: string;
}

/** One's own new password (`POST /auth/password`, the account page): the current one, then the new one. */
export class ChangeOwnPasswordDto {
  @ApiProperty({ example: 'sandi-dari-admin-2024', maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty({ message: 'wajib diisi' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @NewPassword('sandi-pilihan-saya-2024')
  password!: string;
}
