import { createTestApp, type TestApp } from '@netral/testing';
import request from 'supertest';

describe('service basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports the event store as up', async () => {
    const res = await request(t.server).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.eventStore).toMatchObject({ status: 'up', adapter: 'sqlite' });
  });

  it('GET /health answers 503 once the store is closed', async () => {
    const other = await createTestApp();
    const { EventStore } = await import('@netral/event-store');
    await other.app.get(EventStore).close();
    const res = await request(other.server).get('/health').expect(503);
    expect(res.body.error.eventStore.status).toBe('down');
    await other.close();
  });

  it('serves the OpenAPI document at /docs', async () => {
    await request(t.server).get('/docs').expect(200).expect('Content-Type', /html/);
    const res = await request(t.server).get('/docs/openapi.json').expect(200);
    expect(res.body.info.title).toBe('Netral API');
    expect(res.body.paths['/health']).toBeDefined();
  });

  it('serves Swagger UI at /docs with every asset it links, and sends /docs/ and /docs/index.html there', async () => {
    const page = await request(t.server).get('/docs').expect(200).expect('Content-Type', /html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      // Resolved as the browser does, against the page's own address.
      const { pathname } = new URL(asset, 'http://netral.test/docs');
      await request(t.server).get(pathname).expect(200);
    }
    for (const alias of ['/docs/', '/docs/index.html']) {
      const res = await request(t.server).get(alias).expect(301);
      expect(res.headers.location).toBe('/docs');
    }
    const withQuery = await request(t.server).get('/docs/?tryItOutEnabled=true').expect(301);
    expect(withQuery.headers.location).toBe('/docs?tryItOutEnabled=true');
  });

  it('allows pages no script, style or font from elsewhere (offices may have no internet)', async () => {
    const csp = String(
      (await request(t.server).get('/login').expect(200)).headers['content-security-policy'],
    );
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive('font-src')).toBe("font-src 'self' data:");
    expect(csp).not.toContain('https:');
  });

  it('echoes a sane correlation id and invents one otherwise', async () => {
    const given = await request(t.server).get('/health').set('X-Correlation-Id', 'abc-12345678');
    expect(given.headers['x-correlation-id']).toBe('abc-12345678');
    const invented = await request(t.server).get('/health').set('X-Correlation-Id', 'bad id!');
    expect(invented.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.text).toContain('netral_http_request_duration_seconds');
  });

  it('answers unknown routes with the contract error body', async () => {
    const res = await request(t.server).get('/api/v1/nope').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
