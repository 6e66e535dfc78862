import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from './contract/event-store.contract';
import { EventStoreArgumentError } from './errors';
import type { RecordedEvent, SubscriptionMessage } from './event-store.port';
import {
  SQLITE_SCHEMA_VERSION,
  SqliteEventStore,
  type SqliteEventStoreOptions,
} from './sqlite-event-store';

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
  }
  return out;
};

describeEventStoreContract('SQLite adapter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netral-es-contract-'));
  const file = join(dir, 'events.sqlite');
  return {
    open: () => Promise.resolve(new SqliteEventStore({ file, pollIntervalMs: 20 })),
    dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});

describe('SQLite adapter specifics', () => {
  let dir: string;
  const stores: SqliteEventStore[] = [];
  const open = (name: string, options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore => {
    const store = new SqliteEventStore({ file: join(dir, `${name}.sqlite`), ...options });
    stores.push(store);
    return store;
  };
  const event = (n: number) => ({ type: 'Counted', data: { n } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-es-sqlite-'));
  });
  afterAll(async () => {
    for (const store of stores) {
      await store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous FULL by default and NORMAL on request', async () => {
    const full = open('pragmas-full');
    const normal = open('pragmas-normal', { synchronous: 'NORMAL' });
    expect((await full.health()).details).toMatchObject({ synchronous: 'FULL' });
    expect((await normal.health()).details).toMatchObject({ synchronous: 'NORMAL' });
    const raw = new Database(join(dir, 'pragmas-full.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect(() => open('pragmas-bad', { synchronous: 'OFF' as 'FULL' })).toThrow(
      EventStoreArgumentError,
    );
  });

  it('commits appends made in the same tick as one transaction, awaited ones one by one', async () => {
    const store = open('group-commit');
    const before = store.stats.commits;
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.appendToStream(`s-${i}`, event(i))),
    );
    expect(store.stats.commits - before).toBe(1);
    expect(store.stats.appends).toBe(25);
    for (let i = 0; i < 3; i++) {
      await store.appendToStream('s-0', event(i));
    }
    expect(store.stats.commits - before).toBe(4);
  });

  it('fails the whole batch, writing nothing, when the commit itself fails, then recovers', async () => {
    const store = open('locked', { busyTimeoutMs: 50 });
    await store.appendToStream('s', event(0));
    const locker = new Database(join(dir, 'locked.sqlite'));
    locker.prepare('BEGIN IMMEDIATE').run();
    const outcomes = await Promise.allSettled([
      store.appendToStream('s', event(1)),
      store.appendToStream('t', event(1)),
    ]);
    locker.prepare('ROLLBACK').run();
    locker.close();
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : '')),
    ).toEqual(['SQLITE_BUSY', 'SQLITE_BUSY']);
    expect(
      (await store.appendToStream('s', event(2), { expectedRevision: 0n })).nextExpectedRevision,
    ).toBe(1n);
  });

  it('reads across page boundaries in every direction and filter, and subscriptions skip filtered pages', async () => {
    const store = open('paging', { pageSize: 2 });
    for (let n = 0; n < 9; n++) {
      await store.appendToStream(n % 3 === 0 ? 'keep-a' : 'skip-b', event(n));
    }
    const ns = async (iterable: AsyncIterable<RecordedEvent>) =>
      (await collect(iterable)).map((e) => e.data.n);
    expect(await ns(store.readAll())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await ns(store.readAll({ direction: 'backwards' }))).toEqual([
      8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
    expect(await ns(store.readAll({ filter: { streamPrefixes: ['keep-'] } }))).toEqual([0, 3, 6]);
    expect(await ns(store.readAll({ maxCount: 5, fromPosition: 2n }))).toEqual([1, 2, 3, 4, 5]);
    expect(await ns(store.readStream('skip-b', { direction: 'backwards' }))).toEqual([
      8, 7, 5, 4, 2, 1,
    ]);
    expect(await ns(store.readStream('skip-b', { fromRevision: 1n, maxCount: 3 }))).toEqual([
      2, 4, 5,
    ]);

    const iterator = store
      .subscribeToAll({ filter: { streamPrefixes: ['keep-'] } })
      [Symbol.asyncIterator]();
    const received: (number | string)[] = [];
    while (received.length < 4) {
      const { value } = (await iterator.next()) as IteratorYieldResult<SubscriptionMessage>;
      received.push(
        value.kind === 'event'
          ? (value.event.data.n as number)
          : `caughtUp@${String(value.position)}`,
      );
    }
    expect(received).toEqual([0, 3, 6, 'caughtUp@9']);
    await iterator.return?.();
  });

  it("fixes 'end' when subscribing: an append made before the first read is delivered", async () => {
    const store = open('end-fixed');
    await store.appendToStream('s', event(0));
    const iterator = store.subscribeToAll({ fromPosition: 'end' })[Symbol.asyncIterator]();
    const fresh = await store.appendToStream('s', event(1));
    const first = (await iterator.next()) as IteratorYieldResult<SubscriptionMessage>;
    expect(first.value.kind === 'event' && first.value.event.position).toBe(fresh.position);
    await iterator.return?.();
  });

  it('refuses to open a file written by a newer schema version', async () => {
    const file = join(dir, 'future.sqlite');
    await new SqliteEventStore({ file }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new SqliteEventStore({ file })).toThrow(/schema version 2/);
  });
});
