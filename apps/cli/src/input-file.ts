import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, EXIT_CODES } from './cli-error';

/**
 * A file named on the command line, where the user typed it: `npm run cli` runs the CLI in the package's
 * folder and says in INIT_CWD where it was invoked, so `npm run cli -- audit verify --export x.ndjson` in
 * an auditor's archive folder reads that folder's file. Run directly (`node dist/…`), it is the working
 * directory's, as usual.
 */
export const inputPath = (file: string): string =>
  process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD
    ? resolve(process.env.INIT_CWD, file)
    : file;

/** A file system error as a message names it: its code (ENOENT, EACCES…), else its message. */
export const errorCode = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * A file the user named must be a readable regular file; otherwise unusable input (exit 2) naming it and
 * why, before anything is read or booted: a folder or a missing path is a slip of the command line, not a
 * crash of the tool.
 */
export const checkFile = (file: string, what: string): void => {
  if (!existsSync(file)) {
    throw new CliError(`${what} tidak ditemukan: ${file}`, EXIT_CODES.usage);
  }
  if (!statSync(file).isFile()) {
    throw new CliError(
      `${what} ${file} bukan berkas biasa (folder?): berikan berkasnya sendiri.`,
      EXIT_CODES.usage,
    );
  }
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw new CliError(
      `${what} ${file} tidak bisa dibaca (${errorCode(error)}): periksa izin berkas.`,
      EXIT_CODES.usage,
    );
  }
};

/**
 * Reading a file can still fail midway (removed, an I/O error): unusable input (exit 2), never a verdict
 * or a crash. Anything that is not a file system error is passed on.
 */
export const readingFails = (error: unknown, file: string): never => {
  if (typeof (error as NodeJS.ErrnoException).syscall === 'string') {
    throw new CliError(
      `Gagal membaca ${file} (${errorCode(error)}): ulangi setelah berkasnya bisa dibaca.`,
      EXIT_CODES.usage,
    );
  }
  throw error;
};
