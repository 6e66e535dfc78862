import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@netral/config';
import { AppModule } from '../../ledger/src/app.module';
import { Startup } from '../../ledger/src/infrastructure/startup';

/**
 * Runs `work` inside the service's own module graph (same event store, same read models, same rules and
 * metadata) without opening a port. Demo seeding is off: the CLI never invents data.
 */
export const withLedger = async <T>(
  work: (app: INestApplicationContext) => Promise<T>,
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
    await app.get(Startup).ready();
    return await work(app);
  } finally {
    await app.close();
  }
};
