import { EventStore } from '@netral/event-store';
import { createTestApp, tempDir, type TestApp } from '@netral/testing';
import {
  copyFileSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AuditLog } from '../../../ledger/src/audit/audit-log.service';
import { DEMO_LOGINS } from '../../../ledger/src/demo/demo.seeder';
import { ElectionCommands } from '../../../ledger/src/elections/election.commands';
import { systemActor } from '../../../ledger/src/identity/user.commands';
import { DataDirLock } from '../../../ledger/src/infrastructure/data-dir-lock';
import { type BackupManifest, MANIFEST_FILE } from '../backup/backup';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerBackupCommands } from './backup';

/** `netral backup …` with NETRAL_DATA_DIR set to `dataDir` for the run. */
const backupIn =
  (dataDir: string) =>
  (...args: string[]) =>
    runCommand(registerBackupCommands, { NETRAL_DATA_DIR: dataDir })('backup', ...args);

const manifestOf = (dir: string): BackupManifest =>
  JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;

/**
 * A backup of the demo regency's data directory taken while its service writes, restored into an empty
 * directory where a service starts on it: the ledger as it was at the snapshot, the read models and the
 * transparency log caught up with it, the officials' passwords working. And every way an archived backup
 * can differ from its manifest found, every refusal doing nothing.
 */
