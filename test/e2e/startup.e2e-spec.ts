import type { NestExpressApplication } from '@nestjs/platform-express';
import { configFor } from '@netral/config';
import { closedPort, createTestApp, tempDir } from '@netral/testing';
import { rmSync } from 'node:fs';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../apps/ledger/src/app.module';
import { configureApp } from '../../apps/ledger/src/configure-app';
import { Startup } from '../../apps/ledger/src/infrastructure/startup';

describe('startup with an event store that cannot be reached', () => {
  let app: NestExpressApplication;
  let server: App;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDir();
    const config = configFor({
      NETRAL_DATA_DIR: dataDir,
      EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${await closedPort()}?tls=false`,
    });
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    configureApp(app);
    // As main.ts does: listening must not wait for the store.
    await app.listen(0, '127.0.0.1');
    server = app.getHttpServer();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens, and /health says startup waits for the followers while the store is down', async () => {
    const res = await request(server).get('/health').expect(503);
    expect(res.body.error.eventStore).toMatchObject({ status: 'down', adapter: 'eventstoredb' });
    expect(res.body.error.startup).toMatchObject({ status: 'down', state: 'starting' });
    expect(res.body.error.startup.waitingFor).toEqual(
      expect.arrayContaining(['users', 'read models', 'transparency log']),
    );
    expect(app.get(Startup).state).toBe('starting');
  });

  it('logs a health probe answered 503 as a warning naming what is down, never as an error', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      await request(server).get('/health').expect(503);
      expect(error).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ down: expect.arrayContaining(['eventStore', 'startup']) }),
        expect.stringMatching(/^health: .*eventStore.* not up \(503\)$/),
      );
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('answers every other API route 503 STARTING with Retry-After, in Bahasa Indonesia, logged as a warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      const res = await request(server)
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: 'whatever-password' })
        .expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ statusCode: 503, code: 'STARTING' });
      expect(res.body.message).toMatch(/sedang dimulai/);
      // A moment to wait, not a fault: no error with a stack trace per request while it starts.
      expect(error).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'STARTING', path: '/api/v1/auth/login' }),
        expect.stringMatching(/sedang dimulai/),
      );
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('shows a person at a browser a page, not JSON', async () => {
    const res = await request(server).get('/login').set('Accept', 'text/html').expect(503);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.text).toContain('Layanan belum siap');
    expect(res.text).toContain('sedang dimulai');
  });

  it('counts those answers under "startup" in /metrics, never under the raw path', async () => {
    await request(server).get('/api/v1/cases/kasus-123').expect(503);
    const metrics = await request(server).get('/metrics').expect(200);
    // This request and the page above.
    expect(metrics.text).toContain(
      'netral_http_request_duration_seconds_count{method="GET",route="startup",status="503"} 2',
    );
    expect(metrics.text).not.toContain('kasus-123');
  });
});

describe('startup on the embedded store', () => {
  it('is ready once the followers have caught up, and /health says so', async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.server).get('/health').expect(200);
      expect(res.body.info.startup).toEqual({ status: 'up', state: 'ready' });
      await request(t.server).get('/api/v1/auth/me').expect(401);
      // And a path no route has is said in Bahasa Indonesia too, not Nest's "Cannot GET …".
      const missing = await request(t.server).get('/api/v1/pakta').expect(404);
      expect(missing.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect(missing.body.message).toBe(
        'Alamat GET /api/v1/pakta tidak ada. Periksa alamatnya; daftar rute API ada di /docs.',
      );
    } finally {
      await t.close();
    }
  });
});
