import { Logger } from '@nestjs/common';
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '@netral/event-store';

/**
 * Follows the global log in this process: applies every matching event in order and lets callers wait until
 * a position has been applied (a write followed by a read sees the write). For small in-memory views
 * (users) and the transparency log; the read models have their own checkpointed runner.
 */
export class EventFollower {
  private readonly logger: Logger;
  private subscription?: Subscription;
  private done?: Promise<void>;
  private applied: bigint | null = null;
  private caughtUp = false;
  private stoppedBy?: Error;
  private waiters: { position: bigint; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private caughtUpWaiters: (() => void)[] = [];

  constructor(
    private readonly name: string,
    private readonly store: EventStore,
    private readonly filter: EventFilter,
    private readonly apply: (event: RecordedEvent) => void | Promise<void>,
  ) {
    this.logger = new Logger(`EventFollower:${name}`);
  }

  /** Starts following from `after` (exclusive) and resolves once caught up with the log. */
  async start(after: bigint | 'start' = 'start'): Promise<void> {
    const subscription = this.store.subscribeToAll({ fromPosition: after, filter: this.filter });
    this.subscription = subscription;
    this.done = (async () => {
      try {
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') {
            this.advance(message.position);
            this.caughtUp = true;
            this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
            continue;
          }
          await this.apply(message.event);
          this.advance(message.event.position);
        }
      } catch (error) {
        this.stoppedBy = error instanceof Error ? error : new Error(String(error));
        this.logger.error({ err: error }, `${this.name} stopped following the log`);
        this.waiters.splice(0).forEach((w) => w.reject(error));
      } finally {
        // Stopped before catching up (shutdown during startup): start() returns instead of hanging.
        this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
      }
    })();
    if (!this.caughtUp) {
      await new Promise<void>((resolve) => this.caughtUpWaiters.push(resolve));
    }
    if (this.stoppedBy) {
      throw this.stoppedBy;
    }
  }

  /** Why following stopped, when it did (the subscription or `apply` failed). */
  get failure(): Error | undefined {
    return this.stoppedBy;
  }

  /** The last position known applied (events of other streams count: the filter skipped them). */
  get position(): bigint | null {
    return this.applied;
  }

  /** Resolves once everything up to `position` has been applied, or rejects after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs = 5000): Promise<void> {
    if (this.stoppedBy) {
      return Promise.reject(this.stoppedBy);
    }
    if (this.applied !== null && this.applied >= position) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = { position, resolve, reject };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name} did not reach position ${position} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  /** Marks a position as seen even though no matching event carried it (e.g. the writer's own append). */
  private advance(position: bigint | null): void {
    if (position === null || (this.applied !== null && position <= this.applied)) {
      return;
    }
    this.applied = position;
    const ready = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    ready.forEach((w) => w.resolve());
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    await this.done;
  }
}
