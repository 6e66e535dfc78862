import {
  Global,
  Injectable,
  Logger,
  Module,
  type NestMiddleware,
  type OnModuleDestroy,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ANSWERED_BEFORE_ROUTING } from '../metrics/answered-before-routing';
import { RetryLaterException } from '../common/api-exception.filter';

/** How often the log says what startup still waits for (a store that is down shows here, not as silence). */
const PROGRESS_EVERY_MS = 10_000;

export type StartupState = 'starting' | 'ready' | 'failed' | 'stopped';

/**
 * What the service must finish before it answers anyone: the followers catching up with the event store
 * (users, read models, transparency log, reactors), then the steps that need them (first administrator,
 * demo data). The HTTP server listens from the first moment, so an event store that is unreachable at boot
 * is reported by /health and logged every few seconds instead of leaving a process that never listens;
 * until everything is done every other route answers 503 with Retry-After.
 */
@Injectable()
export class Startup implements OnModuleDestroy {
  private readonly logger = new Logger('Startup');
  private readonly waiting = new Set<string>();
  private readonly tracked: Promise<void>[] = [];
  private chain?: Promise<void>;
  private status: StartupState = 'starting';
  private failure?: Error;
  private readonly started = Date.now();
  private progress?: NodeJS.Timeout;

  /** A task already running (a follower catching up); it counts until it settles. */
  track(name: string, task: Promise<unknown>): void {
    this.waiting.add(name);
    this.startProgressLog();
    // Settles either way (a failure is kept for ready()), so no rejection is ever left unhandled.
    this.tracked.push(
      task.then(
        () => {
          this.waiting.delete(name);
        },
        (error: unknown) => this.fail(name, error),
      ),
    );
  }

  /** Work that needs every tracked task done (it reads what the followers built); steps run in order.
   * (Not named `then`: Nest awaits providers, and a provider with `then` is taken for a promise.) */
  after(name: string, step: () => Promise<void>): void {
    this.waiting.add(name);
    this.startProgressLog();
    const previous = this.chain ?? Promise.all(this.tracked).then(() => undefined);
    this.chain = previous.then(async () => {
      if (this.status !== 'starting') {
        return; // stopped, or an earlier task failed: what this step needs is not there
      }
      try {
        await step();
        this.waiting.delete(name);
      } catch (error) {
        this.fail(name, error);
      }
    });
  }

  /**
   * Resolves once everything registered has finished (call it after `app.init()`, when every module has
   * registered), rejects with the first failure.
   */
  async ready(): Promise<void> {
    await Promise.all(this.tracked);
    await this.chain;
    if (this.failure) {
      throw this.failure;
    }
    if (this.status === 'starting') {
      this.status = 'ready';
      clearInterval(this.progress);
      this.logger.log(`ready in ${Date.now() - this.started} ms`);
    }
  }

  get state(): StartupState {
    return this.status;
  }

  /** For /health: what is still awaited, and since when. */
  health(): { status: 'up' | 'down'; details: Record<string, unknown> } {
    return {
      status: this.status === 'ready' ? 'up' : 'down',
      details: {
        state: this.status,
        ...(this.waiting.size > 0 ? { waitingFor: [...this.waiting] } : {}),
        ...(this.failure ? { reason: this.failure.message } : {}),
        ...(this.status === 'starting' ? { sinceMs: Date.now() - this.started } : {}),
      },
    };
  }

  /** The first shutdown hook (before any module closes its followers or the store): a follower that stops
   * now settles its task, and the steps waiting on it must not run against a closing store. */
  onModuleDestroy(): void {
    clearInterval(this.progress);
    if (this.status === 'starting') {
      this.status = 'stopped';
    }
  }

  private fail(name: string, error: unknown): void {
    if (this.status !== 'starting') {
      return;
    }
    this.status = 'failed';
    this.failure = new Error(
      `${name} could not start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
    clearInterval(this.progress);
  }

  private startProgressLog(): void {
    if (this.progress || this.status !== 'starting') {
      return;
    }
    this.progress = setInterval(() => {
      this.logger.warn(
        `still starting after ${Math.round((Date.now() - this.started) / 1000)} s, waiting for: ` +
          `${[...this.waiting].join(', ')} (is the event store reachable? see GET /health)`,
      );
    }, PROGRESS_EVERY_MS);
    this.progress.unref();
  }
}

/** What operators need while the service starts: its state and its metrics. */
const OPEN_WHILE_STARTING = new Set(['/health', '/metrics']);

/** Until startup is done, every route but /health and /metrics answers 503: with Retry-After while it
 * starts, without once it has failed. */
@Injectable()
export class StartupGate implements NestMiddleware {
  constructor(private readonly startup: Startup) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Ready first: once started, this one comparison is all the gate costs a request.
    // originalUrl: inside mounted middleware `path` is relative to the mount point.
    if (this.startup.state === 'ready' || OPEN_WHILE_STARTING.has(req.originalUrl.split('?')[0])) {
      next();
      return;
    }
    res.locals[ANSWERED_BEFORE_ROUTING] = 'startup';
    // Thrown, not passed to next(): Nest's exception filter answers (JSON for the API, a page for people).
    // Starting is a moment to wait (Retry-After, a warning); a failed startup is a fault no wait mends.
    if (this.startup.state === 'starting') {
      throw new RetryLaterException(
        {
          code: 'STARTING',
          message:
            'Netral sedang dimulai dan menyusul data dari penyimpanan event. Coba lagi dalam beberapa detik.',
        },
        5,
      );
    }
    throw new ServiceUnavailableException({
      code: 'NOT_READY',
      message:
        'Netral tidak dapat melayani permintaan: proses awal gagal. Hubungi admin (lihat log layanan).',
    });
  }
}

@Global()
@Module({ providers: [Startup, StartupGate], exports: [Startup] })
export class StartupModule {}
