import { ConfigValidationError } from '@netral/config';
import { CommanderError } from 'commander';

/**
 * Exit codes of every `netral` command, for scripts:
 * 0 done · 1 a verification failed (`audit`) · 2 unusable input: bad arguments, a file that is missing or
 * unreadable · 3 the tool itself failed (a crash: never a verdict) · 4 input refused: rows of an import, or a
 * command the ledger's rules refused, and nothing was written · 69 the event store did not answer (nothing
 * was done: start it, or check EVENTSTORE_CONNECTION_STRING) · 78 configuration invalid.
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  crashed: 3,
  rejected: 4,
  unavailable: 69,
  config: 78,
} as const;

/** An error the CLI reports as one clear line and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.failed,
  ) {
    super(message);
  }
}

/**
 * The exit code for an error that ended a command, and the line to print (undefined: commander has printed
 * its own). A usage error anywhere (a mistyped command, an unknown option, a missing argument) is 2, never
 * the 1 of a failed verification that an auditor's script reads; help is 0; a crash is 3.
 */
export const exitFor = (error: unknown): { code: number; message?: unknown } => {
  if (error instanceof CommanderError) {
    return { code: error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage };
  }
  if (error instanceof CliError) {
    return { code: error.exitCode, message: error.message };
  }
  if (error instanceof ConfigValidationError) {
    return { code: EXIT_CODES.config, message: error.message };
  }
  return { code: EXIT_CODES.crashed, message: error };
};
