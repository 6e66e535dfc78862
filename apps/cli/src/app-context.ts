import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@netral/config';
import { EventStore } from '@netral/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppModule } from '../../ledger/src/app.module';
import { Startup } from '../../ledger/src/infrastructure/startup';
import { CliError, EXIT_CODES } from './cli-error';

/** How long a command waits for the event store to answer before it gives up (exit 69). */
export const STORE_WAIT_MS = 60_000;

/**
 * Runs `work` inside the service's own module graph (same event store, same read models, same rules and
 * metadata) without opening a port. Demo seeding is off: the CLI never invents data. A store that does not
 * answer within `storeWaitMs` (EventStoreDB down) ends the command with exit 69 and the store's reason,
 * before anything is done.
 */
export const withLedger = async <T>(
  work: (app: INestApplicationContext) => Promise<T>,
  { storeWaitMs = STORE_WAIT_MS }: { storeWaitMs?: number } = {},
): Promise<T> => {
  const config = loadConfig({
    ...process.env,
    NETRAL_DEMO: 'false',
    NETRAL_LOG_LEVEL: process.env.NETRAL_LOG_LEVEL ?? 'warn',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const waited = new AbortController();
    const ready = app.get(Startup).ready();
    const gaveUp = await Promise.race([
      ready.then(() => false),
      sleep(storeWaitMs, true, { signal: waited.signal }),
    ]).finally(() => waited.abort());
    if (gaveUp) {
      ready.catch(() => undefined); // closing below ends it; its outcome no longer matters
      const health = await app.get(EventStore).health();
      const reason = typeof health.details?.reason === 'string' ? `: ${health.details.reason}` : '';
      throw new CliError(
        `Netral could not reach the event store (${health.adapter}) within ${Math.round(storeWaitMs / 1000)} s${reason}. ` +
          'Nothing was done. Start the store, or check EVENTSTORE_CONNECTION_STRING.',
        EXIT_CODES.unavailable,
      );
    }
    return await work(app);
  } finally {
    await app.close();
  }
};