describe('netral backup', () => {
  const scratch: string[] = [];
  const dir = (): string => {
    const made = tempDir('netral-backup-');
    scratch.push(made);
    return made;
  };
  let dataDir: string;
  let backup: string;
  let manifest: BackupManifest;
  let writtenDuring = 0;

  beforeAll(async () => {
    dataDir = dir();
    backup = join(dir(), 'cadangan-1');
    const service: TestApp = await createTestApp({ NETRAL_DEMO: 'true', NETRAL_DATA_DIR: dataDir });
    try {
      // A document half-written (as DocumentStore writes one: `….tmp`, then renamed) is not copied.
      writeFileSync(join(dataDir, 'documents', 'sedang-ditulis.4242.tmp'), 'sebagian');
      // The service keeps writing while the backup is taken.
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await service.app.get(ElectionCommands).schedule(
            {
              electionId: `pilkada-ulang-${++writtenDuring}`,
              name: `Pilkada ulang ${writtenDuring}`,
              kind: 'PILKADA',
              votingDay: '2025-08-27',
              monitoringFrom: '2025-06-27',
              monitoringUntil: '2025-09-27',
            },
            systemActor(),
          );
        }
      })();
      const run = await backupIn(dataDir)('create', backup);
      writing = false;
      await writer;
      expect(run).toEqual({ code: 0, output: expect.stringContaining(`Cadangan di ${backup}: `) });
      manifest = manifestOf(backup);
    } finally {
      await service.close();
    }
  }, 120_000);

  afterAll(() => {
    for (const made of scratch) {
      rmSync(made, { recursive: true, force: true });
    }
  });

  it('snapshots the ledger between the files that follow it and the ones it names', () => {
    const paths = manifest.files.map((file) => file.path);
    const ledgerAt = paths.indexOf('events.sqlite');
    expect(ledgerAt).toBeGreaterThan(-1);
    for (const derived of ['readmodels.sqlite', 'tlog.sqlite', 'idempotency.sqlite']) {
      expect(paths.indexOf(derived)).toBeLessThan(ledgerAt);
    }
    for (const named of ['identity.sqlite', 'checkpoint-key.pem', 'jwt-secret']) {
      expect(paths.indexOf(named)).toBeGreaterThan(ledgerAt);
    }
    expect(paths.some((path) => path.startsWith('documents/'))).toBe(true);
    expect(paths).not.toContain('netral.lock');
    expect(paths).not.toContain('documents/sedang-ditulis.4242.tmp');
    expect(paths.some((path) => /-(wal|shm)$/.test(path))).toBe(false);
    expect(writtenDuring).toBeGreaterThan(0);
    expect(manifest.ledger!.events).toBeGreaterThan(1000);
  });

  it('keeps secrets private: the directory 0700, the credentials and keys 0600', () => {
    expect(statSync(backup).mode & 0o777).toBe(0o700);
    for (const secret of ['identity.sqlite', 'checkpoint-key.pem', 'jwt-secret']) {
      expect({ secret, mode: statSync(join(backup, secret)).mode & 0o777 }).toEqual({
        secret,
        mode: 0o600,
      });
    }
  });

  it('verify: an untouched backup is whole (exit 0)', async () => {
    const run = await backupIn(dataDir)('verify', backup);
    expect(run.code).toBe(0);
    expect(run.output).toContain(
      `utuh: ${manifest.files.length} berkas cocok dengan manifest (dibuat ${manifest.createdAt}), ledger ${manifest.ledger!.events} event`,
    );
  });

  it('restore: a service starts on the restored directory with the ledger of the snapshot, caught up', async () => {
    const restored = join(dir(), 'data');
    const run = await backupIn(restored)('restore', backup);
    expect(run.code).toBe(0);
    expect(run.output).toContain(`Dipulihkan ke ${restored}: ${manifest.files.length} berkas`);

    const service = await createTestApp({ NETRAL_DATA_DIR: restored });
    try {
      const head = await service.app.get(EventStore).headPosition();
      expect(String(head)).toBe(manifest.ledger!.headPosition);
      const audit = service.app.get(AuditLog);
      await audit.includes(head!, 30_000);
      expect(audit.health().status).toBe('up');
      expect(audit.log.size).toBe(manifest.ledger!.events);
      const official = DEMO_LOGINS.find((login) => login.role === 'BAWASLU')!;
      const login = await request(service.server)
        .post('/api/v1/auth/login')
        .send({ username: official.username, password: official.password });
      expect(login.status).toBe(200);
      const compliance = await request(service.server)
        .get('/api/v1/compliance?electionId=pilkada-2024')
        .set('Authorization', `Bearer ${(login.body as { accessToken: string }).accessToken}`);
      expect(compliance.status).toBe(200);
      expect((compliance.body as { items: unknown[] }).items.length).toBeGreaterThan(10);
    } finally {
      await service.close();
    }
  }, 60_000);

  describe('verify finds what changed in an archived backup (exit 1)', () => {
    let copy: string;
    beforeEach(async () => {
      copy = join(dir(), 'salinan');
      expect((await backupIn(dataDir)('create', copy)).code).toBe(0);
    });

    it('one byte of the ledger', async () => {
      const file = join(copy, 'events.sqlite');
      const bytes = readFileSync(file);
      bytes[bytes.length - 100] ^= 0x01;
      writeFileSync(file, bytes);
      const run = await backupIn(dataDir)('verify', copy);
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.output).toContain(`Cadangan ${copy} TIDAK utuh: 1 masalah.`);
      expect(run.output).toContain('events.sqlite: isinya berubah (SHA-256 tidak cocok).');
    });

    it('a file removed, another added', async () => {
      rmSync(join(copy, 'jwt-secret'));
      writeFileSync(join(copy, 'catatan.txt'), 'ditambahkan');
      const run = await backupIn(dataDir)('verify', copy);
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.output).toContain('jwt-secret: tidak ada.');
      expect(run.output).toContain('catatan.txt: tidak tercatat di manifest');
    });

    it('and restore refuses such a backup, writing nothing', async () => {
      writeFileSync(join(copy, 'jwt-secret'), 'x'.repeat(64));
      const restored = join(dir(), 'data');
      const run = await backupIn(restored)('restore', copy);
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.output).toContain('jwt-secret: isinya berubah');
      expect(() => statSync(join(restored, 'events.sqlite'))).toThrow();
    });
  });

  it('follows a symbolic link in the data directory (evidence kept on another disk)', async () => {
    const linked = join(dir(), 'data');
    expect((await backupIn(linked)('restore', backup)).code).toBe(0);
    const elsewhere = join(dir(), 'bukti-di-disk-lain');
    renameSync(join(linked, 'documents'), elsewhere);
    symlinkSync(elsewhere, join(linked, 'documents'));
    const copy = join(dir(), 'salinan');
    expect((await backupIn(linked)('create', copy)).code).toBe(0);
    const documents = (folder: string) =>
      manifestOf(folder)
        .files.filter((file) => file.path.startsWith('documents/'))
        .map(({ path, sha256 }) => [path, sha256]);
    expect(documents(copy)).toEqual(documents(backup));
    expect(statSync(join(copy, 'documents')).isDirectory()).toBe(true);
  });

  it('a relative directory is where `npm run cli` was typed (INIT_CWD), not the package folder', async () => {
    const typedIn = dir();
    const run = await runCommand(registerBackupCommands, {
      NETRAL_DATA_DIR: dataDir,
      npm_lifecycle_event: 'cli',
      INIT_CWD: typedIn,
    })('backup', 'create', 'cadangan-relatif');
    expect(run.code).toBe(0);
    expect(manifestOf(join(typedIn, 'cadangan-relatif')).ledger).toBeDefined();
  });

  it('names a key file the configuration keeps outside the data directory: not in the backup', async () => {
    const keys = dir();
    const key = join(keys, 'checkpoint.pem');
    copyFileSync(join(dataDir, 'checkpoint-key.pem'), key);
    const copy = join(dir(), 'salinan');
    const run = await runCommand(registerBackupCommands, {
      NETRAL_DATA_DIR: dataDir,
      NETRAL_CHECKPOINT_KEY_PATH: key,
    })('backup', 'create', copy);
    expect(run.code).toBe(0);
    expect(run.output).toContain(
      `Tidak termasuk, di luar direktori data: NETRAL_CHECKPOINT_KEY_PATH (${key}). Cadangkan berkas itu sendiri.`,
    );
  });

  it('create refuses a directory that is not empty, or inside the data directory (exit 2, nothing done)', async () => {
    const full = dir();
    writeFileSync(join(full, 'lain.txt'), 'sudah ada');
    const intoFull = await backupIn(dataDir)('create', full);
    expect(intoFull.code).toBe(EXIT_CODES.usage);
    expect(intoFull.output).toContain(
      `${full} tidak kosong: cadangan tidak pernah menimpa apa pun.`,
    );
    expect(readFileSync(join(full, 'lain.txt'), 'utf8')).toBe('sudah ada');

    const inside = await backupIn(dataDir)('create', join(dataDir, 'cadangan'));
    expect(inside.code).toBe(EXIT_CODES.usage);
    expect(inside.output).toContain('saling memuat');
    expect(() => statSync(join(dataDir, 'cadangan'))).toThrow();
  });

  it('create refuses a data directory without a ledger (exit 2)', async () => {
    const empty = dir();
    const run = await backupIn(empty)('create', join(dir(), 'x'));
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.output).toContain(`Direktori data ${empty} tidak berisi ledger (events.sqlite)`);
  });

  it('restore never writes into a data directory in use (75) or not empty (2)', async () => {
    const busy = dir();
    const lock = DataDirLock.tryAcquire(busy)!;
    try {
      const run = await backupIn(busy)('restore', backup);
      expect(run.code).toBe(EXIT_CODES.busy);
      expect(run.output).toContain('Hentikan layanan lebih dulu.');
    } finally {
      lock.release();
    }
    const run = await backupIn(dataDir)('restore', backup);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.output).toContain(`Direktori data ${dataDir} tidak kosong`);
    expect(manifestOf(backup).createdAt).toBe(manifest.createdAt);
  });

  it('verify of a directory that is no backup: exit 2, naming the manifest', async () => {
    const run = await backupIn(dataDir)('verify', dir());
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.output).toContain(`${MANIFEST_FILE} tidak ada atau tidak terbaca`);
  });
});
