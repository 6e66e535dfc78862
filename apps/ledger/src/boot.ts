import { type AppConfig, ConfigValidationError, loadConfig } from '@netral/config';
import { DataDirLock, dataDirBusy, EXIT_DATA_DIR_BUSY } from './infrastructure/data-dir-lock';

/** EX_CONFIG (sysexits.h): the service was started with a bad configuration. */
export const EXIT_CONFIG = 78;

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
    return loadConfig(env);
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
  const lock = DataDirLock.tryAcquire(config.dataDir);
  if (lock) {
    return lock;
  }
  report(
    `Netral tidak dapat dimulai. ${dataDirBusy(config.dataDir, 'Tunggu atau hentikan proses itu, atau jalankan layanan ini dengan NETRAL_DATA_DIR lain.')}`,
  );
  return exit(EXIT_DATA_DIR_BUSY);
};
