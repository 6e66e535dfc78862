import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventStoreClosedError, StreamNotFoundError, WrongExpectedVersionError } from './errors';
import {
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventFilter,
  EventStore,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHealth,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
} from './event-store.port';

export interface SqliteEventStoreOptions {
  /** Path of the database file (created with its directory when missing). */
  file: string;
  /** FULL (default) fsyncs every commit; NORMAL may lose the last commits on power loss, never on a crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often subscriptions look for events appended by another process (ms). In-process appends wake
   * subscriptions immediately. */
  pollIntervalMs?: number;
  /** Rows fetched per query when iterating reads and subscriptions. */
  pageSize?: number;
}

interface PendingAppend {
  streamId: string;
  events: readonly EventData[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface SubscriptionState {
  active: boolean;
  wakeup?: () => void;
}

interface EventRow {
  position: bigint;
  id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  created: bigint;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  created   INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TRIGGER IF NOT EXISTS events_are_immutable BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_permanent BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
`;

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.id,
  streamId: row.stream_id,
  revision: row.revision,
  position: row.position,
  type: row.type,
  data: JSON.parse(row.data) as JsonObject,
  metadata: JSON.parse(row.metadata) as JsonObject,
  created: new Date(Number(row.created)),
});

/**
 * Embedded event store on SQLite (better-sqlite3): WAL, one writer with group commit. Appends queued in the
 * same event-loop turn share one transaction (one fsync); each runs inside its own savepoint with its own
 * revision check, so one failing append never affects its neighbours. Positions are SQLite rowids:
 * gap-free, strictly increasing in commit order (deletes are refused by trigger, so rowids are never reused).
 */
export class SqliteEventStore extends EventStore {
  readonly adapter = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly wakeups = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();

  private readonly stmt: {
    lastRevision: Database.Statement<[string], { revision: bigint }>;
    insert: Database.Statement<[string, string, bigint, string, string, string, number]>;
    head: Database.Statement<[], { head: bigint | null }>;
  };
  private readonly appendOne: (item: PendingAppend) => AppendResult;
  private readonly appendBatch: (items: PendingAppend[]) => (AppendResult | { error: unknown })[];

  constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 10000');
    this.db.function('regexp', { deterministic: true, safeIntegers: false }, (pattern, value) =>
      new RegExp(String(pattern)).test(String(value)) ? 1 : 0,
    );
    this.db.exec(SCHEMA);
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.stmt = {
      lastRevision: this.db.prepare(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      head: this.db.prepare('SELECT max(position) AS head FROM events'),
    };
    // Nested better-sqlite3 transactions become savepoints: a failing append rolls back alone.
    this.appendOne = this.db.transaction((item: PendingAppend) => this.write(item));
    this.appendBatch = this.db.transaction((items: PendingAppend[]) =>
      items.map((item) => {
        try {
          return this.appendOne(item);
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  appendToStream(
    streamId: string,
    events: EventData | readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) {
      return Promise.reject(new EventStoreClosedError());
    }
    const list = Array.isArray(events) ? (events as readonly EventData[]) : [events as EventData];
    if (list.length === 0) {
      return Promise.reject(new Error('appendToStream needs at least one event'));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        streamId,
        events: list,
        expected: options.expectedRevision ?? 'any',
        resolve,
        reject,
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private write(item: PendingAppend): AppendResult {
    const last = this.stmt.lastRevision.get(item.streamId)?.revision;
    const actual: bigint | 'no_stream' = last ?? 'no_stream';
    const { expected } = item;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!ok) {
      throw new WrongExpectedVersionError(item.streamId, expected, actual);
    }
    let revision = last ?? -1n;
    let position = 0n;
    const created = Date.now();
    for (const event of item.events) {
      revision += 1n;
      const info = this.stmt.insert.run(
        event.id ?? randomUUID(),
        item.streamId,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
        created,
      );
      position = BigInt(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) {
      return;
    }
    let results: (AppendResult | { error: unknown })[];
    try {
      results = this.appendBatch(batch);
    } catch (error) {
      // The commit itself failed (disk full, I/O error, lock timeout): nothing of the batch was written.
      for (const item of batch) {
        item.reject(error);
      }
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i];
      if ('error' in result) {
        item.reject(result.error);
      } else {
        item.resolve(result);
      }
    });
    this.wake();
  }

  private wake(): void {
    for (const wakeup of [...this.wakeups]) {
      wakeup();
    }
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const sql = backwards
      ? 'SELECT * FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?'
      : 'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?';
    const page = this.db.prepare<[string, bigint, number], EventRow>(sql);
    if (this.stmt.lastRevision.get(streamId) === undefined) {
      throw new StreamNotFoundError(streamId);
    }
    let cursor: bigint =
      from === 'start'
        ? 0n
        : from === 'end'
          ? backwards
            ? BigInt(Number.MAX_SAFE_INTEGER)
            : 0n
          : from;
    if (from === 'end' && !backwards) {
      return;
    }
    while (remaining > 0) {
      const rows = page.all(streamId, cursor, Math.min(this.pageSize, remaining));
      for (const row of rows) {
        yield toRecorded(row);
      }
      remaining -= rows.length;
      if (rows.length < this.pageSize) {
        return;
      }
      cursor = rows[rows.length - 1].revision + (backwards ? -1n : 1n);
      if (cursor < 0n) {
        return;
      }
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    if (from === 'end' && !backwards) {
      return;
    }
    const { where, params } = this.filterSql(options.filter);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const page = this.db.prepare<unknown[], EventRow>(
      backwards
        ? `SELECT * FROM events WHERE position <= ? ${where} ORDER BY position DESC LIMIT ?`
        : `SELECT * FROM events WHERE position >= ? ${where} ORDER BY position ASC LIMIT ?`,
    );
    let cursor: bigint =
      from === 'start' ? 0n : from === 'end' ? BigInt(Number.MAX_SAFE_INTEGER) : from;
    while (remaining > 0) {
      const rows = page.all(cursor, ...params, Math.min(this.pageSize, remaining));
      for (const row of rows) {
        yield toRecorded(row);
      }
      remaining -= rows.length;
      if (rows.length < this.pageSize) {
        return;
      }
      cursor = rows[rows.length - 1].position + (backwards ? -1n : 1n);
    }
  }

  private filterSql(filter: EventFilter | undefined): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    // substr comparison, not LIKE: LIKE is case-insensitive and needs escaping.
    const anyPrefix = (column: string, prefixes: readonly string[] | undefined): void => {
      if (prefixes?.length) {
        clauses.push(`(${prefixes.map(() => `substr(${column}, 1, ?) = ?`).join(' OR ')})`);
        for (const prefix of prefixes) {
          params.push(prefix.length, prefix);
        }
      }
    };
    anyPrefix('type', filter?.eventTypePrefixes);
    anyPrefix('stream_id', filter?.streamPrefixes);
    if (filter?.eventTypeRegex) {
      new RegExp(filter.eventTypeRegex); // fail early on an invalid pattern
      clauses.push('type REGEXP ?');
      params.push(filter.eventTypeRegex);
    }
    return { where: clauses.map((c) => `AND ${c}`).join(' '), params };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const state: SubscriptionState = { active: true };
    const subscription: Subscription = {
      unsubscribe: () => {
        state.active = false;
        state.wakeup?.();
        this.subscriptions.delete(subscription);
        return Promise.resolve();
      },
      [Symbol.asyncIterator]: () => this.deliver(state, options),
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  private async *deliver(
    state: SubscriptionState,
    options: SubscribeToAllOptions,
  ): AsyncGenerator<SubscriptionMessage> {
    const { where, params } = this.filterSql(options.filter);
    const page = this.db.prepare<unknown[], EventRow>(
      `SELECT * FROM events WHERE position > ? AND position <= ? ${where} ORDER BY position ASC LIMIT ?`,
    );
    const head = (): bigint => this.stmt.head.get()?.head ?? 0n;
    const from = options.fromPosition ?? 'start';
    let cursor = from === 'start' ? 0n : from === 'end' ? head() : from;
    let caughtUp = false;
    try {
      while (state.active && !this.closed) {
        // Read up to the head as it is now; a filter may skip rows, so the cursor then moves to the head.
        const target = head();
        while (state.active && cursor < target) {
          const rows = page.all(cursor, target, ...params, this.pageSize);
          for (const row of rows) {
            if (!state.active) {
              return;
            }
            yield { kind: 'event', event: toRecorded(row) };
          }
          cursor = rows.length < this.pageSize ? target : rows[rows.length - 1].position;
        }
        if (!state.active) {
          return;
        }
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: target === 0n ? null : target };
        }
        await this.nextWakeup(state);
      }
    } finally {
      state.active = false;
    }
  }

  /** Resolves on the next in-process commit, or after the poll interval (appends from other processes). */
  private nextWakeup(state: SubscriptionState): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        state.wakeup = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      timer.unref();
      state.wakeup = done;
      this.wakeups.add(done);
    });
  }

  headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return Promise.resolve(this.stmt.head.get()?.head ?? null);
  }

  health(): Promise<StoreHealth> {
    if (this.closed) {
      return Promise.resolve({ status: 'down', adapter: 'sqlite', details: { reason: 'closed' } });
    }
    try {
      const head = this.stmt.head.get()?.head ?? null;
      return Promise.resolve({
        status: 'up',
        adapter: 'sqlite',
        details: { file: this.options.file, headPosition: head === null ? null : head.toString() },
      });
    } catch (error) {
      return Promise.resolve({
        status: 'down',
        adapter: 'sqlite',
        details: { reason: error instanceof Error ? error.message : String(error) },
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    // Commit whatever is queued: an append that was accepted is never dropped on shutdown.
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    this.wake();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreClosedError();
    }
  }
}
