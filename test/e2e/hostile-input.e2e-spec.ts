import {
  confirmedCase,
  createTestApp,
  createUser,
  csrfFrom,
  seedLedger,
  webLogin,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

/**
 * What anyone can type or send, driven by the OpenAPI document so every route is covered as it is added:
 * each property of each JSON body, each query parameter and each path parameter is given values no form
 * produces (wrong types, huge and odd numbers, control characters, very long text, objects where text is
 * expected). Every answer must be a 4xx or a success, never a 500.
 */
interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  parameters?: { name: string; in: 'query' | 'path' }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}
interface Schema {
  properties?: Record<string, { example?: unknown }>;
}

/** JSON texts, so that values JSON.stringify cannot write (1e999) are sent too. */
const HOSTILE_JSON = [
  'null',
  '[]',
  '{}',
  '{"a":{"b":1}}',
  'true',
  '-1',
  '0.5',
  '1e999',
  '123456789012345678901234567890',
  '""',
  '"   "',
  JSON.stringify('\u0000\u0007'),
  JSON.stringify('x'.repeat(20_000)),
  JSON.stringify('𝕏'.repeat(300)),
  JSON.stringify('../../etc/passwd'),
  JSON.stringify('2024-02-30'),
  JSON.stringify('2024-09-20T25:61:00+99:00'),
  '["a","b"]',
];
const HOSTILE_TEXT = [
  '',
  '-1',
  '1e999',
  '99999999999999999999999',
  '9223372036854775807',
  '0x10',
  'null',
  'x'.repeat(5_000),
  '\u0000',
  '𝕏',
  '..',
  '2024-02-30',
];
/** Query strings Express parses into arrays and objects. */
const HOSTILE_QUERY_SUFFIXES = (name: string) => [
  `${name}=a&${name}=b`,
  `${name}[x]=1`,
  `${name}[]=1`,
  `${name}=%E0%A4%A`,
];

