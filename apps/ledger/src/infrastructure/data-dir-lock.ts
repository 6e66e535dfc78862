import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** EX_TEMPFAIL (sysexits.h): the data directory is in use; try again once the other process is done. */
export const EXIT_DATA_DIR_BUSY = 75;

/** The lock file in the data directory (an empty SQLite database: SQLite's file locks do the work). */
export const LOCK_FILE = 'netral.lock';

/**
 * One process at a time writes a data directory's rules that no revision check can see (the per-OPD
 * membership lock lives in the service process) and its read models: the service for as long as it runs,
 * or a CLI command that imports or rebuilds, never two of them. Held as an exclusive SQLite lock on
 * `netral.lock` (an fcntl lock the kernel drops when the process ends, even killed: nothing stale to clean
 * up), from another connection in the same process too.
 */
export class DataDirLock {
  private constructor(private db: Database.Database | undefined) {}

  /** The lock, or undefined when another process (or another holder here) has it. */
  static tryAcquire(dataDir: string): DataDirLock | undefined {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
      return new DataDirLock(db);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        return undefined;
      }
      throw error;
    }
  }

  release(): void {
    this.db?.close(); // the open transaction ends with the connection
    this.db = undefined;
  }
}

/** What to tell whoever finds the directory in use: who may hold it and what to do. */
export const dataDirBusy = (dataDir: string, instead: string): string =>
  `Direktori data ${dataDir} sedang dipakai proses Netral lain (layanan yang berjalan, atau perintah ` +
  `impor / bangun ulang tampilan baca). ${instead}`;
