import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './boot';
import { configureApp } from './configure-app';
import { DEMO_LOGINS } from './demo/demo.seeder';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
  });
  configureApp(app);
  await app.listen(config.port, config.host);
  console.log(
    `\nNetral berjalan di ${config.publicBaseUrl}  (API: ${config.publicBaseUrl}/api/v1, dokumentasi: ${config.publicBaseUrl}/docs)\n` +
      `Penyimpanan: ${config.eventStoreConnectionString ? 'EventStoreDB' : `SQLite di ${config.dataDir}`}\n`,
  );
  if (config.demo) {
    console.log(
      `Data demo: Kabupaten Bangli, Pilkada Serentak 2024. Masuk di ${config.publicBaseUrl}/login sebagai:\n`,
    );
    console.table(
      DEMO_LOGINS.map((login) => ({
        peran: login.role,
        'nama pengguna': login.username,
        'kata sandi': login.password,
        'coba ini': login.tryThis,
      })),
    );
  }
}

void bootstrap();
