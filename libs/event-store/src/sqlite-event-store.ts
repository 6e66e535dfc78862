import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CheckedAppend,
  checkAppend,
  checkReadAll,
  checkReadStream,
  checkStreamId,
  checkSubscribe,
} from './arguments';
import {
  EventStoreArgumentError,
  EventStoreClosedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from './errors';
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
import { compileRegex } from './filter';

export interface SqliteEventStoreOptions {
  /** Path of the database file (created with its directory when missing). */
  file: string;
  /** FULL (default) fsyncs every commit; NORMAL may lose the last commits on power loss, never on a crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often waiting subscriptions look for commits made by another process, e.g. the CLI (ms).
   * Commits made through this instance wake them at once. */
  pollIntervalMs?: number;
  /** Most rows fetched per query when iterating reads and subscriptions. */
  pageSize?: number;
  /** How long a commit waits for another process holding the write lock (ms). */
  busyTimeoutMs?: number;
}

/** Counters for tests, benchmarks and metrics: `appends / commits` is the mean group-commit size. */
export interface SqliteEventStoreStats {
  commits: number;
  appends: number;
  events: number;
}

/** Bumped when the table layout changes; a file from a newer build is refused rather than misread. */
export const SQLITE_SCHEMA_VERSION = 1;

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

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, created';
/**
 * The page size as an expression, not a bare parameter: this SQLite is built with STAT4, which re-plans a
 * statement at every execution when its LIMIT is a bound parameter. `+?` keeps the plan (measured: a
 * one-event stream read 20 µs → 12.5 µs).
 */
const LIMIT = '+?';
const MAX_CACHED_READS = 64;
/** Rows are read in raw (array) mode: no per-row object with column names to build and throw away. */
type Row = [bigint, string, string, bigint, string, string, string, bigint];
const POSITION = 0;
const REVISION = 3;
const DATA = 5;
const METADATA = 6;

const toRecorded = (row: Row): RecordedEvent => ({
  id: row[1],
  streamId: row[2],
  revision: row[REVISION],
  position: row[POSITION],
  type: row[4],
  data: JSON.parse(row[DATA]) as JsonObject,
  metadata: JSON.parse(row[METADATA]) as JsonObject,
  created: new Date(Number(row[7])),
});

const revisionMatches = (expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && actual === 'no_stream') ||
  (expected === 'stream_exists' && actual !== 'no_stream') ||
  (typeof expected === 'bigint' && actual === expected);

/** Far beyond any real position or revision; used as the open end of a backwards read. */
const MAX_INT64 = 9223372036854775807n;
/** Pages aim at this many characters of payload so that a run of large events cannot exhaust memory. */
const PAGE_TARGET_CHARS = 8 * 1024 * 1024;

/** Picks the next page's row count from the payload size seen so far: full pages of small events, a few
 * rows at a time once events are large. */
class PageSizer {
  private limit: number;
  constructor(private readonly max: number) {
    this.limit = Math.min(64, max);
  }
  get next(): number {
    return this.limit;
  }
  observe(rows: readonly Row[]): void {
    if (rows.length === 0) {
      return;
    }
    let chars = 0;
    for (const row of rows) {
      chars += row[DATA].length + row[METADATA].length;
    }
    const perRow = Math.max(1, chars / rows.length);
    this.limit = Math.max(
      1,
      Math.min(this.max, this.limit * 2, Math.floor(PAGE_TARGET_CHARS / perRow)),
    );
  }
}

interface PendingAppend {
  input: CheckedAppend;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** PRAGMA synchronous answers a number: its name by level. */
const SYNCHRONOUS_LEVELS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/**
 * Embedded event store on SQLite (better-sqlite3): WAL, one writer with group commit. Appends queued in the
 * same event-loop turn share one `BEGIN IMMEDIATE` transaction (one fsync). Each append keeps its own
 * expected-revision check, made before it writes anything, so a failed check fails that append alone.
 * Positions are rowids: SQLite serialises writers, so they are assigned in commit order, gap-free and
 * strictly increasing even when other processes append to the same file (rowids are never reused: deletes
 * are refused by trigger and AUTOINCREMENT guards the sequence).
 */
export class SqliteEventStore extends EventStore {
  readonly adapter = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly synchronous: 'FULL' | 'NORMAL';
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly counters: SqliteEventStoreStats = { commits: 0, appends: 0, events: 0 };
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly waiters = new Set<() => void>();
  private pollTimer: NodeJS.Timeout | undefined;
  private lastDataVersion: bigint | undefined;

  private readonly stmt: {
    lastRevision: Database.Statement<[string], bigint>;
    insert: Database.Statement<[string, string, bigint, string, string, string, number]>;
    head: Database.Statement<[], bigint | null>;
    dataVersion: Database.Statement<[], bigint>;
    streamForwards: Database.Statement<[string, bigint, number], Row>;
    streamBackwards: Database.Statement<[string, bigint, number], Row>;
  };
  /** Read statements by SQL text: a filter's shape decides the text, so each shape is compiled once. */
  private readonly reads = new Map<string, Database.Statement<unknown[], Row>>();
  private readonly writeBatch: Database.Transaction<
    (batch: PendingAppend[], created: number) => (AppendResult | Error)[]
  >;

  constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    this.synchronous = options.synchronous ?? 'FULL';
    if (this.synchronous !== 'FULL' && this.synchronous !== 'NORMAL') {
      throw new EventStoreArgumentError('synchronous', "must be 'FULL' or 'NORMAL'");
    }
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    try {
      this.db.defaultSafeIntegers(true);
      this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 10_000)}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${this.synchronous}`);
      this.registerRegexp();
      this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.stmt = {
      lastRevision: this.db
        .prepare<[string], bigint>(
          'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
        )
        .pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      head: this.db.prepare<[], bigint | null>('SELECT max(position) FROM events').pluck(),
      dataVersion: this.db.prepare<[], bigint>('PRAGMA data_version').pluck(),
      streamForwards: this.db
        .prepare<[string, bigint, number], Row>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ${LIMIT}`,
        )
        .raw(true),
      streamBackwards: this.db
        .prepare<[string, bigint, number], Row>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ${LIMIT}`,
        )
        .raw(true),
    };
    this.writeBatch = this.db.transaction((batch: PendingAppend[], created: number) =>
      batch.map(({ input }) => this.write(input, created)),
    );
  }

  /** Commit and batch counters since this instance opened. */
  get stats(): Readonly<SqliteEventStoreStats> {
    return { ...this.counters };
  }

  private registerRegexp(): void {
    const cache = new Map<string, RegExp>();
    this.db.function('regexp', { deterministic: true, safeIntegers: false }, (pattern, value) => {
      const source = String(pattern);
      let regex = cache.get(source);
      if (!regex) {
        regex = compileRegex(source);
        cache.set(source, regex);
      }
      return regex.test(String(value)) ? 1 : 0;
    });
  }

  private migrate(): void {
    const version = Number(this.db.pragma('user_version', { simple: true }));
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `${this.options.file} has event-store schema version ${version}; this build knows up to ${SQLITE_SCHEMA_VERSION}`,
      );
    }
    this.db
      .transaction(() => {
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      })
      .immediate();
  }

  appendToStream(
    streamId: string,
    events: EventData | readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) {
      return Promise.reject(new EventStoreClosedError());
    }
    let input: CheckedAppend;
    try {
      // Validated and serialised before queueing: inside the shared transaction nothing but the
      // revision check can fail an append on its own.
      input = checkAppend(streamId, events, options.expectedRevision);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  /** Runs inside the batch transaction. A failed check returns its error without having written. */
  private write(input: CheckedAppend, created: number): AppendResult | Error {
    const last = this.stmt.lastRevision.get(input.streamId);
    const actual = last ?? 'no_stream';
    if (!revisionMatches(input.expected, actual)) {
      return new WrongExpectedVersionError(input.streamId, input.expected, actual);
    }
    let revision = last ?? -1n;
    let position = 0n;
    for (const event of input.events) {
      revision += 1n;
      const info = this.stmt.insert.run(
        event.id,
        input.streamId,
        revision,
        event.type,
        event.dataJson,
        event.metadataJson,
        created,
      );
      position = BigInt(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) {
      return;
    }
    this.queue = [];
    let outcomes: (AppendResult | Error)[];
    try {
      // IMMEDIATE takes the write lock up front: a deferred transaction that reads first could not
      // upgrade to a writer if another process committed in between (SQLITE_BUSY_SNAPSHOT).
      outcomes = this.writeBatch.immediate(batch, Date.now());
    } catch (error) {
      // The transaction itself failed (I/O error, disk full, lock timeout): nothing of it was written.
      for (const item of batch) {
        item.reject(error);
      }
      return;
    }
    this.counters.commits += 1;
    let written = false;
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) {
        item.reject(outcome);
      } else {
        written = true;
        this.counters.appends += 1;
        this.counters.events += item.input.events.length;
        item.resolve(outcome);
      }
    });
    if (written) {
      this.wake();
    }
  };

  readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterableIterator<RecordedEvent> {
    return new PagedRead(this.pageSize, () => {
      this.assertOpen();
      const id = checkStreamId(streamId);
      const { direction, from, maxCount } = checkReadStream(options);
      const backwards = direction === 'backwards';
      if (from === 'end' && !backwards) {
        this.assertStreamExists(id);
        return undefined;
      }
      const page = backwards ? this.stmt.streamBackwards : this.stmt.streamForwards;
      let cursor = from === 'start' ? 0n : from === 'end' ? MAX_INT64 : from;
      let first = true;
      return {
        maxCount,
        fetch: (limit) => {
          this.assertOpen();
          const rows = page.all(id, cursor, limit);
          if (first && rows.length === 0) {
            // Read from either end, an empty page means no event at all: revisions start at 0 and are
            // never deleted. Only a read from a given revision needs to ask whether the stream exists.
            if (typeof from !== 'bigint') {
              throw new StreamNotFoundError(id);
            }
            this.assertStreamExists(id);
          }
          first = false;
          return rows;
        },
        advance: (last) => {
          cursor = last[REVISION] + (backwards ? -1n : 1n);
          return cursor >= 0n;
        },
      };
    });
  }

  private assertStreamExists(streamId: string): void {
    if (this.stmt.lastRevision.get(streamId) === undefined) {
      throw new StreamNotFoundError(streamId);
    }
  }

  /** A read statement for this SQL text, compiled on first use. */
  private read(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.reads.get(sql);
    if (!statement) {
      if (this.reads.size >= MAX_CACHED_READS) {
        this.reads.clear(); // filters come from callers: never let their variety grow this without bound
      }
      statement = this.db.prepare<unknown[], Row>(sql).raw(true);
      this.reads.set(sql, statement);
    }
    return statement;
  }

  readAll(options: ReadAllOptions = {}): AsyncIterableIterator<RecordedEvent> {
    return new PagedRead(this.pageSize, () => {
      this.assertOpen();
      const { direction, from, maxCount, filter } = checkReadAll(options);
      const backwards = direction === 'backwards';
      if (from === 'end' && !backwards) {
        return undefined;
      }
      const { where, params } = filterSql(filter);
      const page = this.read(
        backwards
          ? `SELECT ${COLUMNS} FROM events WHERE position <= ? ${where} ORDER BY position DESC LIMIT ${LIMIT}`
          : `SELECT ${COLUMNS} FROM events WHERE position >= ? ${where} ORDER BY position ASC LIMIT ${LIMIT}`,
      );
      let cursor = from === 'start' ? 0n : from === 'end' ? MAX_INT64 : from;
      return {
        maxCount,
        fetch: (limit) => {
          this.assertOpen();
          return page.all(cursor, ...params, limit);
        },
        advance: (last) => {
          cursor = last[POSITION] + (backwards ? -1n : 1n);
          return cursor >= 0n;
        },
      };
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const { from, filter } = checkSubscribe(options);
    // `end` is fixed now, not at the first next(): events appended between subscribing and iterating
    // belong to the subscription, as on EventStoreDB.
    const start = from === 'start' ? 0n : from === 'end' ? (this.stmt.head.get() ?? 0n) : from;
    const { where, params } = filterSql(filter);
    const page = this.read(
      `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ${where} ORDER BY position ASC LIMIT ${LIMIT}`,
    );
    const subscription = new SqliteSubscription(start, {
      head: () => this.stmt.head.get() ?? null,
      fetch: (after, upTo, limit) => page.all(after, upTo, ...params, limit),
      pageSize: this.pageSize,
      isClosed: () => this.closed,
      waitForCommit: (cancel) => this.waitForCommit(cancel),
      release: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Resolves on the next commit: at once for commits made here, within the poll interval for commits
   * from other processes (PRAGMA data_version changes only when another connection commits). */
  private waitForCommit(onRegistered: (cancel: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        if (this.waiters.size === 0) {
          this.stopPolling();
        }
        resolve();
      };
      this.waiters.add(done);
      this.startPolling();
      onRegistered(done);
    });
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed) {
      return;
    }
    this.lastDataVersion = this.stmt.dataVersion.get();
    this.pollTimer = setInterval(() => {
      if (this.closed) {
        return;
      }
      const version = this.stmt.dataVersion.get();
      if (version !== this.lastDataVersion) {
        this.lastDataVersion = version;
        this.wake();
      }
    }, this.pollIntervalMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  /**
   * How many events a store's file holds and its last position, read on a read-only connection (no pragma
   * set, nothing written): for a copy of the file, such as a backup's, that is not to be opened as a store.
   */
  static summarise(file: string): { events: number; headPosition: bigint | null } {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare<[], { events: bigint; head: bigint | null }>(
          'SELECT count(*) AS events, max(position) AS head FROM events',
        )
        .safeIntegers(true)
        .get()!;
      return { events: Number(row.events), headPosition: row.head };
    } finally {
      db.close();
    }
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return this.stmt.head.get() ?? null;
  }

  health(): Promise<StoreHealth> {
    if (this.closed) {
      return Promise.resolve({ status: 'down', adapter: 'sqlite', details: { reason: 'closed' } });
    }
    try {
      const head = this.stmt.head.get() ?? null;
      return Promise.resolve({
        status: 'up',
        adapter: 'sqlite',
        details: {
          // What the connection runs with, read back from SQLite: not the option it was asked for.
          synchronous:
            SYNCHRONOUS_LEVELS[Number(this.db.pragma('synchronous', { simple: true }))] ??
            'unknown',
          headPosition: head === null ? null : head.toString(),
          ...this.counters,
        },
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
    this.stopPolling();
    this.wake();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreClosedError();
    }
  }
}

interface ReadPlan {
  maxCount: number;
  fetch(limit: number): Row[];
  /** Moves the cursor past a page's last row; false when nothing can follow. */
  advance(last: Row): boolean;
}

/**
 * A read as a hand-written async iterator rather than an async generator: rows come a page at a time
 * (each page its own short read transaction, so a slow consumer never blocks writers or checkpoints) and
 * each next() is one resolved promise, which is what makes readAll fast. Nothing runs before the first
 * next(); argument and not-found errors surface there, as with EventStoreDB's reads.
 */
class PagedRead implements AsyncIterableIterator<RecordedEvent> {
  private plan: ReadPlan | undefined;
  private started = false;
  private finished = false;
  private rows: Row[] = [];
  private index = 0;
  private remaining = 0;
  private readonly sizer: PageSizer;

  constructor(
    pageSize: number,
    private readonly open: () => ReadPlan | undefined,
  ) {
    this.sizer = new PageSizer(pageSize);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    try {
      return Promise.resolve(this.step());
    } catch (error) {
      this.finished = true;
      this.rows = [];
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return(): Promise<IteratorResult<RecordedEvent>> {
    this.finished = true;
    this.rows = [];
    return Promise.resolve({ done: true, value: undefined });
  }

  private step(): IteratorResult<RecordedEvent> {
    if (!this.started) {
      this.started = true;
      this.plan = this.open();
      this.remaining = this.plan?.maxCount ?? 0;
      this.finished = this.plan === undefined;
    }
    for (;;) {
      if (this.index < this.rows.length) {
        return { done: false, value: toRecorded(this.rows[this.index++]) };
      }
      if (this.finished || !this.plan || this.remaining <= 0) {
        this.finished = true;
        return { done: true, value: undefined };
      }
      const limit = Math.min(this.sizer.next, this.remaining);
      const rows = this.plan.fetch(limit);
      this.sizer.observe(rows);
      this.rows = rows;
      this.index = 0;
      this.remaining -= rows.length;
      if (rows.length < limit || !this.plan.advance(rows[rows.length - 1])) {
        this.finished = true;
      }
    }
  }
}

/** Filters run in SQL. Prefixes compare with substr rather than LIKE: LIKE is case-insensitive for ASCII
 * and treats `%`/`_` in a prefix as wildcards. */
const filterSql = (filter: EventFilter | undefined): { where: string; params: unknown[] } => {
  const clauses: string[] = [];
  const params: unknown[] = [];
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
    clauses.push('type REGEXP ?');
    params.push(filter.eventTypeRegex);
  }
  return { where: clauses.map((c) => `AND ${c}`).join(' '), params };
};

interface SubscriptionSource {
  head(): bigint | null;
  fetch(after: bigint, upTo: bigint, limit: number): Row[];
  pageSize: number;
  isClosed(): boolean;
  waitForCommit(onRegistered: (cancel: () => void) => void): Promise<void>;
  release(subscription: SqliteSubscription): void;
}

/** Catch-up subscription: reads pages up to the head, signals `caughtUp` once, then waits for commits.
 * Pull-driven (an async generator), so a slow consumer only delays reads, never buffers events. */
class SqliteSubscription implements Subscription {
  private active = true;
  private cancelWait: (() => void) | undefined;
  private iterator: AsyncGenerator<SubscriptionMessage> | undefined;

  constructor(
    private cursor: bigint,
    private readonly source: SubscriptionSource,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  unsubscribe(): Promise<void> {
    this.active = false;
    this.cancelWait?.();
    this.source.release(this);
    return Promise.resolve();
  }

  private live(): boolean {
    return this.active && !this.source.isClosed();
  }

  private async *run(): AsyncGenerator<SubscriptionMessage> {
    const sizer = new PageSizer(this.source.pageSize);
    let caughtUp = false;
    try {
      while (this.live()) {
        // Everything up to the head as read now is committed: SQLite assigns positions in commit order.
        const head = this.source.head();
        if (head !== null && this.cursor < head) {
          const limit = sizer.next;
          const rows = this.source.fetch(this.cursor, head, limit);
          sizer.observe(rows);
          for (const row of rows) {
            if (!this.live()) {
              return;
            }
            this.cursor = row[POSITION];
            yield { kind: 'event', event: toRecorded(row) };
          }
          // A filter may have skipped rows: past a short page everything up to the head has been seen.
          if (rows.length < limit) {
            this.cursor = head;
          }
          continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: head };
          continue;
        }
        // Registered in the same synchronous step as the head check above, so no commit can slip between.
        await this.source.waitForCommit((cancel) => {
          this.cancelWait = cancel;
        });
        this.cancelWait = undefined;
      }
    } finally {
      this.active = false;
      this.source.release(this);
    }
  }
}
