import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { EventStore } from '@netral/event-store';
import {
  leafBytes,
  leafHash,
  loadCheckpointKey,
  type StoredCheckpoint,
  type StoredLeaf,
  TRANSPARENCY_LOG_FILE,
  TransparencyLog,
  TransparencyLogIntegrityError,
} from '@netral/transparency-log';
import type { Response } from 'express';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RetryLaterException } from '../common/api-exception.filter';
import { Clock } from '../common/clock';
import { Startup } from '../infrastructure/startup';
import { type BuilderSettings, LogBuilderThread, storeSpec } from './log-builder';

/** What callers get once the builder has stopped (see AuditLog.fail): a 503 that says why. */
const stoppedError = () =>
  new ServiceUnavailableException({
    code: 'TRANSPARENCY_LOG_STOPPED',
    message:
      'Log transparansi berhenti karena pemeriksaan integritas gagal; tidak ada checkpoint baru sampai operator memeriksanya.',
  });

/** The builder is still catching up (after a large import, say): not a fault, a moment to wait. Answered
 * as 503 with Retry-After, never as a 500. */
export class TransparencyLogBehindError extends RetryLaterException {
  constructor(waitedMs: number) {
    super(
      {
        code: 'TRANSPARENCY_LOG_BEHIND',
        message: `Log transparansi masih menyusul event terbaru (belum selesai setelah ${Math.round(
          waitedMs / 1000,
        )} detik). Coba lagi dalam beberapa detik.`,
      },
      5,
    );
  }
}

/**
 * The transparency log (tlog.sqlite in the data directory): its builder, in a worker thread
 * (log-builder.worker.ts), follows the store's global log and appends the leaves; this service answers from
 * the same file (proofs, checkpoints, the export) and signs checkpoints every N events or T seconds after
 * new events, and on demand. Every instance computes the same tree, since it is a function of the global
 * order.
 */
