import { type AppConfig, ConfigValidationError, loadConfig } from '@netral/config';

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
