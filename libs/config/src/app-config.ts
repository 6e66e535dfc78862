import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isAbsolute, resolve } from 'node:path';
import { EnvironmentVariables } from './env.schema';
import {
  type ConfigProblem,
  incompleteSets,
  pathProblems,
  unknownVariables,
} from './environment-checks';
import { redactConnectionString } from '@netral/event-store';

/** The typed, validated configuration every other part injects. Nothing else reads `process.env`. */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly host!: string;
  /** Absolute path of the data directory (SQLite files, generated keys, stored documents). */
  readonly dataDir!: string;
  /** Set: EventStoreDB; unset: embedded SQLite in `dataDir`. */
  readonly eventStoreConnectionString?: string;
  readonly publicBaseUrl!: string;
  readonly bootstrapAdminPassword?: string;
  readonly demo!: boolean;
  readonly sqliteSync!: 'FULL' | 'NORMAL';
  readonly regionCode!: string;
  readonly jwt!: { secret?: string; ttlSeconds: number };
  readonly signer!: {
    p12Path?: string;
    p12Passphrase?: string;
    keyPath?: string;
    keyPassphrase?: string;
    certPath?: string;
    chainPath?: string;
  };
  readonly checkpoint!: {
    keyPath?: string;
    keyPassphrase?: string;
    origin: string;
    everyEvents: number;
    everySeconds: number;
  };
  readonly sla!: { verificationDays: number; reviewWorkingDays: number; followUpDays: number };
  readonly minPositionWaitMs!: number;
  /** Requests per minute per client address (login has its own, stricter limit). */
  readonly rateLimitPerMinute!: number;
  /** Login attempts per minute from one address, whatever the usernames (password spraying, scrypt cost). */
  readonly loginRateLimitPerMinute!: number;
  /** The regency's time zone: deadlines and "today" are local days. */
  readonly timeZone!: string;
  /** Share of active ASN that must have pledged for PATUH (100 = every one). */
  readonly patuhMinCoveragePercent!: number;
  readonly log!: { level: string; format: 'json' | 'pretty' };

  static from(values: AppConfig): AppConfig {
    return Object.freeze(Object.assign(new AppConfig(), values));
  }
}

