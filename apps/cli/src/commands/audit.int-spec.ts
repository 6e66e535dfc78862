import { type EventStore, SqliteEventStore } from '@netral/event-store';
import {
  type CheckpointKey,
  type CheckpointSettings,
  leafBytes,
  loadCheckpointKey,
  signCheckpoint,
  TRANSPARENCY_LOG_FILE,
  TransparencyLog,
} from '@netral/transparency-log';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '@netral/testing';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerAuditCommands } from './audit';

/**
 * What an auditor does, on a real SQLite store: archive the key, checkpoints and an export; later verify
 * offline. Then an attacker with file access drops the immutability triggers and edits events.sqlite (one
 * byte, a deletion, a swap), or edits the export file: the verifier must fail and name the first leaf.
 */
const ORIGIN = 'netral.test/51.06';
const TAMPERED_POSITION = 34; // positions start at 1: leaf 33
const TAMPERED_LEAF = 33;

const pledge = (i: number) => ({
  type: 'PledgeSigned',
  data: { nip: `19850312201001${String(1000 + i)}`, place: 'Bangli', n: i },
  metadata: { actorId: 'hr-1', actorRole: 'HR', correlationId: `c-${i}`, schemaVersion: 1 },
});

const appendEvents = async (store: EventStore, from: number, n: number): Promise<void> => {
  for (let i = from; i < from + n; i++) {
    await store.appendToStream(`pledge-e1-${i % 9}`, pledge(i));
  }
};

/** The log as the service builds it (same key loading, same file, same leaves), caught up on demand. */
interface OpenedLog {
  log: TransparencyLog;
  key: CheckpointKey;
  catchUp(): Promise<void>;
  checkpointNote(): string;
  exportLines(): AsyncIterable<Buffer>;
  inclusionProof(index: number, treeSize: number): object;
  consistencyProof(from: number, to: number): object;
  close(): void;
}

const b64 = (hashes: Buffer[]) => hashes.map((h) => h.toString('base64'));

const openLog = (settings: CheckpointSettings, store: EventStore): OpenedLog => {
  const key = loadCheckpointKey(settings);
  const log = new TransparencyLog(join(settings.dataDir, TRANSPARENCY_LOG_FILE), {
    origin: settings.checkpoint.origin,
    keyName: key.keyName,
    privateKey: key.privateKey,
  });
  return {
    log,
    key,
    catchUp: async () => {
      const batch = [];
      for await (const event of store.readAll({ fromPosition: log.position ?? 'start' })) {
        if (log.position === null || event.position > log.position) {
          batch.push(event);
        }
      }
      log.append(batch);
    },
    checkpointNote: () => (log.checkpoint(new Date()) ?? log.latestCheckpoint()!).note,
    exportLines: async function* () {
      let index = 0;
      for await (const event of store.readAll({ fromPosition: 'start', maxCount: log.size })) {
        yield Buffer.concat([leafBytes(event, index), Buffer.from('\n')]);
        index += 1;
      }
    },
    inclusionProof: (index, treeSize) => ({
      index,
      treeSize,
      leafHash: log.leafHash(index).toString('base64'),
      hashes: b64(log.inclusion(index, treeSize)),
    }),
    consistencyProof: (from, to) => ({ from, to, hashes: b64(log.consistency(from, to)) }),
    close: () => log.close(),
  };
};

const audit = runCommand(registerAuditCommands);
const cli = (...args: string[]) => audit('audit', ...args);

