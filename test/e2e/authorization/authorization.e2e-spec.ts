import { createTestApp, createUser, type TestApp } from '@netral/testing';
import request from 'supertest';
import {
  EVERYONE,
  MATRIX_OPD,
  MATRIX_OTHER_OPD,
  type MatrixContext,
  routes,
  type Who,
} from './routes';

/** Runs the authorisation table (./routes.ts) against the real app: every route × every caller. */
describe('authorisation matrix', () => {
  let t: TestApp;
  const tokens = new Map<Who, string>();
  let counter = 0;
  let ctx: MatrixContext;

  beforeAll(async () => {
    t = await createTestApp();
    ctx = { t, unique: () => `${Date.now().toString(36)}${(counter += 1)}` };
    tokens.set('ADMIN', (await createUser(t, 'ADMIN')).auth);
    tokens.set('OPD_HEAD', (await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OPD })).auth);
    tokens.set(
      'OPD_HEAD_OTHER',
      (await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OTHER_OPD })).auth,
    );
    tokens.set('BAWASLU', (await createUser(t, 'BAWASLU')).auth);
    tokens.set('HR', (await createUser(t, 'HR')).auth);
  });

  afterAll(async () => {
    await t.close();
  });

  const cases = routes.flatMap((route) =>
    EVERYONE.map((who) => ({
      route,
      who,
      label: `${route.method.toUpperCase()} ${typeof route.path === 'string' ? route.path : route.name}`,
    })),
  );

  it.each(cases)('$label as $who', async ({ route, who }) => {
    const path = typeof route.path === 'string' ? route.path : await route.path(ctx);
    let req = request(t.server)[route.method](path);
    const token = tokens.get(who);
    if (token) {
      req = req.set('Authorization', token);
    }
    if (route.body) {
      req = req.send(await route.body(ctx));
    }
    const res = await req;
    expect({ who, status: res.status }).toEqual({ who, status: route.expect[who] });
  });
});
