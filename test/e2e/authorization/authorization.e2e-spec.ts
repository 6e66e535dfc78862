import { createTestApp, createUser, csrfFrom, type TestApp, webLogin } from '@netral/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { MATRIX_OPD, MATRIX_OTHER_OPD, seedMatrixData } from './matrix-data';
import {
  type Caller,
  EVERYONE,
  expectedWithTemporaryPassword,
  type MatrixContext,
  type MatrixRoute,
  routes,
  TEMPORARY,
} from './routes';

/** A route as Express registered it: the router's own layer, so a row is matched as a request is. */
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean | undefined> };
  match(path: string): boolean;
}

/**
 * Registered, but not the matrix's business, each with why. Static files (`/assets/`) are served by
 * express.static middleware, not by routes, so they never appear among the routes at all.
 */
const NOT_IN_MATRIX: { path: RegExp; why: string }[] = [
  {
    path: /^\/docs([/-]|$)/,
    why: 'Swagger UI and the OpenAPI document (SwaggerModule.setup): public by design, no data',
  },
  {
    path: /^\/\{\*path\}$/,
    why:
      "not endpoints: middleware bound with forRoutes('*') (CSRF, HTTP metrics), which Nest " +
      'mounts as a route answering every method',
  },
];

/** Runs the authorisation table (./routes.ts) against the real app: every route × every caller. */
describe('authorisation matrix', () => {
  let t: TestApp;
  const tokens = new Map<Caller, string>();
  const usernames = new Map<Caller, string>();
  const browsers = new Map<Caller, { agent: TestAgent; csrf: string }>();
  let counter = 0;
  let ctx: MatrixContext;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    const bawaslu = await createUser(t, 'BAWASLU');
    const hr = await createUser(t, 'HR');
    // The OPDs before their heads: an OPD head's account needs its OPD registered.
    const data = await seedMatrixData(t);
    const users = {
      ADMIN: admin,
      OPD_HEAD: await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OPD }),
      OPD_HEAD_OTHER: await createUser(t, 'OPD_HEAD', { opdId: MATRIX_OTHER_OPD }),
      BAWASLU: bawaslu,
      HR: hr,
      [TEMPORARY]: await createUser(t, 'HR', { temporaryPassword: true }),
    };
    for (const [who, user] of Object.entries(users) as [Caller, (typeof users)['HR']][]) {
      tokens.set(who, user.auth);
      usernames.set(who, user.username);
    }
    ctx = {
      t,
      data,
      unique: () => `${Date.now().toString(36)}${(counter += 1)}`,
    };
  });

  afterAll(async () => {
    await t.close();
  });

  /** A browser for a caller: signed in through the login form (or not, for anonymous), with a CSRF token
   * from a page it loaded. */
  const signIn = async (who: Caller) => {
    const username = usernames.get(who);
    const agent = username ? await webLogin(t, username) : request.agent(t.server);
    // Signed in, every page's layout has the logout form; signed out, the login form.
    const page = await agent.get(username ? '/verifikasi' : '/login');
    return { agent, csrf: csrfFrom(page.text) };
  };

  /** The caller's browser, kept across rows (as a person keeps theirs across pages). */
  const browser = async (who: Caller) => {
    let entry = browsers.get(who);
    if (!entry) {
      entry = await signIn(who);
      browsers.set(who, entry);
    }
    return entry;
  };

  const pathOf = (route: MatrixRoute) =>
    typeof route.path === 'string' ? route.path : route.path(ctx);

  describe('the table', () => {
    /** Every (method, path) the router holds, with its layer. */
    const routerRoutes = () => {
      const { router } = t.app.getHttpAdapter().getInstance() as unknown as {
        router: { stack: RouterLayer[] };
      };
      return router.stack.flatMap((layer) => {
        const { route } = layer;
        if (!route) {
          // Middleware: helmet, cookies, body parsers, express.static for /assets/.
          return [];
        }
        return Object.keys(route.methods)
          .filter((method) => route.methods[method])
          .map((method) => ({
            key: `${method.toUpperCase()} ${route.path}`,
            path: route.path,
            method,
            layer,
          }));
      });
    };

    /** The routes the matrix is about: all but the listed exclusions. */
    const registered = () =>
      routerRoutes().filter((r) => !NOT_IN_MATRIX.some((excluded) => excluded.path.test(r.path)));

    /** The registered route a row's request reaches: the first that matches, as Express dispatches. */
    const routeOf = (row: MatrixRoute) => {
      const pathname = pathOf(row).split('?')[0];
      return registered().find((r) => r.method === row.method && r.layer.match(pathname))?.key;
    };

    it('has a row for every route the app registers', () => {
      const covered = new Set(routes.map(routeOf));
      const missing = registered()
        .map((r) => r.key)
        .filter((key) => !covered.has(key));
      expect(missing).toEqual([]);
    });

    it('excludes only routes that exist', () => {
      const stale = NOT_IN_MATRIX.filter(
        (excluded) => !routerRoutes().some((r) => excluded.path.test(r.path)),
      ).map((excluded) => excluded.why);
      expect(stale).toEqual([]);
    });

    it('has no row that reaches no registered route', () => {
      const astray = routes
        .filter((row) => routeOf(row) === undefined)
        .map((row) => `${row.method.toUpperCase()} ${row.name ?? row.path}`);
      expect(astray).toEqual([]);
    });
  });

  const cases = routes.flatMap((route) =>
    [...EVERYONE, TEMPORARY].map((who: Caller) => ({
      route,
      who,
      expected: who === TEMPORARY ? expectedWithTemporaryPassword(route) : route.expect[who],
      label: `${route.method.toUpperCase()} ${route.name ?? route.path}`,
    })),
  );

  it.each(cases)('$label as $who', async ({ route, who, expected }) => {
    const path = pathOf(route);
    let req;
    if (route.web) {
      const { agent, csrf } = route.endsSession ? await signIn(who) : await browser(who);
      // In the query, as multipart forms send it (their body is parsed after the CSRF check).
      req = agent[route.method](
        route.method === 'get'
          ? path
          : `${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrf)}`,
      ).set('Accept', 'text/html,application/xhtml+xml');
      if (route.body) {
        req = req.type('form').send(await route.body(ctx));
      }
    } else {
      req = request(t.server)[route.method](path);
      const token = tokens.get(who);
      if (token) {
        req = req.set('Authorization', token);
      }
      if (route.body) {
        req = req.send(await route.body(ctx));
      }
    }
    const res = await req;
    expect({ who, status: res.status }).toEqual({ who, status: expected });
    if (who === TEMPORARY && expected !== route.expect.HR) {
      // Refused for the password, not for anything else the route would have said.
      if (route.web && route.method === 'get') {
        expect(res.get('Location')).toBe('/akun');
      } else if (!route.web) {
        expect((res.body as { code?: string }).code).toBe('PASSWORD_CHANGE_REQUIRED');
      }
    }
    if (route.web && res.status === 303) {
      // Only a browser without a session is sent to sign in: a signed-in caller sent there would mean
      // the row ran without its session, and its 303 would say nothing about the route.
      const location = res.get('Location') ?? '';
      if (who === 'anonymous') {
        expect(location).toMatch(/^\/login(\?|$)/);
      } else {
        expect(location).not.toMatch(/^\/login\?next=/);
      }
    }
  });
});