export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems
        .map(
          (p) =>
            `  - ${p.variable}${p.value === undefined ? '' : `=${JSON.stringify(p.value)}`}: ${p.reason}`,
        )
        .join('\n')}`,
    );
  }
}

const SECRET = /PASSWORD|PASSPHRASE|SECRET/;

/** The value as it may appear in a message: never a secret, nor the password inside a connection string. */
const shown = (variable: string, value: string | undefined): string | undefined => {
  if (SECRET.test(variable) || value === undefined) {
    return undefined;
  }
  return variable === 'EVENTSTORE_CONNECTION_STRING' ? redactConnectionString(value) : value;
};

const flatten = (
  errors: ValidationError[],
  env: Record<string, string | undefined>,
): ConfigProblem[] =>
  errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((reason) => ({
      variable: e.property,
      // Never echo secrets back into logs.
      value: shown(e.property, env[e.property]),
      reason: reason.replace(new RegExp(`^${e.property} `), ''),
    })),
  );

/**
 * Validates the environment once. Throws ConfigValidationError naming every bad variable and what is allowed:
 * a bad value, a NETRAL_ name the service does not know, a setting missing its partner, a file that cannot
 * be read, a data directory that cannot be written. `cwd` resolves relative paths.
 */
export const loadConfig = (
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): AppConfig => {
  const known = Object.fromEntries(
    Object.entries(env).filter(
      ([k]) =>
        k.startsWith('NETRAL_') ||
        ['NODE_ENV', 'PORT', 'HOST', 'EVENTSTORE_CONNECTION_STRING', 'PUBLIC_BASE_URL'].includes(k),
    ),
  );
  const parsed = plainToInstance(EnvironmentVariables, known);
  // One reason per variable: the first check it fails says what is allowed (a second would repeat it).
  const errors = validateSync(parsed, {
    whitelist: false,
    forbidUnknownValues: false,
    stopAtFirstError: true,
  });
  const problems = [...flatten(errors, env), ...unknownVariables(known)];
  if (problems.length === 0) {
    problems.push(...incompleteSets(parsed), ...pathProblems(parsed, cwd));
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  const inCwd = (path: string | undefined) =>
    path === undefined || isAbsolute(path) ? path : resolve(cwd, path);
  const dataDir = inCwd(parsed.NETRAL_DATA_DIR ?? './data')!;
  const port = parsed.PORT ?? 3000;
  const nodeEnv = (parsed.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  return AppConfig.from({
    nodeEnv,
    port,
    host: parsed.HOST ?? '0.0.0.0',
    dataDir,
    eventStoreConnectionString: parsed.EVENTSTORE_CONNECTION_STRING,
    publicBaseUrl: (parsed.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    bootstrapAdminPassword: parsed.NETRAL_BOOTSTRAP_ADMIN_PASSWORD,
    demo: parsed.NETRAL_DEMO ?? false,
    sqliteSync: parsed.NETRAL_SQLITE_SYNC ?? 'FULL',
    regionCode: parsed.NETRAL_REGION_CODE ?? '51.06',
    jwt: { secret: parsed.NETRAL_JWT_SECRET, ttlSeconds: parsed.NETRAL_JWT_TTL_SECONDS ?? 900 },
    signer: {
      p12Path: inCwd(parsed.NETRAL_SIGNER_P12_PATH),
      p12Passphrase: parsed.NETRAL_SIGNER_P12_PASSPHRASE,
      keyPath: inCwd(parsed.NETRAL_SIGNER_KEY_PATH),
      keyPassphrase: parsed.NETRAL_SIGNER_KEY_PASSPHRASE,
      certPath: inCwd(parsed.NETRAL_SIGNER_CERT_PATH),
      chainPath: inCwd(parsed.NETRAL_SIGNER_CHAIN_PATH),
    },
    checkpoint: {
      keyPath: inCwd(parsed.NETRAL_CHECKPOINT_KEY_PATH),
      keyPassphrase: parsed.NETRAL_CHECKPOINT_KEY_PASSPHRASE,
      origin:
        parsed.NETRAL_CHECKPOINT_ORIGIN ?? `netral.local/${parsed.NETRAL_REGION_CODE ?? '51.06'}`,
      everyEvents: parsed.NETRAL_CHECKPOINT_EVERY_EVENTS ?? 1000,
      everySeconds: parsed.NETRAL_CHECKPOINT_EVERY_SECONDS ?? 5,
    },
    sla: {
      verificationDays: parsed.NETRAL_SLA_VERIFICATION_DAYS ?? 7,
      reviewWorkingDays: parsed.NETRAL_SLA_REVIEW_WORKING_DAYS ?? 3,
      followUpDays: parsed.NETRAL_SLA_FOLLOW_UP_DAYS ?? 30,
    },
    minPositionWaitMs: parsed.NETRAL_MIN_POSITION_WAIT_MS ?? 2000,
    rateLimitPerMinute: parsed.NETRAL_RATE_LIMIT_PER_MINUTE ?? 1200,
    loginRateLimitPerMinute: parsed.NETRAL_LOGIN_RATE_LIMIT_PER_MINUTE ?? 60,
    timeZone: parsed.NETRAL_TIMEZONE ?? 'Asia/Makassar',
    patuhMinCoveragePercent: parsed.NETRAL_PATUH_MIN_COVERAGE_PERCENT ?? 100,
    log: {
      level: parsed.NETRAL_LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
      format: parsed.NETRAL_LOG_FORMAT ?? 'json',
    },
  });
};

/** Builds a config for tests and tools: defaults, then the given variables, never the real environment. */
export const configFor = (env: Record<string, string | undefined>, cwd?: string): AppConfig =>
  loadConfig({ NODE_ENV: 'test', ...env }, cwd);
