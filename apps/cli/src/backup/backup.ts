import Database from 'better-sqlite3';
import { SqliteEventStore } from '@netral/event-store';
import { TRANSPARENCY_LOG_FILE } from '@netral/transparency-log';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  copyFile,
  constants,
  mkdir,
  readdir,
  readFile,
  stat,
  writeFile,
} from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { IDEMPOTENCY_FILE } from '../../../ledger/src/common/idempotency/idempotency.store';
import { READ_MODELS_FILE } from '../../../ledger/src/compliance/read-side';
import { LOCK_FILE } from '../../../ledger/src/infrastructure/data-dir-lock';
import { EVENTS_FILE } from '../../../ledger/src/infrastructure/event-store.module';

/** The manifest a backup ends with: a directory without it is not a (complete) backup. */
export const MANIFEST_FILE = 'netral-backup.json';
export const BACKUP_FORMAT = 'netral-backup/v1';

/**
 * SQLite files whose content follows the ledger (the read models and the transparency log are derived from
 * it, the first answers to keyed requests name positions in it): their snapshots are taken before the
 * ledger's, so a restored copy is never ahead of the events it is restored with, only behind, and the
 * service catches up from there. Everything else (credentials, keys, evidence files, certificates) is
 * copied after the ledger's snapshot, so no event in it names a file the backup lacks.
 */
const BEFORE_LEDGER = [READ_MODELS_FILE, TRANSPARENCY_LOG_FILE, IDEMPOTENCY_FILE];

export interface BackupEntry {
  /** Relative to the backup (and the data directory), with `/` separators. */
  path: string;
  /** `sqlite`: a consistent snapshot (VACUUM INTO) of a database the service may be writing. */
  kind: 'sqlite' | 'file';
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  dataDir: string;
  eventStore: 'sqlite' | 'eventstoredb';
  /** What the ledger's snapshot holds (the embedded store only). */
  ledger?: { events: number; headPosition: string | null };
  files: BackupEntry[];
}

const isLockFile = (name: string): boolean =>
  name === LOCK_FILE || name.startsWith(`${LOCK_FILE}-`);

/**
 * Not copied: the data directory's lock, SQLite's companion files (a snapshot is whole without them), and
 * files still being written (a document or a certificate is written as `….tmp`, then renamed).
 */
const skipped = (name: string): boolean =>
  isLockFile(name) || /\.sqlite-(wal|shm|journal)$/.test(name) || name.endsWith('.tmp');

const isSqlite = (path: string): boolean => !path.includes('/') && path.endsWith('.sqlite');

/**
 * Every file below `dir` (relative, `/`-separated, sorted), but the skipped ones. A symbolic link is
 * followed (an evidence folder on another disk is backed up as a folder); anything that is neither a file
 * nor a folder (a socket, a device) is refused.
 */
const filesBelow = async (dir: string, below = ''): Promise<string[]> => {
  const found: string[] = [];
  for (const name of (await readdir(join(dir, below))).sort()) {
    const path = below === '' ? name : `${below}/${name}`;
    if (skipped(name)) {
      continue;
    }
    const entry = await stat(join(dir, path));
    if (entry.isDirectory()) {
      found.push(...(await filesBelow(dir, path)));
    } else if (entry.isFile()) {
      found.push(path);
    } else {
      throw new Error(`${join(dir, path)} bukan berkas atau folder biasa: tidak dicadangkan`);
    }
  }
  return found;
};

