import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigValidationError, loadConfig } from '@netral/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { DEMO_LOGINS } from './demo/demo.seeder';

const loadConfigOrExit = (): AppConfig => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`Netral cannot start. ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
};

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
