import { getMetadataStorage } from 'class-validator';
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvironmentVariables } from './env.schema';

/** One thing wrong with the environment: the variable to fix, why, and its value when it is no secret. */
export interface ConfigProblem {
  variable: string;
  reason: string;
  value?: string;
}

/** Read by the CLI for one command, not configuration (see `users create-admin`). */
const ONE_OFF_INPUTS = ['NETRAL_NEW_PASSWORD'];

let settingNames: string[] | undefined;

/** Every variable the schema knows, from its own decorators: a new setting needs no second list. */
const knownSettings = (): string[] =>
  (settingNames ??= [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((m) => m.propertyName),
    ),
  ]);

/** Levenshtein distance, enough to tell a typo from another name. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length];
};

/**
 * A NETRAL_ variable the service does not know is a typo until shown otherwise: ignored, it would leave
 * the setting its operator meant at its default (a PDF key not used, a data directory not where they
 * think). Its value is never shown: a mistyped name may hold a secret.
 */
export const unknownVariables = (env: Record<string, unknown>): ConfigProblem[] => {
  const known = knownSettings();
  return Object.keys(env)
    .filter((name) => name.startsWith('NETRAL_') && env[name] !== undefined)
    .filter((name) => !known.includes(name) && !ONE_OFF_INPUTS.includes(name))
    .map((name) => {
      const [closest] = known
        .map((candidate) => ({ candidate, d: distance(name, candidate) }))
        .filter(({ d }) => d <= Math.max(2, Math.floor(name.length / 5)))
        .sort((x, y) => x.d - y.d);
      return {
        variable: name,
        reason: closest
          ? `is not a Netral setting; did you mean ${closest.candidate}?`
          : 'is not a Netral setting (the README lists them under Configuration); remove it',
      };
    });
};

type Settings = Partial<Record<keyof EnvironmentVariables, unknown>>;

const isSet = (value: unknown): boolean => value !== undefined && value !== '';

/**
 * Settings that only mean something together: a half-configured signing key would otherwise fall back to
 * the development PKI without a word, and a passphrase without its file would be silently unused.
 */
export const incompleteSets = (s: Settings): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  const pem = (
    [
      'NETRAL_SIGNER_KEY_PATH',
      'NETRAL_SIGNER_CERT_PATH',
      'NETRAL_SIGNER_CHAIN_PATH',
      'NETRAL_SIGNER_KEY_PASSPHRASE',
    ] as const
  ).filter((v) => isSet(s[v]));
  if (isSet(s.NETRAL_SIGNER_P12_PATH)) {
    for (const variable of pem) {
      problems.push({
        variable,
        reason:
          'cannot be combined with NETRAL_SIGNER_P12_PATH: give either a PKCS#12 file or a PEM key and certificate',
      });
    }
  } else if (pem.length > 0) {
    for (const variable of ['NETRAL_SIGNER_KEY_PATH', 'NETRAL_SIGNER_CERT_PATH'] as const) {
      if (!isSet(s[variable])) {
        problems.push({
          variable,
          reason: `must be set too: a PEM signing key needs NETRAL_SIGNER_KEY_PATH and NETRAL_SIGNER_CERT_PATH (set now: ${pem.join(', ')})`,
        });
      }
    }
  }
  const orphans: [keyof EnvironmentVariables, keyof EnvironmentVariables][] = [
    ['NETRAL_SIGNER_P12_PASSPHRASE', 'NETRAL_SIGNER_P12_PATH'],
    ['NETRAL_CHECKPOINT_KEY_PASSPHRASE', 'NETRAL_CHECKPOINT_KEY_PATH'],
  ];
  for (const [passphrase, file] of orphans) {
    if (isSet(s[passphrase]) && !isSet(s[file])) {
      problems.push({
        variable: passphrase,
        reason: `is used only with ${file}: set that too, or remove this one`,
      });
    }
  }
  return problems;
};

const FILE_SETTINGS = [
  'NETRAL_SIGNER_P12_PATH',
  'NETRAL_SIGNER_KEY_PATH',
  'NETRAL_SIGNER_CERT_PATH',
  'NETRAL_SIGNER_CHAIN_PATH',
  'NETRAL_CHECKPOINT_KEY_PATH',
] as const;

const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

const can = (path: string, mode: number): boolean => {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
};

/** Why the data directory cannot be used, or undefined: it is a writable directory, or can be made one. */
const dataDirProblem = (dir: string): string | undefined => {
  let existing = dir;
  let stats = statOf(existing);
  while (!stats && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = statOf(existing);
  }
  const where = existing === dir ? dir : `${dir} cannot be created: ${existing}`;
  if (!stats?.isDirectory()) {
    return `must be a directory, but ${where} is a file`;
  }
  if (!can(existing, constants.W_OK | constants.X_OK)) {
    return `must be writable by this user (uid ${process.getuid?.() ?? '?'}), but ${where} is not: fix its owner or mode, or choose another directory`;
  }
  return undefined;
};

/**
 * Files named by the configuration must exist and be readable, and the data directory must be usable,
 * before the service touches anything: otherwise the first request to sign, or the first write, fails
 * with a bare ENOENT or EACCES far from the variable that caused it.
 */
export const pathProblems = (s: Settings, cwd: string): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  for (const variable of FILE_SETTINGS) {
    const value = s[variable];
    if (typeof value !== 'string' || value === '') {
      continue;
    }
    const path = resolve(cwd, value);
    const stats = statOf(path);
    const reason = !stats
      ? `names no file: ${path} does not exist`
      : !stats.isFile()
        ? `must name a file, but ${path} is not one`
        : !can(path, constants.R_OK)
          ? `names a file this user (uid ${process.getuid?.() ?? '?'}) cannot read: ${path}; fix its owner or mode`
          : undefined;
    if (reason) {
      problems.push({ variable, value, reason });
    }
  }
  const dataDir = resolve(
    cwd,
    typeof s.NETRAL_DATA_DIR === 'string' ? s.NETRAL_DATA_DIR : './data',
  );
  const reason = dataDirProblem(dataDir);
  if (reason) {
    problems.push({
      variable: 'NETRAL_DATA_DIR',
      value: typeof s.NETRAL_DATA_DIR === 'string' ? s.NETRAL_DATA_DIR : undefined,
      reason,
    });
  }
  return problems;
};