/** In the order a backup copies them (see BEFORE_LEDGER). */
export const backupOrder = (paths: string[]): string[] => {
  const rank = (path: string): number =>
    BEFORE_LEDGER.includes(path) ? 0 : path === EVENTS_FILE ? 1 : isSqlite(path) ? 2 : 3;
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

/** VACUUM INTO on a read-only connection, in a thread of its own (it is one long statement): a consistent
 * snapshot of a database another process may be writing, which it never blocks (WAL). */
const VACUUM_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
try {
  db.prepare('VACUUM INTO ?').run(workerData.target);
} finally {
  db.close();
}
`;

/** Snapshots `source` into `target`, telling `written` how many bytes the copy has so far. */
const snapshot = (source: string, target: string, written: (bytes: number) => void) =>
  new Promise<void>((resolve, reject) => {
    const worker = new Worker(VACUUM_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), source, target },
    });
    const poll = setInterval(() => {
      stat(target).then(
        (info) => written(info.size),
        () => undefined, // not created yet
      );
    }, 250);
    let failure: Error | undefined;
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      clearInterval(poll);
      if (failure || code !== 0) {
        reject(failure ?? new Error(`the snapshot of ${source} ended with code ${code}`));
      } else {
        resolve();
      }
    });
  });

/** A file's SHA-256 (hex), read as a stream; `read` is told of each chunk's bytes, for a progress bar. */
export const sha256File = async (
  path: string,
  read: (bytes: number) => void = () => undefined,
): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    read((chunk as Buffer).length);
  }
  return hash.digest('hex');
};

/** `PRAGMA integrity_check` of a copy, on a read-only connection: 'ok', or what SQLite found. */
export const sqliteIntegrity = (file: string): string => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
};

export interface BackupProgress {
  /** Bytes of the data directory the copy will take (an estimate for the databases). */
  planned(bytes: number): void;
  copied(bytes: number): void;
}

/** Whether `path` is `dir` or lies inside it (both absolute). */
export const isWithin = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/** A file of the backup, as copied (its size in the backup). */
export type Copied = Pick<BackupEntry, 'path' | 'kind' | 'bytes'>;

/**
 * Copies the data directory into `target` (created, empty, mode 0700: it holds password hashes and keys)
 * while the service may be running: each SQLite database as a consistent snapshot, the ledger's between
 * the files that follow it and the files it names (BEFORE_LEDGER), every other file as it is, with its
 * mode. Returns what was copied, in order, for the manifest.
 */
export const copyDataDir = async (
  dataDir: string,
  target: string,
  progress: BackupProgress,
): Promise<Copied[]> => {
  const paths = backupOrder(await filesBelow(dataDir));
  // A database the service is writing may hold most of its pages in its write-ahead log still.
  const sizeOf = async (file: string): Promise<number> =>
    (await stat(file).catch(() => undefined))?.size ?? 0;
  const sizes = await Promise.all(
    paths.map(async (path) => {
      const file = join(dataDir, path);
      return (await sizeOf(file)) + (isSqlite(path) ? await sizeOf(`${file}-wal`) : 0);
    }),
  );
  progress.planned(sizes.reduce((sum, size) => sum + size, 0));
  await mkdir(target, { recursive: true, mode: 0o700 });
  await chmod(target, 0o700);
  const copied: Copied[] = [];
  for (const [i, path] of paths.entries()) {
    const source = join(dataDir, path);
    const destination = join(target, path);
    await mkdir(join(destination, '..'), { recursive: true, mode: 0o700 });
    if (isSqlite(path)) {
      let reported = 0;
      let done = false;
      await snapshot(source, destination, (bytes) => {
        const now = Math.min(bytes, sizes[i]);
        if (!done && now > reported) {
          progress.copied(now - reported);
          reported = now;
        }
      });
      done = true;
      progress.copied(sizes[i] - reported);
    } else {
      try {
        await copyFile(source, destination, constants.COPYFILE_EXCL);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          progress.copied(sizes[i]);
          continue; // gone since it was listed: a temporary file, never one an event names
        }
        throw error;
      }
      progress.copied(sizes[i]);
    }
    await chmod(destination, (await stat(source)).mode & 0o777);
    copied.push({
      path,
      kind: isSqlite(path) ? 'sqlite' : 'file',
      bytes: (await stat(destination)).size,
    });
  }
  return copied;
};

/** Hashes what was copied, checks each database copy, and says what the ledger's snapshot holds. */
export const describeCopy = async (
  target: string,
  copied: Copied[],
  checked: (bytes: number) => void,
): Promise<{ files: BackupEntry[]; ledger?: BackupManifest['ledger'] }> => {
  const files: BackupEntry[] = [];
  let ledger: BackupManifest['ledger'];
  for (const { path, kind } of copied) {
    const file = join(target, path);
    if (kind === 'sqlite') {
      const integrity = sqliteIntegrity(file);
      if (integrity !== 'ok') {
        throw new Error(`the copy of ${path} fails SQLite's integrity check: ${integrity}`);
      }
    }
    if (path === EVENTS_FILE) {
      const { events, headPosition } = SqliteEventStore.summarise(file);
      ledger = { events, headPosition: headPosition === null ? null : headPosition.toString() };
    }
    const { size } = await stat(file);
    files.push({ path, kind, bytes: size, sha256: await sha256File(file, checked) });
  }
  return { files, ...(ledger ? { ledger } : {}) };
};

