import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

/**
 * Makes an SQLite file (and its WAL and shared-memory files, which SQLite creates with the database's
 * mode) readable by the service's user only, before it is opened: for files holding password hashes,
 * session ids or request fingerprints.
 */
export const privateSqliteFile = (file: string): string => {
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) {
      chmodSync(path, 0o600);
    }
  }
  return file;
};
