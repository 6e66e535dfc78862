import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, configFor } from '@netral/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'supertest/types';
import { AppModule } from '../../../apps/ledger/src/app.module';
import { configureApp } from '../../../apps/ledger/src/configure-app';
import { Startup } from '../../../apps/ledger/src/infrastructure/startup';

export interface TestApp {
  app: NestExpressApplication;
  /** The HTTP server, for supertest: `request(t.server).get('/health')`. */
  server: App;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

export const tempDir = (prefix = 'netral-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A local port nothing listens on (taken from the OS, then released): an EventStoreDB that is down. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Boots the real application (same module, same configureApp as main.ts) on a fresh temp data directory.
 * `override` replaces a provider (a store that fails on cue), everything else as in production. */
export const createTestApp = async (
  env: Record<string, string> = {},
  options: { override?: (module: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<TestApp> => {
  const dataDir = env.NETRAL_DATA_DIR ?? tempDir();
  const config = configFor({ NETRAL_DATA_DIR: dataDir, NETRAL_SQLITE_SYNC: 'NORMAL', ...env });
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app);
  await app.init();
  await app.get(Startup).ready();
  return {
    app,
    server: app.getHttpServer() as App,
    config,
    dataDir,
    close: async () => {
      await app.close();
      if (!env.NETRAL_DATA_DIR) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
};
