import type {
  EventStore,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '@netral/event-store';
import Database from 'better-sqlite3';
import type { Projection } from './projection';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Last applied store position (string), null before the first event. */
  position: string | null;
  /** Events of the store after that position (0 = up to date). */
  lag: string;
}

export interface RunnerOptions {
  /** Events per transaction at most (a batch and its checkpoint commit together). */
  batchSize?: number;
  onError?: (error: Error) => void;
}

/**
 * Feeds projections from the store's global log. Each batch updates the read models and every checkpoint in
 * one SQLite transaction, so a crash can neither skip nor apply an event twice. Projections whose version
 * changed since the last run are dropped and rebuilt from position 0.
 */
export class ProjectionRunner {
  readonly db: Database.Database;
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private checkpoint: bigint | null = null;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private readonly byType = new Map<string, Projection[]>();
  private failure?: Error;
  /** Prepared once: every batch reads and moves the stored checkpoint. */
  private readPosition?: Database.Statement;
  private writePosition?: Database.Statement;

  constructor(
    readonly store: EventStore,
    file: string,
    private readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.defaultSafeIntegers(false);
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_state (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position TEXT)`);
    for (const projection of projections) {
      for (const type of projection.eventTypes) {
        this.byType.set(type, [...(this.byType.get(type) ?? []), projection]);
      }
    }
    this.prepare();
  }

  /** Creates tables; drops and resets projections whose version changed. All share one checkpoint. */
  private prepare(): void {
    const states = new Map(
      (
        this.db.prepare('SELECT name, version, position FROM projection_state').all() as {
          name: string;
          version: number;
          position: string | null;
        }[]
      ).map((r) => [r.name, r]),
    );
    const stale = this.projections.filter((p) => states.get(p.name)?.version !== p.version);
    if (stale.length > 0 && states.size > 0) {
      // One checkpoint for all: a changed projection means replaying everything (cheap: 100k+ events/s).
      this.reset(this.projections);
      return;
    }
    this.db.transaction(() => {
      for (const p of this.projections) {
        p.setup(this.db);
        this.db
          .prepare(
            'INSERT OR IGNORE INTO projection_state (name, version, position) VALUES (?, ?, NULL)',
          )
          .run(p.name, p.version);
      }
    })();
    const positions = this.projections.map((p) => states.get(p.name)?.position ?? null);
    this.checkpoint =
      positions.every((p) => p !== null) && positions.length > 0 ? BigInt(positions[0]) : null;
  }

  private reset(projections: readonly Projection[]): void {
    this.db.transaction(() => {
      for (const p of projections) {
        for (const table of p.tables) {
          this.db.exec(`DROP TABLE IF EXISTS ${table}`);
        }
        p.setup(this.db);
      }
      this.db.exec('DELETE FROM projection_state');
      for (const p of this.projections) {
        this.db
          .prepare('INSERT INTO projection_state (name, version, position) VALUES (?, ?, NULL)')
          .run(p.name, p.version);
      }
    })();
    this.checkpoint = null;
  }

  get position(): bigint | null {
    return this.checkpoint;
  }

  /** Starts following the log; resolves once caught up. */
  async start(): Promise<void> {
    const subscription = this.store.subscribeToAll({ fromPosition: this.checkpoint ?? 'start' });
    this.subscription = subscription;
    const batchSize = this.options.batchSize ?? 1000;
    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    this.loop = (async () => {
      let batch: RecordedEvent[] = [];
      const iterator = subscription[Symbol.asyncIterator]();
      let pending: Promise<IteratorResult<SubscriptionMessage>> | undefined;
      const FLUSH = Symbol('flush');
      try {
        for (;;) {
          // Take what arrives in this turn, up to a batch; commit it with its checkpoint when the
          // subscription has nothing more ready. The pending next() is kept, never called twice.
          pending ??= iterator.next();
          const next =
            batch.length === 0
              ? await pending
              : await Promise.race([
                  pending,
                  new Promise<typeof FLUSH>((r) => setImmediate(() => r(FLUSH))),
                ]);
          if (next === FLUSH) {
            this.commit(batch);
            batch = [];
            continue;
          }
          pending = undefined;
          if (next.done) {
            break;
          }
          this.handle(next.value, batch, resolveCaughtUp);
          if (batch.length >= batchSize) {
            this.commit(batch);
            batch = [];
          }
        }
        this.commit(batch);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.options.onError?.(this.failure);
      } finally {
        // Also when stopped before catching up (shutdown during startup): start() returns, never hangs.
        resolveCaughtUp();
      }
    })();
    await caughtUp;
    if (this.failure) {
      throw this.failure;
    }
  }

  private handle(
    message:
      { kind: 'event'; event: RecordedEvent } | { kind: 'caughtUp'; position: bigint | null },
    batch: RecordedEvent[],
    caughtUp: () => void,
  ): void {
    if (message.kind === 'event') {
      batch.push(message.event);
      return;
    }
    this.commit(batch.splice(0));
    if (
      message.position !== null &&
      (this.checkpoint === null || message.position > this.checkpoint)
    ) {
      this.saveCheckpoint(message.position);
    }
    caughtUp();
  }

  /**
   * Several processes may follow into the same file (the service and the CLI on one data directory): under
   * the write lock each batch re-reads the stored checkpoint and applies only what no process applied yet.
   */
  private commit(batch: RecordedEvent[]): void {
    if (batch.length === 0) {
      return;
    }
    const last = batch[batch.length - 1].position;
    const done = this.db
      .transaction(() => {
        const applied = later(this.checkpoint, this.storedPosition());
        for (const event of batch) {
          if (applied !== null && event.position <= applied) {
            continue;
          }
          for (const projection of this.byType.get(event.type) ?? []) {
            projection.apply(this.db, event);
          }
        }
        return this.storeCheckpoint(last, applied);
      })
      .immediate();
    this.advance(done);
  }

  private saveCheckpoint(position: bigint): void {
    const done = this.db
      .transaction(() => this.storeCheckpoint(position, this.storedPosition()))
      .immediate();
    this.advance(done);
  }

  private storedPosition(): bigint | null {
    this.readPosition ??= this.db.prepare('SELECT position FROM projection_state LIMIT 1').pluck();
    const stored = this.readPosition.get() as string | null | undefined;
    return stored === null || stored === undefined ? null : BigInt(stored);
  }

  /** Moves the stored checkpoint forward only; returns where the read models now stand. */
  private storeCheckpoint(position: bigint, stored: bigint | null): bigint {
    if (stored !== null && stored >= position) {
      return stored;
    }
    this.writePosition ??= this.db.prepare('UPDATE projection_state SET position = ?');
    this.writePosition.run(String(position));
    return position;
  }

  private advance(position: bigint): void {
    this.checkpoint = position;
    const ready = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    ready.forEach((w) => w.resolve());
  }

  /** Resolves true once projections include `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.checkpoint !== null && this.checkpoint >= position) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve(true) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(waiter);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const lag = head === null ? 0n : this.checkpoint === null ? head : head - this.checkpoint;
    return this.projections.map((p) => ({
      name: p.name,
      version: p.version,
      position: this.checkpoint === null ? null : String(this.checkpoint),
      lag: String(lag < 0n ? 0n : lag),
    }));
  }

  /** Drops every read model and replays the log from position 0 (the runner must be stopped). */
  async rebuild(onProgress?: (done: number) => void): Promise<number> {
    this.reset(this.projections);
    let done = 0;
    let batch: RecordedEvent[] = [];
    for await (const event of this.store.readAll()) {
      batch.push(event);
      if (batch.length >= 5000) {
        this.commit(batch);
        done += batch.length;
        batch = [];
        onProgress?.(done);
      }
    }
    this.commit(batch);
    done += batch.length;
    onProgress?.(done);
    return done;
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    await this.loop;
  }

  close(): void {
    this.db.close();
  }
}

const later = (a: bigint | null, b: bigint | null): bigint | null =>
  a === null ? b : b === null || a >= b ? a : b;
