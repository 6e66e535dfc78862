import { type EventStore, type RecordedEvent, SqliteEventStore } from '@netral/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRequestError, compareStoreWithLog } from './audit-service';
import { parseVerifierKey, verifyCheckpoint } from './checkpoint';
import { type CheckpointSettings } from './keys';
import { leafBytes } from './leaf';
import { CompactRange, leafHash, verifyConsistency, verifyInclusion } from './merkle';
import { openTransparencyLog, type OpenedTransparencyLog } from './open-log';
import { type StoredCheckpoint, TransparencyLogIntegrityError } from './tree-store';

const settingsFor = (
  dataDir: string,
  everyEvents = 1000,
  everySeconds = 5,
): CheckpointSettings => ({
  dataDir,
  checkpoint: { origin: 'netral.test/51.06', everyEvents, everySeconds },
});

const pledge = (i: number) => ({
  type: 'PledgeSigned',
  data: { nip: `1985031220100110${String(i).padStart(2, '0')}`, place: 'Bangli', n: i },
  metadata: { actorId: 'hr-1', actorRole: 'HR', correlationId: `c-${i}`, schemaVersion: 1 },
});

/** Appends `n` events spread over a few streams; returns the last position. */
const appendEvents = async (store: EventStore, from: number, n: number): Promise<bigint> => {
  let last = 0n;
  for (let i = from; i < from + n; i++) {
    last = (await store.appendToStream(`pledge-e1-${i % 7}`, pledge(i))).position;
  }
  return last;
};

const rootOfStore = async (store: EventStore): Promise<{ size: number; root: Buffer }> => {
  const range = new CompactRange();
  for await (const event of store.readAll()) {
    range.push(leafHash(leafBytes(event, range.size)));
  }
  return { size: range.size, root: range.root() };
};