describe('hostile input on every route', () => {
  let t: TestApp;
  let users: TestUser[];
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  let caseId: string;

  beforeAll(async () => {
    // Thousands of requests in a minute: the rate limits would answer most of them (429) unchecked.
    t = await createTestApp({
      NETRAL_RATE_LIMIT_PER_MINUTE: '1000000',
      NETRAL_LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    const bawaslu = await createUser(t, 'BAWASLU');
    const roster = await seedLedger(t, { admin, hr });
    const head = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    users = [admin, hr, bawaslu, head];
    caseId = (
      await confirmedCase(t, bawaslu, {
        nip: roster['dinas-kesehatan'].staff[0],
        recommendation: { discipline: 'BERAT' },
      })
    ).caseId;
    const document = (await request(t.server).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    schemas = document.components.schemas;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ ...op, method, path }) as Operation),
    );
  });

  afterAll(async () => {
    await t.close();
  });

  /** The path with its parameters filled: real ids where the example ledger has them. */
  const fill = (path: string, override: Record<string, string> = {}) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(
        override[name] ??
          (
            { caseId, electionId: 'pilkada-2024', opdId: 'dinas-kesehatan' } as Record<
              string,
              string
            >
          )[name] ??
          'x',
      ),
    );

  const send = (op: Operation, path: string, user: TestUser, body?: string) => {
    const call = request(t.server)[op.method](path).set('Authorization', user.auth);
    return body === undefined ? call : call.set('Content-Type', 'application/json').send(body);
  };

  const bodyExample = (op: Operation): Record<string, unknown> | undefined => {
    const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
    const schema = ref ? schemas[ref.split('/').pop()!] : undefined;
    return schema?.properties
      ? Object.fromEntries(
          Object.entries(schema.properties).map(([key, property]) => [key, property.example]),
        )
      : undefined;
  };

  /** Every route of the pages for `method`, as Express holds them (the pages are not in the OpenAPI
   * document). */
  const pageRoutes = (method: 'get' | 'post' = 'get'): string[] => {
    const router = (
      t.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      }
    ).router;
    return router.stack
      .flatMap((layer) => (layer.route?.methods[method] ? [layer.route.path] : []))
      .filter((path) => !path.startsWith('/api/') && !path.startsWith('/docs'));
  };
  /** Query names the pages read (filters, paging, redirects). */
  const PAGE_QUERY = [
    'electionId',
    'minPosition',
    'page',
    'q',
    'next',
    'status',
    'opdId',
    'nip',
    'kind',
    'stream',
    'streamPrefix',
    'type',
    'actorId',
    'from',
    'to',
    'fromPosition',
    'overdue',
  ];

  it('never answers a 500 to a hostile query or path on the pages', async () => {
    const agents = new Map<TestUser, TestAgent>();
    for (const user of users) {
      agents.set(user, await webLogin(t, user.username));
    }
    const failures: string[] = [];
    let answered = 0;
    const get = async (agent: TestAgent, url: string) => {
      const res = await agent.get(url).set('Accept', 'text/html');
      answered += 1;
      if (res.status >= 500) {
        failures.push(`GET ${url.slice(0, 100)} → ${res.status}`);
      }
      return res.status;
    };
    const paths = pageRoutes();
    expect(paths).toEqual(expect.arrayContaining(['/kasus', '/audit', '/kepatuhan', '/registri']));
    const real = (name: string) =>
      name === 'caseId' ? caseId : name === 'electionId' ? 'pilkada-2024' : 'x';
    for (const route of paths) {
      const path = route.replace(/:(\w+)/g, (_, name: string) => real(name));
      // As the callers the page lets in: the first one, and the OPD head too when let in.
      const callers: TestAgent[] = [];
      for (const [user, agent] of agents) {
        const status = await get(agent, path);
        if (status < 400 && (callers.length === 0 || user.role === 'OPD_HEAD')) {
          callers.push(agent);
        }
      }
      // Every query name a page reads gets the same hostile value at once, then each array/object form.
      const urls = [
        ...HOSTILE_TEXT.map(
          (value) =>
            `${path}?${PAGE_QUERY.map((name) => `${name}=${encodeURIComponent(value)}`).join('&')}`,
        ),
        ...[0, 1, 2, 3].map(
          (i) => `${path}?${PAGE_QUERY.map((name) => HOSTILE_QUERY_SUFFIXES(name)[i]).join('&')}`,
        ),
        ...[...route.matchAll(/:(\w+)/g)].flatMap(([, name]) =>
          HOSTILE_TEXT.filter(Boolean).map((value) =>
            route.replace(/:(\w+)/g, (_, other: string) =>
              other === name ? encodeURIComponent(value) : real(other),
            ),
          ),
        ),
      ];
      for (const agent of callers) {
        for (const url of urls) {
          await get(agent, url);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(300);
  }, 240_000);

  /** Field names the forms post. */
  const FORM_FIELDS = [
    'nip',
    'name',
    'position',
    'employmentType',
    'opdId',
    'code',
    'kind',
    'parentOpdId',
    'reason',
    'toOpdId',
    'signedAt',
    'place',
    'witnesses',
    'electionId',
    'summary',
    'actCode',
    'occurredAt',
    'source',
    'findings',
    'authority',
    'ethics',
    'discipline',
    'decreeNumber',
    'decidedBy',
    'decidedAt',
    'effectiveFrom',
    'effectiveUntil',
    'legalBasis',
    'username',
    'displayName',
    'password',
    'role',
    'note',
    'votingDay',
    'monitoringFrom',
    'monitoringUntil',
    'subjectType',
    'subjectId',
    'statement',
    'next',
    'nips',
    'textVersion',
    'currentPassword',
    'newPassword',
  ];

  it('never answers a 500 to a hostile form post on the pages', async () => {
    const failures: string[] = [];
    let answered = 0;
    let refusedAsInput = 0;
    const paths = pageRoutes('post').filter((path) => path !== '/logout');
    expect(paths.length).toBeGreaterThan(15);
    for (const user of users) {
      const agent = await webLogin(t, user.username);
      const token = csrfFrom((await agent.get('/akun').set('Accept', 'text/html')).text);
      const bodies = [
        ...HOSTILE_TEXT.map((value) =>
          FORM_FIELDS.map((name) => `${name}=${encodeURIComponent(value)}`).join('&'),
        ),
        ...[0, 1, 2].map((i) =>
          FORM_FIELDS.map((name) => HOSTILE_QUERY_SUFFIXES(name)[i]).join('&'),
        ),
      ];
      for (const route of paths) {
        const path = route.replace(/:(\w+)/g, (_, name: string) =>
          name === 'caseId'
            ? caseId
            : name === 'opdId'
              ? 'dinas-kesehatan'
              : name === 'form'
                ? 'asn'
                : 'x',
        );
        for (const body of bodies) {
          const res = await agent
            .post(path)
            .set('Accept', 'text/html')
            .type('form')
            .send(`_csrf=${encodeURIComponent(token)}&${body}`);
          answered += 1;
          refusedAsInput += res.status === 400 ? 1 : 0;
          if (res.status >= 500) {
            failures.push(`POST ${path} as ${user.role} ${body.slice(0, 60)} → ${res.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(500);
    expect(refusedAsInput).toBeGreaterThan(200); // past the CSRF and role checks, to the forms' own
  }, 240_000);

  it('covers the API', () => {
    expect(operations.filter((op) => op.method === 'post').length).toBeGreaterThan(20);
  });

  it('never answers a 500 to a hostile body, query or path parameter', async () => {
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    const check = async (label: string, response: Promise<request.Response>) => {
      const res = await response;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 500) {
        failures.push(`${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    };
    for (const op of operations) {
      if (!op.path.startsWith('/api/')) {
        continue;
      }
      const example = bodyExample(op);
      // Fuzzed as the callers the route lets in (a refusal by the guard would test nothing); as one of them,
      // and as the OPD head too when let in, since the OPD scope takes its own path through the services.
      const allowed: TestUser[] = [];
      for (const user of users) {
        const probe = await send(op, fill(op.path), user, example && JSON.stringify(example));
        if (probe.status !== 401 && probe.status !== 403) {
          allowed.push(user);
        }
      }
      const callers = allowed.filter(
        (user, i) => i === 0 || (user.role === 'OPD_HEAD' && allowed[0].role !== 'OPD_HEAD'),
      );
      for (const user of callers) {
        const tag = `${op.method.toUpperCase()} ${op.path} as ${user.role}`;
        if (example) {
          for (const key of Object.keys(example)) {
            for (const value of HOSTILE_JSON) {
              const rest = JSON.stringify({ ...example, [key]: undefined });
              const body = `${rest.slice(0, -1)}${rest.length > 2 ? ',' : ''}${JSON.stringify(key)}:${value}}`;
              await check(
                `${tag} ${key}=${value.slice(0, 40)}`,
                send(op, fill(op.path), user, body),
              );
            }
          }
          for (const body of HOSTILE_JSON) {
            await check(`${tag} body ${body.slice(0, 40)}`, send(op, fill(op.path), user, body));
          }
          await check(
            `${tag} __proto__`,
            send(
              op,
              fill(op.path),
              user,
              '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}',
            ),
          );
        }
        for (const parameter of op.parameters ?? []) {
          for (const value of HOSTILE_TEXT) {
            if (parameter.in === 'path') {
              await check(
                `${tag} path ${parameter.name}=${value.slice(0, 20)}`,
                send(op, fill(op.path, { [parameter.name]: value }), user, example && '{}'),
              );
            } else {
              await check(
                `${tag} query ${parameter.name}=${value.slice(0, 20)}`,
                send(
                  op,
                  `${fill(op.path)}?${parameter.name}=${encodeURIComponent(value)}`,
                  user,
                  example && '{}',
                ),
              );
            }
          }
          if (parameter.in === 'query') {
            for (const suffix of HOSTILE_QUERY_SUFFIXES(parameter.name)) {
              await check(
                `${tag} query ${suffix}`,
                send(op, `${fill(op.path)}?${suffix}`, user, example && '{}'),
              );
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The values reached the checks they are meant for: most were refused as input, not by the guards
    // (the login route slows down repeated failures on purpose: its 429s are expected).
    expect(statuses[400]).toBeGreaterThan(2_000);
    expect(statuses[400]).toBeGreaterThan(10 * (statuses[403] ?? 0));
  }, 240_000);
});