export const writeManifest = (target: string, manifest: BackupManifest): Promise<void> =>
  writeFile(join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });

/** The manifest of a backup directory, or why it cannot be read as one. */
export const readManifest = async (
  dir: string,
): Promise<{ manifest: BackupManifest } | { unusable: string }> => {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return {
      unusable: `${dir} bukan cadangan Netral yang lengkap: ${MANIFEST_FILE} tidak ada atau tidak terbaca.`,
    };
  }
  try {
    const manifest = JSON.parse(text) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) {
      return { unusable: `${join(dir, MANIFEST_FILE)} bukan manifest ${BACKUP_FORMAT}.` };
    }
    return { manifest };
  } catch {
    return { unusable: `${join(dir, MANIFEST_FILE)} bukan JSON yang sah.` };
  }
};

/**
 * Every difference between a backup directory and its manifest, in the manifest's order: a file missing,
 * of another size or hash, a database copy SQLite finds damaged, a ledger that no longer holds what was
 * recorded, a file the manifest does not list. Empty: the backup is as it was made.
 */
export const checkBackup = async (
  dir: string,
  manifest: BackupManifest,
  checked: (bytes: number) => void,
): Promise<string[]> => {
  const problems: string[] = [];
  for (const entry of manifest.files) {
    const file = join(dir, entry.path);
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      problems.push(`${entry.path}: tidak ada.`);
      continue;
    }
    if (found.size !== entry.bytes) {
      problems.push(`${entry.path}: ${found.size} byte, tercatat ${entry.bytes}.`);
      checked(found.size);
    } else if ((await sha256File(file, checked)) !== entry.sha256) {
      problems.push(`${entry.path}: isinya berubah (SHA-256 tidak cocok).`);
    } else if (entry.kind === 'sqlite') {
      const integrity = sqliteIntegrity(file);
      if (integrity !== 'ok') {
        problems.push(`${entry.path}: pemeriksaan integritas SQLite gagal: ${integrity}`);
      }
    }
  }
  const listed = new Set([MANIFEST_FILE, ...manifest.files.map((entry) => entry.path)]);
  for (const path of await filesBelow(dir)) {
    if (!listed.has(path)) {
      problems.push(`${path}: tidak tercatat di manifest (ditambahkan setelah pencadangan).`);
    }
  }
  return problems;
};

/** Copies a checked backup's files into an empty data directory, each with its mode; the manifest stays. */
export const restoreFiles = async (
  dir: string,
  manifest: BackupManifest,
  dataDir: string,
  copied: (bytes: number) => void,
): Promise<void> => {
  for (const entry of manifest.files) {
    const destination = join(dataDir, entry.path);
    await mkdir(join(destination, '..'), { recursive: true, mode: 0o700 });
    await copyFile(join(dir, entry.path), destination, constants.COPYFILE_EXCL);
    await chmod(destination, (await stat(join(dir, entry.path))).mode & 0o777);
    copied(entry.bytes);
  }
};

/** What a directory holds that a backup or a restore must not overwrite (its lock file aside). */
export const contentsOf = async (dir: string): Promise<string[] | undefined> => {
  try {
    return (await readdir(dir)).filter((name) => !isLockFile(name));
  } catch {
    return undefined; // no such directory
  }
};
