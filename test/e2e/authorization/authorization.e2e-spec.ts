import { createTestApp, createUser, csrfFrom, type TestApp, webLogin } from '@netral/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
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
  const usernames = new Map<Who, string>();
  const browsers = new Map<Who, { agent: TestAgent; csrf: string }>();
  let counter = 0;
  let ctx: MatrixContext;

  beforeAll(async () => {
    t = await createTestApp();
    ctx = { t, unique: () => `${Date.now().toString(36)}${(counter += 1)}` };
    const users = {
      ADMIN: await createUser(t, 'ADMIN'),
      OPD_HEAD: await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OPD }),
      OPD_HEAD_OTHER: await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OTHER_OPD }),
      BAWASLU: await createUser(t, 'BAWASLU'),
      HR: await createUser(t, 'HR'),
    };
    for (const [who, user] of Object.entries(users) as [Who, (typeof users)['HR']][]) {
      tokens.set(who, user.auth);
      usernames.set(who, user.username);
    }
  });

  /** A signed-in browser per caller (for `web` rows), with a CSRF token from a page it loaded. */
  const browser = async (who: Who) => {
    let entry = browsers.get(who);
    if (!entry) {
      const username = usernames.get(who);
      const agent = username ? await webLogin(t, username) : request.agent(t.server);
      // Signed in, every page's layout has the logout form; signed out, the login form.
      const page = await agent.get(username ? '/verifikasi' : '/login');
      entry = { agent, csrf: csrfFrom(page.text) };
      browsers.set(who, entry);
    }
    return entry;
  };

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
    let req;
    if (route.web) {
      const { agent, csrf } = await browser(who);
      // In the query, as multipart forms send it (their body is parsed after the CSRF check).
      req = agent[route.method](
        route.method === 'get'
          ? path
          : `${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrf)}`,
      );
    } else {
      req = request(t.server)[route.method](path);
      const token = tokens.get(who);
      if (token) {
        req = req.set('Authorization', token);
      }
    }
    if (route.body) {
      req = req.send(await route.body(ctx));
    }
    const res = await req;
    expect({ who, status: res.status }).toEqual({ who, status: route.expect[who] });
  });
});
