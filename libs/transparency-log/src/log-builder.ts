import type { EventStore, RecordedEvent, Subscription } from '@netral/event-store';
import { leafBytes } from './leaf';
import { leafHash } from './merkle';
import {
  type StoredCheckpoint,
  TransparencyLog,
  TransparencyLogIntegrityError,
} from './tree-store';

export interface LogBuilderOptions {
  store: EventStore;
  log: TransparencyLog;
  /** Sign a checkpoint once this many leaves were added since the last one. */
  everyEvents: number;
  /** …or this many seconds after the first leaf not yet covered by a checkpoint. */
  everySeconds: number;
  /** The checkpoint's `createdAt` clock (tests pass a fixed one). */
  now?: () => Date;
  /** How many of the last leaves are re-read from the store and compared on start (default 1000). */
  tailToVerify?: number;
  /** Leaves appended per transaction at most (default 1000). */
  batchSize?: number;
  /** Told when the builder stops for good (integrity error, store failure): log it, alert. */
  onFailure?: (error: Error) => void;
  /** Told of every checkpoint signed (periodic or on demand): metrics, witnesses, tests. */
  onCheckpoint?: (checkpoint: StoredCheckpoint) => void;
}

interface Waiter {
  position: bigint;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Follows the store's global log into the transparency log: every event becomes the next leaf, batches are
 * appended in one transaction each, checkpoints are signed every N leaves or T seconds after new leaves,
 * and on demand. On start it re-reads the tail it had logged and refuses to continue if the store's history
 * no longer matches (it must never sign over a rewritten history). Nest-free: the service wraps it.
 */
export class LogBuilder {
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private timer?: NodeJS.Timeout;
  private waiters: Waiter[] = [];
  /** Everything at or before this store position is in the log (or was not an event of the log). */
  private applied: bigint | null;
  private failed?: Error;
  private readonly now: () => Date;

  constructor(private readonly options: LogBuilderOptions) {
    this.now = options.now ?? (() => new Date());
    this.applied = options.log.position;
  }

  get log(): TransparencyLog {
    return this.options.log;
  }

  /** Set once the builder stopped for good; proofs of what was logged before still hold. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** The store position the log covers (null: nothing yet). */
  get position(): bigint | null {
    return this.applied;
  }

  /**
   * Checks the stored tail against the store, then follows the store from the last leaf. Resolves once
   * caught up (every event committed before the call is a leaf); rejects if the history does not match.
   */
  async start(): Promise<void> {
    if (this.subscription) {
      throw new Error('the log builder is already running');
    }
    this.failed = undefined;
    await this.verifyTail();
    this.verifyLatestCheckpoint();
    const subscription = this.options.store.subscribeToAll({
      fromPosition: this.log.position ?? 'start',
    });
    this.subscription = subscription;
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    this.loop = (async () => {
      try {
        for await (const message of subscription) {
          if (message.kind === 'event') {
            this.buffer.push(message.event);
            if (this.buffer.length >= (this.options.batchSize ?? 1000)) {
              this.flush();
            } else {
              this.scheduleFlush();
            }
          } else {
            this.flush();
            this.advance(message.position);
            caughtUp();
          }
        }
        this.flush();
      } catch (error) {
        this.fail(error);
      } finally {
        caughtUp();
      }
    })();
    await ready;
    // Read through the getter: the loop may have set it while this method awaited.
    const failure = this.failure;
    if (failure) {
      throw failure;
    }
  }

