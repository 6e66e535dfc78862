import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Length,
  Matches,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { connectionStringProblem } from './eventstore-connection-string';

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

/** One message naming the whole allowed range (IsInt, Min and Max each added their own for `PORT=abc`). */
const IsWholeNumber = (min: number, max?: number): PropertyDecorator =>
  ValidateBy({
    name: 'isWholeNumber',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        value >= min &&
        (max === undefined || value <= max),
      defaultMessage: () =>
        max === undefined
          ? `must be a whole number of at least ${min}`
          : `must be a whole number from ${min} to ${max}`,
    },
  });

/** The EventStoreDB client's own parser decides, so a value it would refuse at startup is refused here. */
const IsEventStoreConnectionString = (): PropertyDecorator =>
  ValidateBy({
    name: 'isEventStoreConnectionString',
    validator: {
      validate: (value: unknown) => connectionStringProblem(value) === null,
      defaultMessage: (args) => connectionStringProblem(args?.value) ?? '',
    },
  });

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
  @IsWholeNumber(0, 65535)
  PORT?: number;

  @IsOptional()
  @IsNotEmpty({ message: 'must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::' })
  HOST?: string;

  @IsOptional()
  @IsNotEmpty({ message: 'must be a directory path such as ./data or /var/lib/netral' })
  NETRAL_DATA_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEventStoreConnectionString()
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http:// or https:// URL such as https://netral.banglikab.go.id' },
  )
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  // The password policy of every account (identity's PASSWORD_MIN_LENGTH and PASSWORD_MAX_LENGTH).
  @Length(10, 200, { message: 'must be 10 to 200 characters' })
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
  @IsWholeNumber(30, 86400)
  NETRAL_JWT_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(10, 1_000_000)
  NETRAL_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(1, 100_000)
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
  @IsString()
  NETRAL_SIGNER_KEY_PASSPHRASE?: string;

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
  @IsWholeNumber(1)
  NETRAL_CHECKPOINT_EVERY_EVENTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(1, 3600)
  NETRAL_CHECKPOINT_EVERY_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(1, 365)
  NETRAL_SLA_VERIFICATION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(1, 365)
  NETRAL_SLA_REVIEW_WORKING_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(1, 730)
  NETRAL_SLA_FOLLOW_UP_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(0, 60000)
  NETRAL_MIN_POSITION_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsWholeNumber(0, 100)
  NETRAL_PATUH_MIN_COVERAGE_PERCENT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  NETRAL_LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['json', 'pretty'])
  NETRAL_LOG_FORMAT?: 'json' | 'pretty';
}
