import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadCheckedConfig } from '../../ledger/src/boot';
import { EventStore, type StoreHealth } from '@netral/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppModule } from '../../ledger/src/app.module';
import { DataDirLock, dataDirBusy } from '../../ledger/src/infrastructure/data-dir-lock';
import { Startup } from '../../ledger/src/infrastructure/startup';
import { CliError, EXIT_CODES } from './cli-error';
import { CliLogger } from './cli-logger';

/** How long a command waits for the event store to answer before it gives up (exit 69). */
export const STORE_WAIT_MS = 60_000;

/**
 * Exit 69 for a store that reports itself down: which store, for how long, the store's own reason, what
 * the command did (nothing) and what to do.
 */
export const storeUnavailable = (
  health: StoreHealth,
  waited: string,
  outcome: string,
): CliError => {
  const reason = typeof health.details?.reason === 'string' ? `: ${health.details.reason}` : '';
  return new CliError(
    `Penyimpanan event (${health.adapter}) tidak dapat dihubungi ${waited}${reason}. ${outcome} ` +
      'Jalankan penyimpanannya, atau periksa EVENTSTORE_CONNECTION_STRING.',
    EXIT_CODES.unavailable,
  );
};

/**
 * Waits for startup (the followers catching up), however long that takes while the store answers; gives up
 * with exit 69 when, after `storeWaitMs`, it still is not ready and the store reports itself down.
 */
const untilReady = async (app: INestApplicationContext, storeWaitMs: number): Promise<void> => {
  const ready = app.get(Startup).ready();
  for (;;) {
    const waited = new AbortController();
    const done = await Promise.race([
      ready.then(() => true),
      sleep(storeWaitMs, false, { signal: waited.signal }),
    ]).finally(() => waited.abort());
    if (done) {
      return;
    }
    const health = await app.get(EventStore).health();
    if (health.status === 'down') {
      ready.catch(() => undefined); // closing ends it; its outcome no longer matters
      throw storeUnavailable(
        health,
        `dalam ${Math.round(storeWaitMs / 1000)} detik`,
        'Tidak ada yang dikerjakan.',
      );
    }
    // The store answers: a large log is still being caught up with. Keep waiting.
  }
};

/**
 * Runs `work` inside the service's own module graph (same event store, same read models, same rules and
 * metadata) without opening a port. Demo seeding and the bootstrap administrator are off: the CLI never
 * invents data. A store that does not answer within `storeWaitMs` (EventStoreDB down) ends the command
 * with exit 69 and the store's reason, before anything is done; a slow catch-up with a store that answers
 * is waited for.
 *
 * `exclusive` (what to do instead, for the message): the command holds the data directory's lock
 * (DataDirLock) while it runs, and refuses with exit 75, doing nothing, while the service or another such
 * command holds it.
 */
export const withLedger = async <T>(
  work: (app: INestApplicationContext) => Promise<T>,
  { storeWaitMs = STORE_WAIT_MS, exclusive }: { storeWaitMs?: number; exclusive?: string } = {},
): Promise<T> => {
  const config = loadCheckedConfig({
    ...process.env,
    NETRAL_DEMO: 'false',
    // Nor does it create the service's first administrator as a side effect of another command (with the
    // variable set for the service, `users create-admin` would otherwise meet an `admin` it never made).
    NETRAL_BOOTSTRAP_ADMIN_PASSWORD: undefined,
    NETRAL_LOG_LEVEL: process.env.NETRAL_LOG_LEVEL ?? 'warn',
  });
  const lock = exclusive === undefined ? undefined : DataDirLock.tryAcquire(config.dataDir);
  if (exclusive !== undefined && !lock) {
    throw new CliError(
      `${dataDirBusy(config.dataDir, exclusive)} Tidak ada yang dikerjakan.`,
      EXIT_CODES.busy,
    );
  }
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger: new CliLogger(),
    });
    try {
      await untilReady(app, storeWaitMs);
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    lock?.release();
  }
};
