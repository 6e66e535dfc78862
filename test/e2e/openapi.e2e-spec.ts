import { createTestApp, type TestApp } from '@netral/testing';
import request from 'supertest';
import { OPERATION_SUMMARIES } from '../../apps/ledger/src/openapi';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: { maxLength?: number } }[];
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let operations: { route: string; method: string; operation: Operation }[];

  beforeAll(async () => {
    t = await createTestApp();
    const res = await request(t.server).get('/docs/openapi.json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, Operation>>;
    operations = Object.entries(paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        method,
        operation,
      })),
    );
  });
  afterAll(() => t.close());

  it('documents the Idempotency-Key header, optional, on every POST and on nothing else', () => {
    const withHeader = (operation: Operation) =>
      (operation.parameters ?? []).filter((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    const posts = operations.filter((o) => o.method === 'post');
    expect(posts.length).toBeGreaterThan(20);
    expect(posts.filter((o) => withHeader(o.operation).length !== 1).map((o) => o.route)).toEqual(
      [],
    );
    expect(withHeader(posts[0].operation)[0]).toMatchObject({
      required: false,
      schema: { maxLength: 200 },
    });
    expect(
      operations.filter((o) => o.method !== 'post' && withHeader(o.operation).length > 0),
    ).toEqual([]);
  });

  it('gives every operation a summary', () => {
    expect(operations.filter((o) => !o.operation.summary?.trim()).map((o) => o.route)).toEqual([]);
  });

  it('has no summary for a route that does not exist (a renamed route must move its summary)', () => {
    const routes = new Set(operations.map((o) => o.route));
    expect(Object.keys(OPERATION_SUMMARIES).filter((route) => !routes.has(route))).toEqual([]);
  });
});
