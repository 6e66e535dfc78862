import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { sha256File } from './backup/backup';
import { CliError, EXIT_CODES } from './cli-error';
import type { Progress } from './progress';

/** The files one archiving run adds to an auditor's folder. */
export interface ArchivedFiles {
  treeSize: number;
  checkpoint: string;
  export: string;
  key: string;
  /** False when the folder already held this very key (the usual case after the first run). */
  keyIsNew: boolean;
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** A path in `dir` for `name`, or, when a different file already has it, one beside it: never overwritten. */
const unusedPath = (dir: string, name: string, ext: string): string => {
  const plain = join(dir, `${name}${ext}`);
  return existsSync(plain) ? join(dir, `${name}-${stamp()}${ext}`) : plain;
};

/**
 * Signs a checkpoint of everything the service has logged, then fetches that checkpoint, an export of
 * exactly its size (streamed to disk, the bar `exporting` gives told how far it is) and the verifier key
 * into `dir`. An archived key that differs from the one the service serves stops the run before anything
 * is saved; an archived file of the same name is never overwritten. `baseUrl` is the service's
 * (`http://host:3000`).
 */
export const fetchArchive = async (
  dir: string,
  baseUrl: string,
  credentials: { username: string; password: string },
  exporting: (treeSize: number) => Pick<Progress, 'update' | 'stop'>,
): Promise<ArchivedFiles> => {
  const api = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(`${api}${path}`, init);
    } catch (error) {
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Layanan di ${baseUrl} tidak menjawab (${reason?.code ?? reason?.message ?? String(error)}): periksa --url. Tidak ada yang disimpan.`,
        EXIT_CODES.usage,
      );
    }
  };
  const refused = async (res: Response, what: string): Promise<CliError> => {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    return new CliError(
      `${what}: ${res.status} ${body.message ?? res.statusText}. Tidak ada yang disimpan.`,
      // The service refused us (a login, a role, a parameter) or could not answer (starting, its store down).
      res.status >= 500 ? EXIT_CODES.unavailable : EXIT_CODES.usage,
    );
  };

  const login = await call('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!login.ok) {
    throw await refused(login, `Masuk sebagai ${credentials.username} ditolak`);
  }
  const { accessToken } = (await login.json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}` };
  const signing = await call('/audit/checkpoints', { method: 'POST', headers: auth });
  if (!signing.ok) {
    throw await refused(
      signing,
      `Checkpoint tidak dapat ditandatangani (akun ${credentials.username} harus Bawaslu atau admin)`,
    );
  }
  const checkpointRes = await call('/audit/checkpoint');
  if (!checkpointRes.ok) {
    throw await refused(checkpointRes, 'Checkpoint tidak dapat diunduh');
  }
  const note = await checkpointRes.text();
  const treeSize = Number(note.split('\n')[1]);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) {
    throw new CliError(
      `${api}/audit/checkpoint tidak menyajikan checkpoint (baris kedua bukan ukuran pohon): periksa --url. Tidak ada yang disimpan.`,
      EXIT_CODES.usage,
    );
  }
  const keyRes = await call('/audit/public-key');
  if (!keyRes.ok) {
    throw await refused(keyRes, 'Kunci verifikasi tidak dapat diunduh');
  }
  const key = (await keyRes.text()).trim();

  await mkdir(dir, { recursive: true });
  const keyFile = join(dir, 'netral.key');
  const archivedKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined;
  if (archivedKey !== undefined && archivedKey !== key) {
    throw new CliError(
      `GAGAL: kunci verifikasi yang disajikan layanan (${key}) berbeda dari ${keyFile} di arsip (${archivedKey}). ` +
        'Checkpoint dengan kunci lain tidak membuktikan kelanjutan riwayat yang diarsipkan: jangan lanjutkan, tanyakan kepada pengelola Netral dan bandingkan dengan kunci yang diumumkan resmi. Tidak ada yang disimpan.',
      EXIT_CODES.failed,
    );
  }

  const exportFile = join(dir, `export-${treeSize}.ndjson`);
  const exportRes = await call(`/audit/export?to=${treeSize}`, { headers: auth });
  if (!exportRes.ok || !exportRes.body) {
    throw await refused(exportRes, 'Ekspor tidak dapat diunduh');
  }
  const progress = exporting(treeSize);
  let seen = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
        seen += 1;
      }
      progress.update(seen);
      done(null, chunk);
    },
  });
  // Written under another name until whole: a cut connection leaves no export to be mistaken for one.
  const partial = `${exportFile}.part`;
  try {
    await pipeline(
      Readable.fromWeb(exportRes.body as WebReadableStream<Uint8Array>),
      counting,
      createWriteStream(partial), // ours: one left by a run cut off (Ctrl-C) is replaced
    );
  } catch (error) {
    await rm(partial, { force: true });
    throw new CliError(
      `Ekspor terputus setelah ${seen} baris (${error instanceof Error ? error.message : String(error)}): ulangi. Tidak ada yang disimpan.`,
      EXIT_CODES.usage,
    );
  } finally {
    progress.stop();
  }
  // An export of this size is archived already: the same bytes are kept once; other bytes for the same
  // leaves are kept beside it, as the evidence they are (verify says which one the checkpoint signs).
  let exported = exportFile;
  if (!existsSync(exportFile)) {
    await rename(partial, exportFile);
  } else if ((await sha256File(partial)) === (await sha256File(exportFile))) {
    await rm(partial);
  } else {
    exported = unusedPath(dir, `export-${treeSize}`, '.ndjson');
    await rename(partial, exported);
  }

  // Likewise the checkpoint: an identical note is kept once (a signature over the same tree is the same).
  const archivedCheckpoint = join(dir, `checkpoint-${treeSize}.txt`);
  let checkpointFile = archivedCheckpoint;
  if (!existsSync(archivedCheckpoint) || readFileSync(archivedCheckpoint, 'utf8') !== note) {
    checkpointFile = unusedPath(dir, `checkpoint-${treeSize}`, '.txt');
    await writeFile(checkpointFile, note, { flag: 'wx' });
  }
  if (archivedKey === undefined) {
    await writeFile(keyFile, `${key}\n`, { flag: 'wx' });
  }
  return {
    treeSize,
    checkpoint: checkpointFile,
    export: exported,
    key: keyFile,
    keyIsNew: archivedKey === undefined,
  };
};