@Injectable()
export class AuditLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TransparencyLog');
  readonly log: TransparencyLog;
  readonly verifierKey: string;
  private readonly builderSettings: BuilderSettings;
  private builder?: LogBuilderThread;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private waiters: { position: bigint; resolve: () => void; reject: (error: Error) => void }[] = [];
  private failure?: Error;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly startup: Startup,
  ) {
    const key = loadCheckpointKey(config);
    const logFile = join(config.dataDir, TRANSPARENCY_LOG_FILE);
    this.log = new TransparencyLog(logFile, {
      origin: config.checkpoint.origin,
      keyName: key.keyName,
      privateKey: key.privateKey,
    });
    this.verifierKey = key.verifierKey;
    this.builderSettings = { store: storeSpec(config), logFile };
  }

  onModuleInit(): void {
    this.startup.track('transparency log', this.startBuilder());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.builder?.stop();
    this.log.sync();
    // Leave nothing unsigned behind: the last events get their checkpoint before the log closes.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.signQuietly();
    this.log.close();
  }

  /** Stops the builder (the log keeps answering for what it has); `resume()` catches up. Used to measure
   * the builder's cost on the write path. */
  async suspend(): Promise<void> {
    await this.builder?.stop();
    this.builder = undefined;
    this.log.sync();
  }

  async resume(): Promise<void> {
    await this.startBuilder();
  }

  /** Starts the builder thread; resolves once it has logged everything the store holds. */
  private async startBuilder(): Promise<void> {
    const builder = new LogBuilderThread(this.builderSettings, {
      appended: () => this.appended(),
      failed: (error) => this.fail(error),
      warning: (message) => this.logger.warn(message),
    });
    this.builder = builder;
    await builder.caughtUp;
    this.appended();
  }

  /** The builder has written more leaves: adopt them, wake who waits for them, sign when due. */
  private appended(): void {
    if (this.closed || this.failure) {
      return;
    }
    this.log.sync();
    const position = this.log.position;
    if (position !== null) {
      const ready = this.waiters.filter((w) => w.position <= position);
      this.waiters = this.waiters.filter((w) => w.position > position);
      ready.forEach((w) => w.resolve());
    }
    const last = this.log.latestCheckpoint()?.treeSize ?? 0;
    if (this.log.size - last >= this.config.checkpoint.everyEvents) {
      this.signQuietly();
    } else if (this.log.size > last) {
      // "No later than T seconds after new events": the clock starts with the first unsigned leaf.
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.signQuietly();
      }, this.config.checkpoint.everySeconds * 1000).unref();
    }
  }

  /** A scheduled checkpoint. A refusal means the log contradicts what it signed: it stops (see fail). */
  private signQuietly(): void {
    try {
      this.checkpointNow();
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * The log cannot go on (an event out of order, a store that no longer matches the logged leaves, a tree
   * that contradicts a signed checkpoint, a disk error). It stops following rather than sign anything
   * doubtful, answers what it already holds, and /health reports it down until a person has looked
   * (`npm run cli -- audit check`) and restarted the service.
   */
  private fail(error: unknown): void {
    if (this.failure) {
      return;
    }
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.logger.error(
      { err: this.failure, treeSize: this.log.size },
      'transparency log stopped; run `npm run cli -- audit check`, then restart',
    );
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiters.splice(0).forEach((w) => w.reject(stoppedError()));
    void this.builder?.stop();
  }

  /** For /health: down once the builder has stopped (or its subscription failed). */
  health(): { status: 'up' | 'down'; details: Record<string, unknown> } {
    const failure = this.failure;
    const latest = this.log.latestCheckpoint();
    return {
      status: failure ? 'down' : 'up',
      details: {
        treeSize: this.log.size,
        latestCheckpoint: latest
          ? { treeSize: latest.treeSize, createdAt: latest.createdAt }
          : null,
        ...(failure ? { reason: failure.message } : {}),
      },
    };
  }

  /** Signs a checkpoint of everything built so far (no-op when nothing is new). */
  checkpointNow(): StoredCheckpoint | undefined {
    if (this.failure) {
      throw stoppedError();
    }
    try {
      const signed = this.log.checkpoint(this.clock.wallNow());
      clearTimeout(this.timer); // every leaf written so far is signed now
      this.timer = undefined;
      return signed ?? this.log.latestCheckpoint();
    } catch (error) {
      this.logger.error({ err: error }, 'checkpoint refused');
      throw error;
    }
  }

  /** On demand: waits until every event written so far is a leaf, then signs (or returns the latest). */
  async signEverything(): Promise<StoredCheckpoint | undefined> {
    const head = await this.store.headPosition();
    if (head !== null) {
      await this.includes(head);
    }
    return this.checkpointNow();
  }

  /** Resolves once the event at `position` is a leaf of the log (bounded wait). */
  async includes(position: bigint, timeoutMs = 5000): Promise<void> {
    if (this.log.position !== null && this.log.position >= position) {
      return;
    }
    if (this.failure) {
      throw stoppedError();
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TransparencyLogBehindError(timeoutMs)), timeoutMs);
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** The canonical leaf bytes of leaves [from, to), read from the store in order: constant memory. */
  async *exportLines(from = 0, to = this.log.size): AsyncGenerator<Buffer> {
    if (from >= to) {
      return;
    }
    const start = this.log.positionOfIndex(from);
    if (start === undefined) {
      return;
    }
    let index = from;
    let stored: StoredLeaf[] = [];
    for await (const event of this.store.readAll({ fromPosition: start })) {
      if (index >= to) {
        return;
      }
      // Every line is checked against the leaf as logged: a store edited behind the service's back is
      // never served as history. The log stops (health down) and the download is cut.
      if (stored.length === 0) {
        stored = this.log.leaves(index, Math.min(to, index + EXPORT_CHECK_PAGE)).reverse();
      }
      const logged = stored.pop();
      const bytes = leafBytes(event, index);
      if (!logged || logged.position !== event.position || !leafHash(bytes).equals(logged.hash)) {
        const error = new TransparencyLogIntegrityError(
          `leaf ${index}: the event store no longer holds the event logged there (position ${logged?.position ?? '?'}, found ${event.position})`,
          index,
        );
        this.fail(error);
        throw error;
      }
      yield bytes;
      index += 1;
    }
    if (index < to) {
      const error = new TransparencyLogIntegrityError(
        `leaf ${index}: the event store ends before the log does`,
        index,
      );
      this.fail(error);
      throw error;
    }
  }
}

/**
 * Streams leaves [from, to) as NDJSON (line i = the canonical bytes of leaf i) with backpressure, so memory
 * stays constant however large the log. The API and the audit explorer's download both answer with it. A
 * client that goes away mid-download ends the read at once (pipeline closes the source).
 */
export const streamExport = async (
  audit: AuditLog,
  res: Response,
  from = 0,
  to = audit.log.size,
): Promise<void> => {
  const end = Math.min(to, audit.log.size);
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="netral-export-${from}-${end}.ndjson"`,
  );
  res.setHeader('X-Tree-Size', String(audit.log.size));
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const line of audit.exportLines(from, end)) {
      yield Buffer.concat([line, NEWLINE]);
    }
  }
  try {
    await pipeline(Readable.from(lines()), res);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      return; // the client disconnected: nothing to answer, and the read has been closed
    }
    // Failed mid-stream: pipeline has cut the response, so the client sees a truncated download
    // rather than a complete-looking file; an error page is no longer possible.
    new Logger('AuditExport').error({ err: error }, 'export failed');
  }
};

const NEWLINE = Buffer.from('\n');
/** Stored leaves read per query while an export is checked line by line. */
const EXPORT_CHECK_PAGE = 1000;
