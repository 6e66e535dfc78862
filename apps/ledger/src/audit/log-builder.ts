import type { AppConfig } from '@netral/config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sqliteEventsFile } from '../infrastructure/event-store.module';
import { TS_REGISTER } from '../infrastructure/ts-register';

/** Which store the builder thread opens: the one the service writes to, through its own connection. */
export type StoreSpec =
  { adapter: 'sqlite'; file: string } | { adapter: 'eventstoredb'; connectionString: string };

export interface BuilderSettings {
  store: StoreSpec;
  logFile: string;
}

/** What the builder thread tells the service. */
export type BuilderMessage =
  | { kind: 'appended'; size: number; position: bigint }
  | { kind: 'caughtUp' }
  | { kind: 'failed'; error: { name: string; message: string; index?: number } }
  | { kind: 'warning'; message: string };

/** The store the service opens (openEventStore), for the thread to open too. */
export const storeSpec = (config: AppConfig): StoreSpec =>
  config.eventStoreConnectionString
    ? { adapter: 'eventstoredb', connectionString: config.eventStoreConnectionString }
    : { adapter: 'sqlite', file: sqliteEventsFile(config) };

export interface BuilderEvents {
  /** Leaves up to `position` are in the log's file. */
  appended(size: number, position: bigint): void;
  /** The builder refused to go on (see AuditLog.fail); the thread ends. */
  failed(error: Error): void;
  warning(message: string): void;
}

const WORKER = join(__dirname, 'log-builder.worker');
const spawn = (settings: BuilderSettings): Worker =>
  existsSync(`${WORKER}.js`)
    ? new Worker(`${WORKER}.js`, { workerData: settings })
    : new Worker(`require(${JSON.stringify(`${WORKER}.ts`)})`, {
        eval: true,
        workerData: settings,
        execArgv: ['--require', TS_REGISTER], // run from the TypeScript sources (Jest)
      });

/**
 * The builder thread (log-builder.worker.ts) seen from the service: `caughtUp` resolves once it has logged
 * everything the store held when it started (or it stopped first); `stop()` ends it after it has logged
 * what it was delivered.
 */
export class LogBuilderThread {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;
  /** A failure has been passed on: the thread's end needs no second report. */
  private reported = false;
  readonly caughtUp: Promise<void>;

  constructor(settings: BuilderSettings, events: BuilderEvents) {
    this.worker = spawn(settings);
    let caughtUp!: () => void;
    let crashed!: (error: Error) => void;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      caughtUp = resolve;
      crashed = reject;
    });
    this.worker.on('message', (message: BuilderMessage) => {
      switch (message.kind) {
        case 'appended':
          events.appended(message.size, message.position);
          break;
        case 'caughtUp':
          caughtUp();
          break;
        case 'failed': {
          const { name, message: text, index } = message.error;
          this.reported = true;
          events.failed(Object.assign(new Error(text), { name, index }));
          caughtUp(); // the service starts anyway, answers what the log holds and says why not more
          break;
        }
        case 'warning':
          events.warning(message.message);
          break;
      }
    });
    // A thread that cannot run (a file it cannot open, a module missing) fails the service's start; one
    // that dies later stops the log (health down), as does one that ends without being told to.
    this.worker.on('error', (error) => {
      this.reported = true;
      crashed(error);
      events.failed(error);
    });
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.stopping && !this.reported) {
          events.failed(
            new Error(`the transparency log's builder thread ended (exit code ${code})`),
          );
        }
        caughtUp();
        resolve();
      }),
    );
  }

  /** Ends the thread once it has logged what it was delivered; ends it at once if it takes longer. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.worker.postMessage({ kind: 'stop' });
    const timer = setTimeout(() => void this.worker.terminate(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