  /** Stops following; what was received is logged first. The log stays open for proofs. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Resolves once every event up to `position` (a store position, e.g. an append's result) is a leaf. A
   * certificate waits for its own event this way before asking for a checkpoint that covers it.
   */
  waitFor(position: bigint, timeoutMs = 5000): Promise<void> {
    if (this.failed) {
      return Promise.reject(this.failed);
    }
    if (this.applied !== null && this.applied >= position) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `the transparency log did not reach position ${position} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Signs a checkpoint of every leaf so far (after logging what was received) and returns it; returns the
   * latest one when nothing is new, undefined while the log is empty. Throws if the builder has failed or
   * the tree contradicts an earlier checkpoint.
   */
  checkpointNow(): StoredCheckpoint | undefined {
    if (this.failed) {
      throw this.failed;
    }
    this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const signed = this.log.checkpoint(this.now());
      if (signed) {
        this.options.onCheckpoint?.(signed);
      }
      return signed ?? this.log.latestCheckpoint();
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Events a page read delivers in one turn share one transaction.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.buffer.length === 0 || this.failed) {
      return;
    }
    const batch = this.buffer;
    this.buffer = [];
    try {
      this.log.append(batch);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.advance(this.log.position);
    const covered = this.log.latestCheckpoint()?.treeSize ?? 0;
    if (this.log.size - covered >= this.options.everyEvents) {
      this.signQuietly();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.signQuietly();
      }, this.options.everySeconds * 1000);
      // A pending checkpoint must not keep a CLI or a test process alive.
      this.timer.unref();
    }
  }

  /** Periodic signing: a refusal stops the builder (reported through onFailure), never crashes the host. */
  private signQuietly(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const signed = this.log.checkpoint(this.now());
      if (signed) {
        this.options.onCheckpoint?.(signed);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private advance(position: bigint | null): void {
    if (position === null || (this.applied !== null && position <= this.applied)) {
      return;
    }
    this.applied = position;
    const ready = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    ready.forEach((w) => w.resolve());
  }

  private fail(error: unknown): void {
    if (this.failed) {
      return;
    }
    this.failed = error instanceof Error ? error : new Error(String(error));
    clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = [];
    this.waiters.splice(0).forEach((w) => w.reject(this.failed!));
    // Stop pulling events: nothing more may be logged until a person has looked.
    void this.subscription?.unsubscribe();
    this.options.onFailure?.(this.failed);
  }

  /** Re-reads the last logged leaves from the store and compares position and hash of each. */
  private async verifyTail(): Promise<void> {
    const size = this.log.size;
    if (size === 0) {
      return;
    }
    const stored = this.log.leaves(Math.max(0, size - (this.options.tailToVerify ?? 1000)), size);
    let i = 0;
    for await (const event of this.options.store.readAll({
      fromPosition: stored[0].position,
      maxCount: stored.length,
    })) {
      const leaf = stored[i];
      if (event.position !== leaf.position) {
        throw this.rewritten(
          leaf.index,
          `leaf ${leaf.index} is the event at store position ${leaf.position}, but the store now has position ${event.position} there (an event was removed or inserted)`,
        );
      }
      if (!leafHash(leafBytes(event, leaf.index)).equals(leaf.hash)) {
        throw this.rewritten(
          leaf.index,
          `the event at store position ${leaf.position} (leaf ${leaf.index}) differs from the one logged`,
        );
      }
      i += 1;
    }
    if (i < stored.length) {
      throw this.rewritten(
        stored[i].index,
        `the store ends before leaf ${stored[i].index} (store position ${stored[i].position}): logged events were removed`,
      );
    }
  }

  /** A damaged log file must not go on to sign: its root at the last checkpoint must still be the signed one. */
  private verifyLatestCheckpoint(): void {
    const latest = this.log.latestCheckpoint();
    if (latest && latest.treeSize <= this.log.size) {
      if (!this.log.root(latest.treeSize).equals(Buffer.from(latest.rootHash, 'base64'))) {
        throw this.rewritten(
          undefined,
          `the stored tree no longer has the root signed at size ${latest.treeSize}`,
        );
      }
    } else if (latest) {
      throw this.rewritten(
        this.log.size,
        `the log holds ${this.log.size} leaves but a checkpoint of ${latest.treeSize} was signed`,
      );
    }
  }

  private rewritten(index: number | undefined, detail: string): TransparencyLogIntegrityError {
    const error = new TransparencyLogIntegrityError(
      `refusing to continue the transparency log: ${detail}. The event store's history no longer matches what was logged and signed; investigate before restarting (npm run cli -- audit check names the first affected leaf).`,
      index,
    );
    this.failed = error;
    this.options.onFailure?.(error);
    return error;
  }
}
