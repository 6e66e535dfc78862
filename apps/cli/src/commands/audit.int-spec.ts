import { type EventStore, SqliteEventStore } from '@netral/event-store';
import {
  type CheckpointKey,
  type CheckpointSettings,
  leafBytes,
  loadCheckpointKey,
  TRANSPARENCY_LOG_FILE,
  TransparencyLog,
} from '@netral/transparency-log';
import Database from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli-error';
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

const cli = async (...args: string[]): Promise<{ code: number; output: string }> => {
  const program = new Command('netral').exitOverride();
  registerAuditCommands(program);
  const lines: string[] = [];
  const capture = (...a: unknown[]) => void lines.push(a.join(' '));
  const log = jest.spyOn(console, 'log').mockImplementation(capture);
  const error = jest.spyOn(console, 'error').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'netral', 'audit', ...args]);
    return { code: 0, output: lines.join('\n') };
  } catch (e) {
    if (e instanceof CliError || e instanceof CommanderError) {
      return { code: e.exitCode, output: [...lines, e.message].join('\n') };
    }
    throw e;
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
};

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
      output: expect.stringContaining('OK: 50 event pertama') as string,
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
        30,
        'seharusnya 30',
        'checkpoint 50: ekspor hanya berisi 49 baris, 1 event',
      ],
      [
        'two swapped lines',
        (l: string[]) => [...l.slice(0, 30), l[31], l[30], ...l.slice(32)],
        30,
        'seharusnya 30',
        SMALLEST_50,
      ],
      [
        'a non-canonical line',
        (l: string[]) => l.map((x, i) => (i === 12 ? x.replace(':', ': ') : x)),
        12,
        'kanonis',
        SMALLEST_20,
      ],
      [
        'a malformed line',
        (l: string[]) => l.map((x, i) => (i === 41 ? x.slice(0, -1) : x)),
        41,
        'bukan JSON',
        SMALLEST_50,
      ],
      [
        'an empty line',
        (l: string[]) => [...l.slice(0, 5), '', ...l.slice(5)],
        5,
        'baris kosong',
        SMALLEST_20,
      ],
    ])('%s', async (_, edit, index, reason, checkpoint) => {
      writeLines('edited.ndjson', edit(exportLines('export.ndjson')));
      const res = await verify('edited.ndjson');
      expect(res.code).toBe(1);
      expect(res.output).toContain(`Daun pertama yang terdampak: indeks ${index}`);
      expect(res.output).toContain(reason);
      expect(res.output).toContain(checkpoint);
    });

    it('a changed byte inside a value: the smallest failing checkpoint bounds it, the archived export names it', async () => {
      const lines = exportLines('export.ndjson');
      lines[TAMPERED_LEAF] = lines[TAMPERED_LEAF].replace('Bangli', 'Banglj');
      writeLines('edited.ndjson', lines);
      const bounded = await verify('edited.ndjson');
      expect(bounded.code).toBe(1);
      expect(bounded.output).toContain('checkpoint 50 (yang terkecil yang gagal)');
      expect(bounded.output).toContain('di antara baris 21 dan 50 (daun 20–49)');
      const named = await verify('edited.ndjson', '--reference', file('export.ndjson'));
      expect(named.code).toBe(1);
      expect(named.output).toContain(`Daun pertama yang terdampak: indeks ${TAMPERED_LEAF}`);
    });

    it('a truncated export: the signed events that are missing are counted', async () => {
      writeLines('short.ndjson', exportLines('export.ndjson').slice(0, 40));
      const res = await verify('short.ndjson');
      expect(res.code).toBe(1);
      expect(res.output).toContain('ekspor hanya berisi 40 baris, 10 event');
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
      expect(bounded.output).toContain('di antara baris 21 dan 50');
      const named = await verify('after.ndjson', '--reference', file('export.ndjson'));
      expect(named.code).toBe(1);
      expect(named.output).toContain(`Daun pertama yang terdampak: indeks ${TAMPERED_LEAF}`);
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
      expect(res.output).toContain(`checkpoint ${size} TIDAK konsisten dengan checkpoint 50`);
      // The untouched prefix still is.
      writeFileSync(
        file('proof20.json'),
        JSON.stringify(rebuilt.consistencyProof(20, size)),
      );
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
      expect(changed.output).toContain('event itu diubah');
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
      expect(res.output).toContain('tidak sah');
    });
  });
});
