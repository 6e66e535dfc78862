import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  return ['1', 'true', 'yes', 'on'].includes(v)
    ? true
    : ['0', 'false', 'no', 'off'].includes(v)
      ? false
      : value;
};
const toUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The environment as the service accepts it. Property names are the variable names, so a validation
 * error names exactly the variable to fix. Defaults live in `loadConfig`, not here.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  NETRAL_DATA_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(esdb|kurrentdb|kurrent|esdb\+discover|kurrentdb\+discover):\/\//, {
    message: 'must be an EventStoreDB connection string such as esdb://localhost:2113?tls=false',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters' })
  NETRAL_BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  NETRAL_DEMO?: boolean;

  @IsOptional()
  @Transform(toUpper)
  @IsIn(['FULL', 'NORMAL'])
  NETRAL_SQLITE_SYNC?: 'FULL' | 'NORMAL';

  @IsOptional()
  @Matches(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, {
    message: 'must be a Kemendagri region code such as 51 or 51.06',
  })
  NETRAL_REGION_CODE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  NETRAL_JWT_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  NETRAL_JWT_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  NETRAL_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  NETRAL_LOGIN_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @IsTimeZone({ message: 'must be an IANA time zone such as Asia/Makassar, Asia/Jakarta or UTC' })
  NETRAL_TIMEZONE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  NETRAL_SIGNER_P12_PATH?: string;

  @IsOptional()
  @IsString()
  NETRAL_SIGNER_P12_PASSPHRASE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  NETRAL_SIGNER_KEY_PATH?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  NETRAL_SIGNER_CERT_PATH?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  NETRAL_SIGNER_CHAIN_PATH?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  NETRAL_CHECKPOINT_KEY_PATH?: string;

  @IsOptional()
  @IsString()
  NETRAL_CHECKPOINT_KEY_PASSPHRASE?: string;

  @IsOptional()
  // The C2SP signed-note rules for key names (the origin is also the key name): no space, no '+'.
  @Matches(/^[\x21-\x2a\x2c-\x7e]+$/, {
    message: "must be printable ASCII without spaces or '+', e.g. netral.example.go.id/ledger",
  })
  NETRAL_CHECKPOINT_ORIGIN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  NETRAL_CHECKPOINT_EVERY_EVENTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  NETRAL_CHECKPOINT_EVERY_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  NETRAL_SLA_VERIFICATION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  NETRAL_SLA_REVIEW_WORKING_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(730)
  NETRAL_SLA_FOLLOW_UP_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  NETRAL_MIN_POSITION_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  NETRAL_PATUH_MIN_COVERAGE_PERCENT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  NETRAL_LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['json', 'pretty'])
  NETRAL_LOG_FORMAT?: 'json' | 'pretty';
}