describe('LogBuilder and TransparencyLogService on a real SQLite store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let opened: OpenedTransparencyLog | undefined;

  const open = (everyEvents = 1000, onCheckpoint?: (c: StoredCheckpoint) => void) => {
    opened = openTransparencyLog(settingsFor(dir, everyEvents), store, {
      now: () => new Date('2024-09-20T00:00:00Z'),
      ...(onCheckpoint ? { onCheckpoint } : {}),
    });
    return opened;
  };

  const tamper = (sql: string) => {
    const db = new Database(join(dir, 'events.sqlite'));
    db.exec('DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_permanent;');
    db.exec(sql);
    db.close();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-tlog-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs the history, then live events, and its root is the root of the store in global order', async () => {
    await appendEvents(store, 0, 25);
    const { builder, log, service, key } = open();
    await builder.start();
    expect(log.size).toBe(25);
    const live = await appendEvents(store, 25, 12);
    await builder.waitFor(live);
    expect(log.size).toBe(37);
    expect(log.root()).toEqual((await rootOfStore(store)).root);
    const checkpoint = builder.checkpointNow()!;
    expect(checkpoint.treeSize).toBe(37);
    const verified = verifyCheckpoint(
      service.latestCheckpoint(),
      parseVerifierKey(key.verifierKey),
    );
    expect(verified).toEqual({
      ok: true,
      checkpoint: { origin: 'netral.test/51.06', treeSize: 37, rootHash: log.root() },
    });
    expect(service.publicKey()).toBe(key.verifierKey);
    expect(statSync(join(dir, 'checkpoint-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('signs a checkpoint every N events and keeps every checkpoint, each consistent with the last', async () => {
    const signed: StoredCheckpoint[] = [];
    let tenth!: () => void;
    const gotTwo = new Promise<void>((resolve) => (tenth = resolve));
    const { builder, service } = open(10, (c) => {
      signed.push(c);
      if (signed.length === 2) {
        tenth();
      }
    });
    await builder.start();
    await appendEvents(store, 0, 10);
    await appendEvents(store, 10, 10);
    await gotTwo;
    expect(signed.map((c) => c.treeSize)).toEqual([10, 20]);
    const history = service.checkpoints().items;
    expect(history.map((c) => c.treeSize)).toEqual([20, 10]);
    const proof = service.consistencyProof('10', '20');
    expect(
      verifyConsistency(
        10,
        20,
        proof.hashes.map((h) => Buffer.from(h, 'base64')),
        Buffer.from(history[1].rootHash, 'base64'),
        Buffer.from(history[0].rootHash, 'base64'),
      ),
    ).toBe(true);
  });

  it('signs a checkpoint T seconds after new events even when fewer than N arrived', async () => {
    let signed!: (c: StoredCheckpoint) => void;
    const first = new Promise<StoredCheckpoint>((resolve) => (signed = resolve));
    opened = openTransparencyLog(settingsFor(dir, 1000, 0.05), store, { onCheckpoint: signed });
    await opened.builder.start();
    await appendEvents(store, 0, 3);
    expect((await first).treeSize).toBe(3);
  });

  it('resumes after a restart without skipping or repeating a leaf', async () => {
    await appendEvents(store, 0, 8);
    let current = open();
    await current.builder.start();
    current.builder.checkpointNow();
    await current.close();
    const last = await appendEvents(store, 8, 5);
    current = open();
    await current.builder.start();
    await current.builder.waitFor(last);
    expect(current.log.size).toBe(13);
    expect(current.log.root()).toEqual((await rootOfStore(store)).root);
    expect(current.builder.checkpointNow()!.treeSize).toBe(13);
  });

  it('refuses an event out of order and leaves the log as it was', async () => {
    await appendEvents(store, 0, 6);
    const { builder, log } = open();
    await builder.start();
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) {
      events.push(event);
    }
    const root = log.root();
    expect(() => log.append([events[2]])).toThrow(TransparencyLogIntegrityError);
    expect(() =>
      log.append([
        { ...events[5], position: 100n },
        { ...events[5], position: 99n },
      ]),
    ).toThrow(/global order/);
    expect(log.size).toBe(6);
    expect(log.root()).toEqual(root);
  });

  it.each([
    [
      'a changed byte',
      "UPDATE events SET data = replace(data, 'Bangli', 'Banglj') WHERE position = 20",
    ],
    ['a deleted event', 'DELETE FROM events WHERE position = 20'],
    [
      'two swapped events',
      `UPDATE events SET data = CASE position WHEN 20 THEN (SELECT data FROM events WHERE position = 21)
         ELSE (SELECT data FROM events WHERE position = 20) END WHERE position IN (20, 21)`,
    ],
  ])('refuses to continue over a rewritten tail (%s) and names the first leaf', async (_, sql) => {
    await appendEvents(store, 0, 30);
    let current = open();
    await current.builder.start();
    current.builder.checkpointNow();
    await current.close();
    await store.close();
    tamper(sql);
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    current = open();
    const failure = await current.builder.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransparencyLogIntegrityError);
    expect((failure as TransparencyLogIntegrityError).index).toBe(19);
    expect((failure as Error).message).toMatch(/refusing to continue/);
    expect(() => current.builder.checkpointNow()).toThrow(TransparencyLogIntegrityError);
    await expect(current.builder.waitFor(1n)).rejects.toThrow(TransparencyLogIntegrityError);
    expect(await compareStoreWithLog(store, current.log)).toMatchObject({
      ok: false,
      firstBadIndex: 19,
    });
  });

  it('compares the whole store with the log beyond the re-read tail', async () => {
    await appendEvents(store, 0, 40);
    opened = openTransparencyLog(settingsFor(dir), store, { tailToVerify: 5 });
    await opened.builder.start();
    expect(await compareStoreWithLog(store, opened.log)).toEqual({ ok: true, leaves: 40 });
    await opened.close();
    await store.close();
    tamper("UPDATE events SET metadata = replace(metadata, 'hr-1', 'hr-2') WHERE position = 3");
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    opened = openTransparencyLog(settingsFor(dir), store, { tailToVerify: 5 });
    // Outside the tail: the start check cannot see it, the full comparison does.
    await opened.builder.start();
    expect(await compareStoreWithLog(store, opened.log)).toMatchObject({
      ok: false,
      firstBadIndex: 2,
    });
  });

  describe('the route-facing service', () => {
    let current: OpenedTransparencyLog;

    beforeEach(async () => {
      await appendEvents(store, 0, 21);
      current = open();
      await current.builder.start();
      current.builder.checkpointNow();
    });

    it('answers inclusion proofs that verify against the signed root', () => {
      const root = current.log.root(21);
      for (let i = 0; i < 21; i++) {
        const proof = current.service.inclusionProof(String(i), '21');
        expect(proof).toMatchObject({ index: i, treeSize: 21 });
        expect(
          verifyInclusion(
            i,
            21,
            Buffer.from(proof.leafHash, 'base64'),
            proof.hashes.map((h) => Buffer.from(h, 'base64')),
            root,
          ),
        ).toBe(true);
      }
    });

    it.each([
      [['21', '21'], 'INDEX_OUTSIDE_TREE', 'index'],
      [['0', '22'], 'TREE_SIZE_UNKNOWN', 'treeSize'],
      [['-1', '5'], 'NOT_A_COUNT', 'index'],
      [['1.5', '5'], 'NOT_A_COUNT', 'index'],
      [['x', '5'], 'NOT_A_COUNT', 'index'],
      [['', '5'], 'FIELD_REQUIRED', 'index'],
    ])('refuses inclusion(%j) with %s naming %s', ([index, size], code, field) => {
      const error = (() => {
        try {
          current.service.inclusionProof(index, size);
        } catch (e) {
          return e;
        }
      })() as AuditRequestError;
      expect(error).toBeInstanceOf(AuditRequestError);
      expect(error).toMatchObject({ kind: 'INVALID', code });
      expect(error.details[0].field).toBe(field);
    });

    it('refuses consistency from > to and unknown sizes', () => {
      expect(() => current.service.consistencyProof(5, 4)).toThrow(
        expect.objectContaining({ code: 'SIZES_OUT_OF_ORDER' }) as Error,
      );
      expect(() => current.service.consistencyProof(1, 99)).toThrow(
        expect.objectContaining({ code: 'TREE_SIZE_UNKNOWN' }) as Error,
      );
      expect(current.service.consistencyProof(0, 21)).toEqual({ from: 0, to: 21, hashes: [] });
    });

    it('exports line i as exactly the bytes of leaf i, whole or as a range', async () => {
      const whole = current.service.export();
      expect(whole).toMatchObject({ treeSize: 21, from: 0, to: 21 });
      const lines: Buffer[] = [];
      for await (const line of whole.lines) {
        lines.push(line);
      }
      expect(lines).toHaveLength(21);
      lines.forEach((line, i) => {
        expect(line[line.length - 1]).toBe(0x0a);
        expect(leafHash(line.subarray(0, -1))).toEqual(current.log.leafHash(i));
        expect(JSON.parse(line.toString('utf8'))).toMatchObject({ v: 1, index: i });
      });
      const part: Buffer[] = [];
      for await (const line of current.service.export({ from: '5', to: '8' }).lines) {
        part.push(line);
      }
      expect(part).toEqual(lines.slice(5, 8));
      expect(() => current.service.export({ from: 9, to: 8 })).toThrow(AuditRequestError);
      expect(() => current.service.export({ to: 22 })).toThrow(AuditRequestError);
    });

    it('lists the history with each event’s leaf index and pages on', async () => {
      const first = await current.service.events({ limit: 4 });
      expect(first.items.map((e) => e.leafIndex)).toEqual([0, 1, 2, 3]);
      expect(first.nextPosition).toBe('5');
      const next = await current.service.events({ fromPosition: first.nextPosition!, limit: 2 });
      expect(next.items.map((e) => e.leafIndex)).toEqual([4, 5]);
      const stream = await current.service.events({ stream: 'pledge-e1-3' });
      expect(stream.items.map((e) => e.streamId)).toEqual([
        'pledge-e1-3',
        'pledge-e1-3',
        'pledge-e1-3',
      ]);
      expect(stream.items.map((e) => e.leafIndex)).toEqual([3, 10, 17]);
      await expect(current.service.events({ fromPosition: 'abc' })).rejects.toThrow(
        AuditRequestError,
      );
      await expect(current.service.events({ limit: 0 })).rejects.toThrow(AuditRequestError);
    });
  });
});