describe('netral audit (offline verifier) against tampering', () => {
  let dir: string;
  let archive: string;
  let store: SqliteEventStore;
  let opened: OpenedLog;
  const settings = (dataDir: string): CheckpointSettings => ({
    dataDir,
    checkpoint: {
      origin: ORIGIN,
      everyEvents: 1_000_000,
      everySeconds: 3600,
      // A rebuilt log signs with the same key, as the server would after a rebuild.
      keyPath: join(dir, 'data', 'checkpoint-key.pem'),
    },
  });
  const file = (name: string) => join(archive, name);
  const writeExport = async (log: OpenedLog, name: string): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const line of log.exportLines()) {
      chunks.push(line);
    }
    writeFileSync(file(name), Buffer.concat(chunks));
    return file(name);
  };
  const exportLines = (name: string) => readFileSync(file(name), 'utf8').split('\n').slice(0, -1);
  const writeLines = (name: string, lines: string[]) =>
    writeFileSync(file(name), `${lines.join('\n')}\n`);
  const tamperStore = (sql: string) => {
    const db = new Database(join(dir, 'data', 'events.sqlite'));
    db.exec('DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_permanent;');
    db.exec(sql);
    db.close();
  };
  const verify = (exportName: string, ...extra: string[]) =>
    cli(
      'verify',
      '--export',
      file(exportName),
      '--checkpoint',
      file('cp-20.txt'),
      '--checkpoint',
      file('cp-50.txt'),
      '--key',
      file('netral.key'),
      ...extra,
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netral-audit-cli-'));
    archive = join(dir, 'archive');
    mkdirSync(archive);
    store = new SqliteEventStore({
      file: join(dir, 'data', 'events.sqlite'),
      synchronous: 'NORMAL',
    });
    opened = openLog(
      {
        dataDir: join(dir, 'data'),
        checkpoint: { ...settings(dir).checkpoint, keyPath: undefined },
      },
      store,
    );
    await appendEvents(store, 0, 20);
    await opened.catchUp();
    writeFileSync(file('cp-20.txt'), opened.checkpointNote());
    await appendEvents(store, 20, 30);
    await opened.catchUp();
    writeFileSync(file('cp-50.txt'), opened.checkpointNote());
    writeFileSync(file('netral.key'), `${opened.key.verifierKey}\n`);
    await writeExport(opened, 'export.ndjson');
  });

  afterEach(async () => {
    opened.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies an untouched export against every archived checkpoint (exit 0)', async () => {
    const res = await verify('export.ndjson');
    expect(res).toEqual({
      code: 0,
      output: expect.stringContaining(
        'OK: 50 baris pertama dari 50 baris ekspor persis sama',
      ) as string,
    });
    mkdirSync(file('cps'));
    writeFileSync(file('cps/a.txt'), readFileSync(file('cp-20.txt')));
    writeFileSync(file('cps/b.txt'), readFileSync(file('cp-50.txt')));
    const fromDir = await cli(
      'verify',
      ...['--export', file('export.ndjson'), '--checkpoints-dir', file('cps')],
      ...['--key', file('netral.key')],
    );
    expect(fromDir.code).toBe(0);
    expect(fromDir.output).toContain('checkpoint 20, 50');
  });

  describe('an edited export file: the first bad line is named', () => {
    const SMALLEST_20 = 'checkpoint 20 (yang terkecil yang gagal)';
    const SMALLEST_50 = 'checkpoint 50 (yang terkecil yang gagal)';
    it.each([
      [
        'a deleted line',
        (l: string[]) => l.filter((_, i) => i !== 30),
        'baris 31 adalah yang pertama gagal: "index" bernilai 31, padahal daun di baris ini berindeks 30',
        'checkpoint 50: ekspor hanya berisi 49 baris; 1 daun terakhir',
        'ada di baris 21–31 (daun 20–30); 20 baris pertama terbukti sama',
      ],
      [
        'two swapped lines',
        (l: string[]) => [...l.slice(0, 30), l[31], l[30], ...l.slice(32)],
        'baris 31 adalah yang pertama gagal: "index" bernilai 31',
        SMALLEST_50,
        'ada di baris 21–31 (daun 20–30)',
      ],
      [
        'a non-canonical line',
        (l: string[]) => l.map((x, i) => (i === 12 ? x.replace(':', ': ') : x)),
        'baris 13 adalah yang pertama gagal: bukan bentuk kanonis (RFC 8785) dari JSON-nya sendiri',
        SMALLEST_20,
        'ada di baris 1–13 (daun 0–12).',
      ],
      [
        'a non-canonical line right after a matching checkpoint',
        (l: string[]) => l.map((x, i) => (i === 20 ? x.replace(':', ': ') : x)),
        'baris 21 adalah yang pertama gagal',
        SMALLEST_50,
        'Baris pertama yang tidak sama dengan riwayat bertanda tangan: baris 21 (daun 20).',
      ],
      [
        'a malformed line',
        (l: string[]) => l.map((x, i) => (i === 41 ? x.slice(0, -1) : x)),
        'baris 42 adalah yang pertama gagal: bukan objek JSON',
        SMALLEST_50,
        'ada di baris 21–42 (daun 20–41)',
      ],
      [
        'an empty line',
        (l: string[]) => [...l.slice(0, 5), '', ...l.slice(5)],
        'baris 6 adalah yang pertama gagal: baris kosong',
        SMALLEST_20,
        'ada di baris 1–6 (daun 0–5)',
      ],
    ])('%s', async (_, edit, formCheck, checkpoint, located) => {
      writeLines('edited.ndjson', edit(exportLines('export.ndjson')));
      const res = await verify('edited.ndjson');
      expect(res.code).toBe(1);
      // The form check says what it is based on, and does not pass for a proof that earlier lines are intact.
      expect(res.output).toContain(formCheck);
      expect(res.output).toContain('tidak membuktikan isinya utuh');
      expect(res.output).toContain(checkpoint);
      expect(res.output).toContain(located);
      expect(res.output).not.toContain('riwayat diubah');
    });

    it('a changed byte inside a value: the smallest failing checkpoint bounds it, the archived export names it', async () => {
      const lines = exportLines('export.ndjson');
      lines[TAMPERED_LEAF] = lines[TAMPERED_LEAF].replace('Bangli', 'Banglj');
      writeLines('edited.ndjson', lines);
      const bounded = await verify('edited.ndjson');
      expect(bounded.code).toBe(1);
      expect(bounded.output).toContain('checkpoint 50 (yang terkecil yang gagal)');
      expect(bounded.output).toContain('ada di baris 21–50 (daun 20–49)');
      const named = await verify('edited.ndjson', '--reference', file('export.ndjson'));
      expect(named.code).toBe(1);
      expect(named.output).toContain('ekspor arsip cocok dengan checkpoint 50');
      expect(named.output).toContain(
        `Baris pertama yang tidak sama dengan riwayat bertanda tangan: baris ${TAMPERED_LEAF + 1} (daun ${TAMPERED_LEAF}).`,
      );
    });

    it('an archived export that is itself damaged never puts the blame on the export', async () => {
      const lines = exportLines('export.ndjson');
      lines[10] = lines[10].replace('Bangli', 'Banglj');
      writeLines('damaged-archive.ndjson', lines);
      // The export is good: it verifies, and the warning names the archive as the file that differs.
      const good = await verify('export.ndjson', '--reference', file('damaged-archive.ndjson'));
      expect(good.code).toBe(0);
      expect(good.output).toContain('OK: 50 baris pertama');
      expect(good.output).toContain('mulai baris 11');
      expect(good.output).toContain('ekspor ARSIP-lah yang bukan daun 10');
      // The export is bad elsewhere: the archive matches no checkpoint, so its difference at line 11 names
      // nothing; only the checkpoints bound the first changed line.
      const edited = exportLines('export.ndjson');
      edited[TAMPERED_LEAF] = edited[TAMPERED_LEAF].replace('Bangli', 'Banglj');
      writeLines('edited.ndjson', edited);
      const bad = await verify('edited.ndjson', '--reference', file('damaged-archive.ndjson'));
      expect(bad.code).toBe(1);
      expect(bad.output).toContain('ekspor arsip tidak cocok dengan checkpoint mana pun');
      expect(bad.output).toContain('ada di baris 21–50 (daun 20–49)');
      expect(bad.output).not.toContain('riwayat bertanda tangan: baris 11');
    });

    it('lines beyond the largest checkpoint are reported as unsigned, and their form is checked', async () => {
      await appendEvents(store, 50, 5);
      await opened.catchUp();
      await writeExport(opened, 'longer.ndjson');
      const res = await verify('longer.ndjson');
      expect(res.code).toBe(0);
      expect(res.output).toContain('OK: 50 baris pertama dari 55 baris ekspor');
      expect(res.output).toContain(
        'PERINGATAN: baris 51–55 (daun 50–54) berada di luar checkpoint terbesar (50)',
      );
      expect(res.output).toContain('isinya TIDAK terverifikasi');
      const lines = exportLines('longer.ndjson');
      lines[52] = lines[52].slice(0, -1);
      writeLines('longer.ndjson', lines);
      const broken = await verify('longer.ndjson');
      expect(broken.code).toBe(0);
      expect(broken.output).toContain(
        'PERINGATAN: baris 53 (di luar checkpoint) tidak mungkin daun ledger: bukan objek JSON',
      );
    });

    it('a truncated export: the signed events that are missing are counted', async () => {
      writeLines('short.ndjson', exportLines('export.ndjson').slice(0, 40));
      const res = await verify('short.ndjson');
      expect(res.code).toBe(1);
      expect(res.output).toContain('ekspor hanya berisi 40 baris; 10 daun terakhir');
    });
  });

  describe.each([
    [
      'one changed byte',
      `UPDATE events SET data = replace(data, 'Bangli', 'Banglj') WHERE position = ${TAMPERED_POSITION}`,
    ],
    ['a deleted event', `DELETE FROM events WHERE position = ${TAMPERED_POSITION}`],
    [
      'two swapped events',
      `UPDATE events SET data = CASE position WHEN ${TAMPERED_POSITION} THEN (SELECT data FROM events WHERE position = ${TAMPERED_POSITION + 1})
         ELSE (SELECT data FROM events WHERE position = ${TAMPERED_POSITION}) END
       WHERE position IN (${TAMPERED_POSITION}, ${TAMPERED_POSITION + 1})`,
    ],
  ])('the event store is edited behind the ledger’s back (%s)', (_, sql) => {
    let rebuilt: OpenedLog;

    beforeEach(async () => {
      opened.close();
      await store.close();
      tamperStore(sql);
      store = new SqliteEventStore({
        file: join(dir, 'data', 'events.sqlite'),
        synchronous: 'NORMAL',
      });
      await appendEvents(store, 50, 5);
      // A fresh log rebuilt from the tampered store (a new instance, or the operator covering tracks).
      rebuilt = openLog(settings(join(dir, 'rebuilt')), store);
      await rebuilt.catchUp();
      writeFileSync(file('cp-new.txt'), rebuilt.checkpointNote());
      await writeExport(rebuilt, 'after.ndjson');
      opened = rebuilt;
    });

    it('the new export fails the archived checkpoint and the archived export names the first affected leaf', async () => {
      const bounded = await verify('after.ndjson');
      expect(bounded.code).toBe(1);
      expect(bounded.output).toContain('checkpoint 50 (yang terkecil yang gagal)');
      expect(bounded.output).toContain('ada di baris 21–50');
      const named = await verify('after.ndjson', '--reference', file('export.ndjson'));
      expect(named.code).toBe(1);
      expect(named.output).toContain(
        `Baris pertama yang tidak sama dengan riwayat bertanda tangan: baris ${TAMPERED_LEAF + 1} (daun ${TAMPERED_LEAF}).`,
      );
    });

    it('the checkpoint taken before the tampering is not consistent with the rebuilt log', async () => {
      const size = rebuilt.log.size;
      writeFileSync(file('proof.json'), JSON.stringify(rebuilt.consistencyProof(50, size)));
      const res = await cli(
        'consistency',
        file('cp-50.txt'),
        file('cp-new.txt'),
        ...['--proof', file('proof.json'), '--key', file('netral.key')],
      );
      expect(res.code).toBe(1);
      expect(res.output).toContain(
        `TIDAK menghubungkan checkpoint 50 dengan checkpoint ${size} (keduanya bertanda tangan sah)`,
      );
      // The untouched prefix still is.
      writeFileSync(file('proof20.json'), JSON.stringify(rebuilt.consistencyProof(20, size)));
      const prefix = await cli(
        'consistency',
        file('cp-20.txt'),
        file('cp-new.txt'),
        ...['--proof', file('proof20.json'), '--key', file('netral.key')],
      );
      expect(prefix.code).toBe(0);
    });

    it('audit check on the server names the first affected leaf from the original log', async () => {
      const saved = { ...process.env };
      Object.assign(process.env, {
        NETRAL_DATA_DIR: join(dir, 'data'),
        NETRAL_CHECKPOINT_ORIGIN: ORIGIN,
        NETRAL_LOG_LEVEL: 'silent',
      });
      try {
        const res = await cli('check');
        expect(res.code).toBe(1);
        expect(res.output).toContain(`daun ${TAMPERED_LEAF}:`);
      } finally {
        process.env = saved;
      }
    });
  });

  describe('an auditor’s archive as the README lays it out', () => {
    it('--checkpoints-dir passes over the exports, proofs and key beside the checkpoints, naming them', async () => {
      writeFileSync(file('consistency.json'), JSON.stringify(opened.consistencyProof(20, 50)));
      const res = await cli(
        'verify',
        '--export',
        file('export.ndjson'),
        '--checkpoints-dir',
        archive,
        '--key',
        file('netral.key'),
      );
      expect(res.code).toBe(0);
      expect(res.output).toContain(
        `Dilewati di ${archive} (bukan checkpoint): consistency.json, export.ndjson, netral.key.`,
      );
      expect(res.output).toContain('(checkpoint 20, 50;');
      // A folder without any checkpoint verifies nothing: unusable input.
      const empty = join(dir, 'kosong');
      mkdirSync(empty);
      writeFileSync(join(empty, 'catatan.txt'), 'arsip minggu ini\n');
      const none = await cli(
        'verify',
        '--export',
        file('export.ndjson'),
        '--checkpoints-dir',
        empty,
        '--key',
        file('netral.key'),
      );
      expect(none.code).toBe(EXIT_CODES.usage);
      expect(none.output).toContain(`Folder ${empty} tidak berisi checkpoint`);
    });

    it('an export of part of the log (?from=N) is unusable input, not a verdict on the ledger', async () => {
      writeLines('slice.ndjson', exportLines('export.ndjson').slice(12, 20));
      const res = await verify('slice.ndjson');
      expect(res.code).toBe(EXIT_CODES.usage);
      expect(res.output).toContain('dimulai dari daun 12, bukan daun 0 (diunduh dengan ?from=12');
      expect(res.output).not.toContain('GAGAL');
    });

    it('reads the files where `npm run cli` was typed (INIT_CWD), not in the package folder', async () => {
      const inArchive = runCommand(registerAuditCommands, {
        npm_lifecycle_event: 'cli',
        INIT_CWD: archive,
      });
      const res = await inArchive(
        'audit',
        'verify',
        '--export',
        'export.ndjson',
        '--checkpoint',
        'cp-20.txt',
        '--checkpoint',
        'cp-50.txt',
        '--key',
        'netral.key',
      );
      expect(res).toEqual({ code: 0, output: expect.stringContaining('OK: 50 baris') as string });
      const consistency = await inArchive(
        'audit',
        'consistency',
        'cp-50.txt',
        'cp-50.txt',
        '--key',
        'netral.key',
      );
      expect(consistency.code).toBe(0);
    });
  });

  describe('inclusion of one event', () => {
    beforeEach(() => {
      writeFileSync(file('incl.json'), JSON.stringify(opened.inclusionProof(7, 50)));
      writeFileSync(file('leaf7.json'), `${exportLines('export.ndjson')[7]}\n`);
    });

    it('proves a line of the export, or a leaf file, is in the checkpoint', async () => {
      const common = [
        '--checkpoint',
        file('cp-50.txt'),
        '--proof',
        file('incl.json'),
        '--key',
        file('netral.key'),
      ];
      const viaExport = await cli(
        'inclusion',
        ...common,
        '--export',
        file('export.ndjson'),
        '--index',
        '7',
      );
      expect(viaExport).toEqual({
        code: 0,
        output: expect.stringContaining('isinya persis sama') as string,
      });
      expect((await cli('inclusion', ...common, '--leaf', file('leaf7.json'))).code).toBe(0);
      writeFileSync(
        file('leaf7.json'),
        exportLines('export.ndjson')[7].replace('Bangli', 'Banglj'),
      );
      const changed = await cli('inclusion', ...common, '--leaf', file('leaf7.json'));
      expect(changed.code).toBe(1);
      expect(changed.output).toContain('bukan byte yang dicatat ledger di daun tersebut');
    });

    it('two checkpoints of one size: the same log passes, two roots are named as two signed histories (no proof needed)', async () => {
      const args = (other: string) => [
        'consistency',
        file('cp-50.txt'),
        other,
        '--key',
        file('netral.key'),
      ];
      const same = await cli(...args(file('cp-50.txt')));
      expect(same).toEqual({
        code: 0,
        output: expect.stringContaining(
          'kedua checkpoint menyatakan log yang sama (50 daun',
        ) as string,
      });
      // A second tree of 50 leaves, signed by the ledger's own key: what a split view looks like.
      writeFileSync(
        file('cp-50-fork.txt'),
        signCheckpoint(
          { origin: ORIGIN, treeSize: 50, rootHash: Buffer.alloc(32, 7) },
          opened.key.keyName,
          opened.key.privateKey,
        ),
      );
      const fork = await cli(...args(file('cp-50-fork.txt')));
      expect(fork.code).toBe(1);
      expect(fork.output).toContain('root-nya berbeda: ledger menandatangani dua riwayat berbeda');
      // Between two sizes there is something to prove: without --proof, what to fetch.
      const unproven = await cli(
        'consistency',
        file('cp-20.txt'),
        file('cp-50.txt'),
        '--key',
        file('netral.key'),
      );
      expect(unproven.code).toBe(EXIT_CODES.usage);
      expect(unproven.output).toContain('GET /api/v1/audit/proofs/consistency?from=20&to=50');
    });

    it('an --index that is not a leaf number, or a third checkpoint for consistency: exit 2 saying so', async () => {
      const common = ['--checkpoint', file('cp-50.txt'), '--proof', file('incl.json')];
      const index = await cli(
        'inclusion',
        ...common,
        '--key',
        file('netral.key'),
        '--export',
        file('export.ndjson'),
        '--index',
        'tujuh',
      );
      expect(index).toEqual({
        code: 2,
        output: '--index harus bilangan bulat ≥ 0 (nomor baris ekspor − 1), bukan "tujuh".',
      });
      // Each pair needs its own proof: a third file was taken as nothing and the first two passed.
      const three = await cli(
        'consistency',
        file('cp-20.txt'),
        file('cp-50.txt'),
        file('cp-50.txt'),
        '--proof',
        file('incl.json'),
        '--key',
        file('netral.key'),
      );
      expect(three.code).toBe(2);
      expect(three.output).toContain('too many arguments');
    });

    it('rejects a proof for another tree size or a tampered proof', async () => {
      const common = ['--proof', file('incl.json'), '--key', file('netral.key')];
      expect((await cli('inclusion', '--checkpoint', file('cp-20.txt'), ...common)).code).toBe(2);
      const proof = JSON.parse(readFileSync(file('incl.json'), 'utf8')) as { hashes: string[] };
      proof.hashes[1] = Buffer.alloc(32, 1).toString('base64');
      writeFileSync(file('incl.json'), JSON.stringify(proof));
      expect((await cli('inclusion', '--checkpoint', file('cp-50.txt'), ...common)).code).toBe(1);
    });
  });

  describe('unusable input exits 2, a forged checkpoint exits 1', () => {
    it('missing files, a malformed key, a missing option', async () => {
      const missing = await cli(
        'verify',
        ...[
          '--export',
          file('nope.ndjson'),
          '--checkpoint',
          file('cp-50.txt'),
          '--key',
          file('netral.key'),
        ],
      );
      expect(missing).toEqual({
        code: 2,
        output: expect.stringContaining('tidak ditemukan') as string,
      });
      writeFileSync(file('bad.key'), 'not-a-key');
      const badKey = await cli(
        'verify',
        ...[
          '--export',
          file('export.ndjson'),
          '--checkpoint',
          file('cp-50.txt'),
          '--key',
          file('bad.key'),
        ],
      );
      expect(badKey.code).toBe(2);
      expect(
        (await cli('verify', '--export', file('export.ndjson'), '--key', file('netral.key'))).code,
      ).toBe(2);
      expect((await cli('verify', '--checkpoint', file('cp-50.txt'))).code).toBe(2);
      writeFileSync(file('proof.json'), '{not json');
      expect(
        (
          await cli(
            'consistency',
            file('cp-20.txt'),
            file('cp-50.txt'),
            '--proof',
            file('proof.json'),
            '--key',
            file('netral.key'),
          )
        ).code,
      ).toBe(2);
    });

    it('a checkpoint whose size or root was edited', async () => {
      writeFileSync(
        file('cp-50.txt'),
        readFileSync(file('cp-50.txt'), 'utf8').replace('\n50\n', '\n49\n'),
      );
      const res = await verify('export.ndjson');
      expect(res.code).toBe(1);
      expect(res.output).toContain('tanda tangannya tidak terverifikasi dengan kunci');
    });

    it('each unusable input exits 2 with one line naming the file, the place and what is wrong', async () => {
      const key = file('netral.key');
      const verifyWith = (exportFile: string, checkpoint = file('cp-50.txt'), keyFile = key) =>
        cli('verify', '--export', exportFile, '--checkpoint', checkpoint, '--key', keyFile);
      const consistency = (proof: string) =>
        cli('consistency', file('cp-20.txt'), file('cp-50.txt'), '--proof', proof, '--key', key);
      const write = (name: string, text: string) => {
        writeFileSync(file(name), text);
        return file(name);
      };
      const pem = readFileSync(join(dir, 'data', 'checkpoint-key.pem'), 'utf8');
      const cases: [string, Promise<{ code: number; output: string }>, string[]][] = [
        ['a folder as export', verifyWith(archive), [archive, 'bukan berkas biasa']],
        ['an empty export', verifyWith(write('empty.ndjson', '')), ['empty.ndjson', 'kosong']],
        [
          'an error body saved as export',
          verifyWith(write('401.ndjson', '{"statusCode":401,"error":"Unauthorized"}\n')),
          ['401.ndjson baris 1 bukan daun log', '401'],
        ],
        [
          'an HTML page saved as export',
          verifyWith(write('page.ndjson', '<!DOCTYPE html>\n<html></html>\n')),
          ['page.ndjson baris 1 bukan JSON'],
        ],
        [
          'a checkpoint that is not a signed note',
          verifyWith(file('export.ndjson'), write('cp.json', '{"treeSize":50}\n')),
          ['cp.json bukan signed note C2SP'],
        ],
        [
          'the private PEM key instead of the verifier key',
          verifyWith(file('export.ndjson'), file('cp-50.txt'), write('key.pem', pem)),
          ['key.pem tidak sah', 'Berkas ini PEM'],
        ],
        [
          'a proof that is not JSON',
          consistency(write('p1.json', '{\n  "from": 20,\n  "to": 50\n  "hashes": []\n}\n')),
          ['p1.json bukan JSON yang sah', 'baris 4'],
        ],
        [
          'a proof with a field of the wrong type',
          consistency(write('p2.json', '{"from":"20","to":50,"hashes":[]}')),
          ['p2.json: "from" harus bilangan bulat ≥ 0, ditemukan "20"'],
        ],
        [
          'a proof hash that is not 32 bytes',
          consistency(write('p3.json', '{"from":20,"to":50,"hashes":["AAAA"]}')),
          ['p3.json: "hashes"[0] bukan base64 dari 32 byte'],
        ],
        [
          'an inclusion proof without its leaf hash',
          cli(
            'inclusion',
            ...['--checkpoint', file('cp-50.txt'), '--key', key],
            ...['--proof', write('p4.json', '{"index":3,"treeSize":50,"hashes":[]}')],
          ),
          ['p4.json: "leafHash" harus base64', 'tidak ada'],
        ],
      ];
      for (const [what, pending, expected] of cases) {
        const res = await pending;
        expect({ what, code: res.code, lines: res.output.split('\n').length }).toEqual({
          what,
          code: 2,
          lines: 1,
        });
        for (const text of expected) {
          expect(res.output).toContain(text);
        }
      }
    });
  });
});

describe('netral audit check with the event store down', () => {
  const saved = { ...process.env };
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'netral-audit-check-'));
    writeFileSync(join(dataDir, TRANSPARENCY_LOG_FILE), ''); // a log exists; the store is what is missing
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 69 with the store’s reason, not 3: no verdict, nothing checked', async () => {
    Object.assign(process.env, {
      NETRAL_DATA_DIR: dataDir,
      NETRAL_LOG_LEVEL: 'silent',
      EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${await closedPort()}?tls=false`,
    });
    const res = await cli('check');
    expect(res.code).toBe(EXIT_CODES.unavailable);
    expect(res.output).toMatch(
      /Penyimpanan event \(eventstoredb\) tidak dapat dihubungi saat pemeriksaan dimulai: .*ECONNREFUSED.*Tidak ada yang diperiksa/s,
    );
  });
});
