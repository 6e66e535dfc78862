import { loadSignerMaterial, SignerMaterialError } from '@netral/certificates';
import {
  type AppConfig,
  type ConfigProblem,
  ConfigValidationError,
  loadConfig,
} from '@netral/config';
import { loadCheckpointKey } from '@netral/transparency-log';
import { DataDirLock, dataDirBusy, EXIT_DATA_DIR_BUSY } from './infrastructure/data-dir-lock';

/** EX_CONFIG (sysexits.h): the service was started with a bad configuration. */
export const EXIT_CONFIG = 78;

/**
 * The configured keys open and fit: a wrong passphrase, a file of another kind or a PDF key that is not its
 * certificate's is named at boot, not at the first certificate or checkpoint. The development keys made in
 * the data directory need no check.
 */
export const keyProblems = (config: AppConfig): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  if (config.signer.p12Path || config.signer.keyPath) {
    try {
      loadSignerMaterial(config.signer);
    } catch (error) {
      if (!(error instanceof SignerMaterialError)) {
        throw error;
      }
      problems.push({ variable: error.variable, reason: error.reason });
    }
  }
  if (config.checkpoint.keyPath) {
    try {
      loadCheckpointKey(config);
    } catch (error) {
      problems.push({
        variable: 'NETRAL_CHECKPOINT_KEY_PATH',
        reason: `cannot be used as the Ed25519 checkpoint key (${(error as Error).message})${config.checkpoint.keyPassphrase ? '; check NETRAL_CHECKPOINT_KEY_PASSPHRASE' : '; if the PEM is encrypted, set NETRAL_CHECKPOINT_KEY_PASSPHRASE'}`,
      });
    }
  }
  return problems;
};

/** loadConfig, then the configured keys (keyProblems): what the service and every CLI command start from. */
export const loadCheckedConfig = (
  env: Record<string, string | undefined> = process.env,
  cwd?: string,
): AppConfig => {
  const config = loadConfig(env, cwd);
  const problems = keyProblems(config);
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return config;
};

/**
 * The validated configuration, or a message naming every bad variable and what is allowed, then exit 78:
 * a bad value stops the service before it touches any data.
 */
export const loadConfigOrExit = (
  env: Record<string, string | undefined> = process.env,
  exit: (code: number) => never = (code) => process.exit(code),
  report: (message: string) => void = (message) => console.error(message),
): AppConfig => {
  try {
    return loadCheckedConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      report(`Netral cannot start. ${error.message}`);
      return exit(EXIT_CONFIG);
    }
    throw error;
  }
};

/**
 * The data directory's lock for the life of the service, or a message saying who may hold it and what to
 * do, then exit 75: one service per data directory, and no CLI import or rebuild beside it (the OPD
 * membership lock and the read models are kept by one process).
 */
export const holdDataDirOrExit = (
  config: AppConfig,
  exit: (code: number) => never = (code) => process.exit(code),
  report: (message: string) => void = (message) => console.error(message),
): DataDirLock => {
  let lock: DataDirLock | undefined;
  try {
    lock = DataDirLock.tryAcquire(config.dataDir);
  } catch (error) {
    // Checked writable at loadConfig; still a full disk, a read-only mount or a stray file can refuse it.
    report(
      `Netral cannot start. ${new ConfigValidationError([{ variable: 'NETRAL_DATA_DIR', value: config.dataDir, reason: `cannot be used: ${(error as Error).message}` }]).message}`,
    );
    return exit(EXIT_CONFIG);
  }
  if (lock) {
    return lock;
  }
  report(
    `Netral tidak dapat dimulai. ${dataDirBusy(config.dataDir, 'Tunggu atau hentikan proses itu, atau jalankan layanan ini dengan NETRAL_DATA_DIR lain.')}`,
  );
  return exit(EXIT_DATA_DIR_BUSY);
};
