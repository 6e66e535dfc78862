import { EventStore } from '@netral/event-store';
import {
  confirmedCase,
  createTestApp,
  createUser,
  csrfFrom,
  post as postAs,
  postRaw,
  seedLedger,
  webLogin,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AuditLog } from '../../apps/ledger/src/audit/audit-log.service';

/**
 * What anyone can type or send, driven by the OpenAPI document so every route is covered as it is added:
 * each property of each JSON body, each query parameter and each path parameter is given values no form
 * produces (wrong types, huge and odd numbers, control characters, very long text, objects where text is
 * expected). Every answer must be a 4xx or a success, never a 500, and the API's refusals never repeat a
 * long value whole.
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
    'sanctionPending',
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
      // A value sent is never repeated whole: messages echo at most its first 60 characters.
      if (res.status >= 400 && res.text.includes('x'.repeat(100))) {
        failures.push(`${label} → ${res.status} echoes the value: ${res.text.slice(0, 200)}`);
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

/** Inputs the fuzz above found accepted or answered badly: each refused with a 4xx naming what to fix,
 * nothing written. */
describe('hostile input the fuzz found', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;
  const head = () => t.app.get(EventStore).headPosition();
  const json = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    // Checkpoints only when asked for: a scheduled one would make "nothing signed" flaky.
    t = await createTestApp({ NETRAL_CHECKPOINT_EVERY_SECONDS: '3600' });
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
  });
  afterAll(async () => {
    await t.close();
  });

  const opd = (suffix: string) =>
    `"opdId":"dinas-uji-${suffix}","code":"9.${suffix}","name":"Dinas Uji","kind":"DINAS"`;

  it.each([
    ['__proto__', '"__proto__":{"x":1}'],
    ['constructor', '"constructor":{"prototype":{}}'],
    ['prototype', '"prototype":{"x":1}'],
    ['toString', '"toString":"x"'],
    ['hasOwnProperty', '"hasOwnProperty":1'],
  ])('a field named %s is refused, named, not dropped silently', async (field, member) => {
    const before = await head();
    const res = await postRaw(t, hr, '/api/v1/opds', json, `{${opd('50')},${member}}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual([
      {
        field,
        code: 'reservedFieldName',
        reason: expect.stringContaining('nama kolom ini tidak diizinkan') as string,
      },
    ]);
    expect(res.body.message).toContain(field);
    expect(await head()).toBe(before);
  });

  it('a reserved field name deep in a body is named by its path', async () => {
    const before = await head();
    const evidence = '{"sha256":"' + 'a'.repeat(64) + '","description":"Foto","__proto__":{"x":1}}';
    const report = await postRaw(
      t,
      bawaslu,
      '/api/v1/cases',
      json,
      `{"electionId":"pilkada-2024","nip":"${roster['dinas-kesehatan'].staff[0]}","source":"BAWASLU_FINDING",` +
        `"actCode":"N06","occurredAt":"2024-09-28","summary":"Uji","evidence":[${evidence}]}`,
    );
    expect(report.status).toBe(400);
    expect(report.body.details).toEqual([
      expect.objectContaining({ field: 'evidence.0.__proto__', code: 'reservedFieldName' }),
    ]);
    expect(await head()).toBe(before);
  });

  it.each(['__proto__=1', 'constructor=1', 'toString=x', 'prototype=1'])(
    'a query parameter %s is refused, named, not dropped silently',
    async (query) => {
      const res = await request(t.server)
        .get(`/api/v1/cases?electionId=pilkada-2024&${query}`)
        .set('Authorization', bawaslu.auth);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: query.split('=')[0], code: 'reservedFieldName' }),
      ]);
    },
  );

  describe('a route that takes no body', () => {
    const checkpoints = async () =>
      (
        (await request(t.server).get('/api/v1/audit/checkpoints?limit=1000').expect(200)).body as {
          items: unknown[];
        }
      ).items.length;
    const sign = (headers: Record<string, string>, body: string) =>
      postRaw(t, bawaslu, '/api/v1/audit/checkpoints', headers, body);

    it('refuses one sent to POST /audit/checkpoints, naming its fields, signing nothing', async () => {
      await postAs(t, hr, '/api/v1/opds', JSON.parse(`{${opd('51')}}`) as object).expect(201);
      await t.app.get(AuditLog).includes((await head())!);
      const before = await checkpoints();
      const fields = await sign(json, '{"treeSize":3,"note":"x"}');
      expect(fields.status).toBe(400);
      expect(fields.body).toMatchObject({ statusCode: 400, code: 'BODY_NOT_EXPECTED' });
      expect(fields.body.message).toContain('tidak menerima isi permintaan');
      expect(fields.body.message).toContain('treeSize, note');
      expect(fields.body.details).toEqual([
        expect.objectContaining({ field: 'treeSize', code: 'BODY_NOT_EXPECTED' }),
        expect.objectContaining({ field: 'note', code: 'BODY_NOT_EXPECTED' }),
      ]);
      for (const [headers, body] of [
        [json, '[]'],
        [json, '{"__proto__":{}}'],
        [{ 'Content-Type': 'text/plain' }, 'tandatangani'],
        [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1'],
      ] as const) {
        const res = await sign(headers, body);
        expect([res.status, res.body.code]).toEqual([400, 'BODY_NOT_EXPECTED']);
      }
      expect(await checkpoints()).toBe(before);
      // No body, or an empty object, is the request as meant.
      const empty = await sign(json, '{}');
      expect(empty.status).toBe(201);
      expect(await checkpoints()).toBe(before + 1);
      await request(t.server)
        .post('/api/v1/audit/checkpoints')
        .set('Authorization', bawaslu.auth)
        .expect(201);
    });

    it('every API write without a documented body refuses one', async () => {
      const document = (await request(t.server).get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { requestBody?: unknown }>>;
      };
      const bodiless = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([method, op]) => method !== 'get' && !op.requestBody)
          .map(([method]) => `${method} ${path}`),
      );
      expect(bodiless).toContain('post /api/v1/audit/checkpoints');
      for (const route of bodiless) {
        const [method, path] = route.split(' ');
        let answered: [number, unknown] | undefined;
        for (const user of [admin, bawaslu, hr]) {
          const res = await request(t.server)
            [method as 'post'](path.replace(/\{\w+\}/g, 'x'))
            .set('Authorization', user.auth)
            .send({ x: 1 });
          if (res.status !== 403) {
            answered = [res.status, res.body.code];
            break;
          }
        }
        expect([route, answered]).toEqual([route, [400, 'BODY_NOT_EXPECTED']]);
      }
    });
  });

  describe('a very long value in the address', () => {
    const long = 'x'.repeat(5_000);

    it('is refused as a path parameter, named, before any lookup', async () => {
      const before = await head();
      for (const [path, field] of [
        [`/api/v1/cases/${long}`, 'caseId'],
        [`/api/v1/certificates/${long}/verification`, 'certificateId'],
      ]) {
        const res = await request(t.server).get(path).set('Authorization', bawaslu.auth);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([
          { field, code: 'maxLength', reason: expect.stringContaining('64 karakter') as string },
        ]);
        expect(res.text).not.toContain('x'.repeat(65));
      }
      const rename = await postAs(t, hr, `/api/v1/opds/${long}/renaming`, { name: 'Dinas Baru' });
      expect(rename.status).toBe(400);
      expect(rename.body.details).toEqual([expect.objectContaining({ field: 'opdId' })]);
      // An id as long as ids get is looked up as before.
      const missing = await request(t.server)
        .get(`/api/v1/cases/${'x'.repeat(64)}`)
        .set('Authorization', bawaslu.auth);
      expect([missing.status, missing.body.code]).toEqual([404, 'CASE_NOT_FOUND']);
      expect(await head()).toBe(before);
    });

    it('is shortened where an answer names an unknown field by it', async () => {
      const before = await head();
      const res = await postAs(t, hr, '/api/v1/opds', { [long]: 1 });
      expect(res.status).toBe(400);
      expect(res.body.details).toContainEqual(
        expect.objectContaining({ field: `${'x'.repeat(60)}…`, code: 'unknownField' }),
      );
      expect(res.text).not.toContain('x'.repeat(65));
      expect(await head()).toBe(before);
    });

    it('is shortened where an answer repeats it (no route, a Content-Type)', async () => {
      const noRoute = await request(t.server)
        .get(`/api/v1/opds/${long}`)
        .set('Authorization', hr.auth);
      expect([noRoute.status, noRoute.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
      expect(noRoute.body.message).toContain(`/api/v1/opds/${'x'.repeat(47)}…`);
      expect(noRoute.text).not.toContain('x'.repeat(61));
      const page = await (
        await webLogin(t, bawaslu.username)
      )
        .get(`/kasus/${long}`)
        .set('Accept', 'text/html');
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('x'.repeat(65));
      const type = await postRaw(t, hr, '/api/v1/opds', { 'Content-Type': `text/${long}` }, '{}');
      expect([type.status, type.body.code]).toEqual([415, 'CONTENT_TYPE_NOT_JSON']);
      expect(type.body.message).toContain(`"text/${'x'.repeat(55)}…"`);
    });
  });

  describe('a compressed upload', () => {
    const boundary = 'netral-uji';
    const multipart = (csv: string) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="opd.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      );
    const csv = 'Kode OPD,Nama OPD,Jenis\n9.60,Dinas Uji Unggah,DINAS\n';
    const form = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
    const compressed: [string, Buffer][] = [
      ['gzip', gzipSync(multipart(csv))],
      ['deflate', deflateSync(multipart(csv))],
      ['br', brotliCompressSync(multipart(csv))],
    ];

    it('is refused on the upload routes with 415 naming Content-Encoding, writing nothing', async () => {
      const before = await head();
      for (const path of [
        '/api/v1/opds/import',
        '/api/v1/asn/import',
        '/api/v1/certificates/verify',
      ]) {
        for (const [encoding, body] of compressed) {
          const res = await postRaw(t, hr, path, { ...form, 'Content-Encoding': encoding }, body);
          expect([path, res.status, res.body.code]).toEqual([
            path,
            415,
            'CONTENT_ENCODING_NOT_ACCEPTED',
          ]);
          expect(res.body.message).toContain(`Content-Encoding "${encoding}"`);
          expect(res.body.details).toEqual([
            expect.objectContaining({ field: 'Content-Encoding' }),
          ]);
        }
      }
      expect(await head()).toBe(before);
      // Uncompressed, said or not, it is read.
      const plain = await postRaw(
        t,
        hr,
        '/api/v1/opds/import?dryRun=true',
        { ...form, 'Content-Encoding': 'identity' },
        multipart(csv),
      );
      expect([plain.status, plain.body.rows]).toEqual([200, 1]);
    });

    it("is refused on the pages' upload forms too", async () => {
      const before = await head();
      const agent = await webLogin(t, hr.username);
      const token = csrfFrom((await agent.get('/registri/impor').expect(200)).text);
      const res = await agent
        .post(`/registri/impor/opd?_csrf=${encodeURIComponent(token)}`)
        .set('Accept', 'text/html')
        .set({ ...form, 'Content-Encoding': 'gzip' })
        .serialize((b: unknown) => b as string)
        .send(compressed[0][1]);
      expect(res.status).toBe(415);
      expect(res.text).toContain('Content-Encoding');
      expect(await head()).toBe(before);
    });
  });
});
