import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { holdDataDirOrExit, loadConfigOrExit } from './boot';
import { textTable } from './common/text-table';
import { configureApp } from './configure-app';
import { DEMO_LOGINS, demoPassword } from './demo/demo.seeder';
import { UserDirectory } from './identity/user-directory';
import type { DataDirLock } from './infrastructure/data-dir-lock';
import { Startup } from './infrastructure/startup';
import { ROLE_LABELS } from './web/labels';

/** Held for the life of the process (a lock that is garbage-collected is released). */
let dataDirLock: DataDirLock | undefined;

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  dataDirLock = holdDataDirOrExit(config);
  process.once('exit', () => dataDirLock?.release());
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
  });
  configureApp(app);
  // Listen first: while the followers catch up (or wait for an unreachable EventStoreDB), /health says
  // what startup waits for and every other route answers 503 with Retry-After.
  await app.listen(config.port, config.host);
  const logger = new Logger('Netral');
  logger.log(`listening on ${config.publicBaseUrl}; catching up with the event store`);
  try {
    await app.get(Startup).ready();
  } catch (error) {
    logger.fatal({ err: error }, 'startup failed; stopping');
    await app.close();
    process.exit(1);
  }
  // For the person at the terminal, on stderr: stdout carries only the JSON log lines a collector reads.
  console.error(
    `\nNetral berjalan di ${config.publicBaseUrl}  (API: ${config.publicBaseUrl}/api/v1, dokumentasi: ${config.publicBaseUrl}/docs)\n` +
      `Penyimpanan: ${config.eventStoreConnectionString ? 'EventStoreDB' : `SQLite di ${config.dataDir}`}\n`,
  );
  // The demo logins that exist here: none when the store held other data before the demo was switched on.
  const directory = app.get(UserDirectory);
  const logins = config.demo ? DEMO_LOGINS.filter((login) => directory.active(login.username)) : [];
  if (logins.length > 0) {
    console.error(
      `Data demo: Kabupaten Bangli, Pilkada Serentak 2024. Masuk di ${config.publicBaseUrl}/login sebagai:\n`,
    );
    console.error(
      textTable(
        ['peran', 'nama pengguna', 'kata sandi', 'coba ini'],
        logins.map((login) => [
          ROLE_LABELS[login.role] ?? login.role,
          login.username,
          demoPassword(login, config) === login.password
            ? login.password
            : '(NETRAL_BOOTSTRAP_ADMIN_PASSWORD)',
          login.tryThis,
        ]),
      ) + '\n',
    );
  }
}

void bootstrap();
