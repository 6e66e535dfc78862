/*
 * The transparency log's builder, in a worker thread of the service: it follows the store's global log
 * through its own connection and appends every event as the next leaf of tlog.sqlite (canonical JSON, leaf
 * and node hashes, the subtree rows), the CPU-heavy part of the log, beside the request path instead of on
 * it. It only appends: the service's thread reads the same file for proofs and signs the checkpoints
 * (TransparencyLog serialises the two writers with SQLite's write lock). Nest-free, so the thread loads only
 * the store adapter and the log.
 */
import {
  type EventStore,
  EventStoreDbEventStore,
  type RecordedEvent,
  SqliteEventStore,
} from '@netral/event-store';
import { TransparencyLog } from '@netral/transparency-log';
import { parentPort, workerData } from 'node:worker_threads';
import type { BuilderMessage, BuilderSettings, StoreSpec } from './log-builder';

/** A batch of the log is written once this many events wait, or FLUSH_DELAY_MS after the first of them. */
const FLUSH_EVERY = 1000;
const FLUSH_DELAY_MS = 25;
/** How often the builder's SQLite connection looks for the service's commits while it waits (ms). A
 * connection sees another connection's commits only by looking; PRAGMA data_version costs microseconds. */
const POLL_MS = 5;

const port = parentPort!;
const post = (message: BuilderMessage): void => port.postMessage(message);

const openStore = (spec: StoreSpec): EventStore =>
  spec.adapter === 'sqlite'
    ? new SqliteEventStore({ file: spec.file, pollIntervalMs: POLL_MS })
    : EventStoreDbEventStore.connect(spec.connectionString, {
        logger: { warn: (message) => post({ kind: 'warning', message }) },
      });

const build = async ({ store: spec, logFile }: BuilderSettings): Promise<void> => {
  const store = openStore(spec);
  const log = new TransparencyLog(logFile);
  const subscription = store.subscribeToAll({ fromPosition: log.position ?? 'start' });
  let buffer: RecordedEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failed = false;

  const fail = (error: unknown): void => {
    if (failed) {
      return;
    }
    failed = true;
    buffer = [];
    const { name, message, index } = error as { name?: string; message?: string; index?: number };
    post({
      kind: 'failed',
      error: { name: name ?? 'Error', message: message ?? String(error), index },
    });
    void subscription.unsubscribe();
  };
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (failed || buffer.length === 0) {
      return;
    }
    const batch = buffer;
    buffer = [];
    try {
      log.append(batch);
    } catch (error) {
      fail(error);
      return;
    }
    post({ kind: 'appended', size: log.size, position: log.position! });
  };

  port.on('message', (message: { kind: 'stop' }) => {
    if (message.kind === 'stop') {
      void subscription.unsubscribe();
    }
  });
  try {
    for await (const message of subscription) {
      if (message.kind === 'caughtUp') {
        flush();
        post({ kind: 'caughtUp' });
        continue;
      }
      buffer.push(message.event);
      if (buffer.length >= FLUSH_EVERY) {
        flush();
      } else {
        timer ??= setTimeout(flush, FLUSH_DELAY_MS);
      }
    }
    flush(); // stopped: what was delivered is logged before the thread ends
  } catch (error) {
    fail(error);
  } finally {
    clearTimeout(timer);
    log.close();
    await store.close();
    port.close();
  }
};

void build(workerData as BuilderSettings);
