import {
  createTestApp,
  createUser,
  post as postAs,
  postRaw,
  streamEvents,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import { EventStore } from '@netral/event-store';
import request from 'supertest';

/** Bodies no form produces but anyone can send: each answered with a 4xx that says what to fix. */
describe('request bodies', () => {
  let t: TestApp;
  let hr: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    hr = await createUser(t, 'HR');
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: string) =>
    request(t.server)
      .post('/api/v1/opds')
      .set('Authorization', hr.auth)
      .set('Content-Type', 'application/json')
      .send(body);

  it.each([
    {
      what: 'more than 2 MB',
      body: JSON.stringify({ name: 'x'.repeat(2_100_000) }),
      status: 413,
      code: 'BODY_TOO_LARGE',
    },
    { what: 'not JSON', body: '{"opdId": "dinas-x",', status: 400, code: 'BODY_INVALID' },
    {
      what: 'nested 2,000 levels deep',
      body: `${'['.repeat(2000)}${']'.repeat(2000)}`,
      status: 400,
      code: 'BODY_TOO_DEEP',
    },
    {
      what: 'nested deep inside a field',
      body: `{"name": ${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`,
      status: 400,
      code: 'BODY_TOO_DEEP',
    },
  ])(
    'answers a body $what with $status $code, in Bahasa Indonesia, writing nothing',
    async ({ body, status, code }) => {
      const before = await t.app.get(EventStore).headPosition();
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(res.body.message).toMatch(/permintaan/);
      expect(await t.app.get(EventStore).headPosition()).toBe(before);
    },
  );

  const head = () => t.app.get(EventStore).headPosition();
  const postJson = (body: object) => postAs(t, hr, '/api/v1/opds', body);
  const opd = (suffix: string, name = `Dinas Uji ${suffix}`) => ({
    opdId: `dinas-uji-${suffix}`,
    code: `9.${suffix}`,
    name,
    kind: 'DINAS',
  });
  const raw = (path: string, headers: Record<string, string>, body: string | Buffer) =>
    postRaw(t, hr, path, headers, body);

  it('a body that does not inflate as its Content-Encoding says, even before signing in', async () => {
    const before = await head();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(t.server)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"username":"x","password":"y"}');
      expect([res.status, res.body.code]).toEqual([400, 'BODY_ENCODING']);
      expect(res.body.message).toContain('Content-Encoding');
    }
    const cut = await raw(
      '/api/v1/opds',
      { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      Buffer.from('1f8b0800000000000003010203', 'hex'),
    );
    expect([cut.status, cut.body.code]).toEqual([400, 'BODY_ENCODING']);
    expect(await head()).toBe(before);
  });

  it('bytes that are not UTF-8 are refused, never stored as replacement characters', async () => {
    const before = await head();
    const body = Buffer.concat([
      Buffer.from('{"opdId":"dinas-uji-11","code":"9.11","kind":"DINAS","name":"Caf'),
      Buffer.from([0xe9]), // Latin-1 "é"
      Buffer.from('"}'),
    ]);
    const res = await raw('/api/v1/opds', { 'Content-Type': 'application/json' }, body);
    expect([res.status, res.body.code]).toEqual([415, 'BODY_ENCODING']);
    expect(res.body.message).toContain('UTF-8');
    expect(await head()).toBe(before);
  });

  it('a body that is not JSON, or JSON that is not an object, is named as such', async () => {
    const before = await head();
    const json = JSON.stringify(opd('12'));
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await raw('/api/v1/opds', { 'Content-Type': type }, json);
      expect([res.status, res.body.code]).toEqual([415, 'CONTENT_TYPE_NOT_JSON']);
      expect(res.body.message).toContain('application/json');
    }
    const form = await raw(
      '/api/v1/opds',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      'opdId=dinas-uji-13&code=9.13&name=Dinas%20Uji&kind=DINAS',
    );
    expect(form.status).toBe(415);
    // A list, and JSON that is no object at all: what is wrong is its kind, not its syntax.
    for (const notObject of [`[${json}]`, 'null', ' "Dinas Uji"', '5', 'true']) {
      const res = await raw('/api/v1/opds', { 'Content-Type': 'application/json' }, notObject);
      expect([res.status, res.body.code]).toEqual([400, 'BODY_NOT_OBJECT']);
    }
    const broken = await raw('/api/v1/opds', { 'Content-Type': 'application/json' }, 'nul');
    expect([broken.status, broken.body.code]).toEqual([400, 'BODY_INVALID']);
    expect(await head()).toBe(before);
  });

  it('text with nothing visible in it is no text; a control character is refused, named', async () => {
    const before = await head();
    for (const name of ['\u0000', '\u200b\u200b', ' \u2060 ']) {
      const res = await postJson(opd('14', name));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'name', reason: 'wajib diisi' }),
      ]);
    }
    const nul = await postJson(opd('15', 'Dinas\u0000Uji'));
    expect(nul.status).toBe(400);
    expect(nul.body.details).toEqual([
      expect.objectContaining({ field: 'name', code: 'controlCharacter' }),
    ]);
    /** A name ending in `escape`, written as JSON escapes (as a client may send them), not as UTF-8. */
    const escaped = (suffix: string, escape: string) =>
      raw(
        '/api/v1/opds',
        { 'Content-Type': 'application/json' },
        JSON.stringify(opd(suffix, 'Dinas Uji ')).replace('Uji ', `Uji ${escape}`),
      );
    // Half an emoji (JSON may escape one alone) is no character: refused, not stored as U+FFFD.
    const half = await escaped('15', '\\ud83d');
    expect(half.status).toBe(400);
    expect(half.body.details).toEqual([
      expect.objectContaining({ field: 'name', code: 'brokenCharacter' }),
    ]);
    // A whole emoji, both halves escaped, is text.
    const emoji = await escaped('17', '\\ud83d\\ude00');
    expect(emoji.status).toBe(201);
    // A text turned around (U+202E) or with a zero-width space inside looks like another: refused, named.
    for (const [name, code] of [
      ['Dinas Uji \u202elive', 'bidiControl'],
      ['Dinas\u2066Uji\u2069', 'bidiControl'],
      ['Dinas\u200bKesehatan', 'zeroWidthCharacter'],
      ['Dinas\ufeffUji', 'zeroWidthCharacter'],
    ]) {
      const res = await postJson(opd('31', name));
      expect([res.status, res.body.details]).toEqual([
        400,
        [expect.objectContaining({ field: 'name', code })],
      ]);
    }
    // Joiners are how emoji and some scripts are written: text.
    const joined = await postJson(opd('32', 'Dinas Uji 👩\u200d💻'));
    expect(joined.status).toBe(201);
    // Line breaks and tabs are text.
    const lines = await postJson(opd('16', 'Dinas\tUji\nBaris'));
    expect(lines.status).toBe(201);
    expect(await head()).not.toBe(before);
  });

  it('refuses a name with no letter in it (a number or punctuation is a slip, not a name), naming the field', async () => {
    const admin = await createUser(t, 'ADMIN');
    const before = await head();
    const hasLetter = async (path: string, body: object, user: TestUser = hr) =>
      (
        (await postAs(t, user, path, body)).body as { details?: { field: string; code?: string }[] }
      ).details
        ?.filter((d) => d.code === 'hasLetter')
        .map((d) => d.field);
    expect(await hasLetter('/api/v1/opds', opd('18', '0'))).toEqual(['name']);
    expect(await hasLetter('/api/v1/opds/dinas-uji-16/renaming', { name: '-1' })).toEqual(['name']);
    expect(
      await hasLetter('/api/v1/asn', {
        nip: '198503122010011002',
        name: '12',
        position: '…',
        employmentType: 'PNS',
        opdId: 'dinas-uji-16',
      }),
    ).toEqual(['name', 'position']);
    expect(
      await hasLetter(
        '/api/v1/elections',
        {
          electionId: 'pilkada-2029',
          name: '2029',
          kind: 'PILKADA',
          votingDay: '2029-11-28',
          monitoringFrom: '2029-09-24',
          monitoringUntil: '2029-12-16',
        },
        admin,
      ),
    ).toEqual(['name']);
    expect(
      await hasLetter(
        '/api/v1/users',
        {
          username: 'tanpa.huruf',
          displayName: '007',
          password: 'rahasia-sekali-2024',
          role: 'HR',
        },
        admin,
      ),
    ).toEqual(['displayName']);
    expect(await head()).toBe(before);
    // Letters of any script, with digits and punctuation beside them, are a name.
    expect((await postJson(opd('19', 'UPT Puskesmas Kintamani I (2024)'))).status).toBe(201);
    expect((await postJson(opd('20', 'ᬤᬶᬦᬲ᭄ ᬓᬾᬲᬾᬳᬢᬦ᭄'))).status).toBe(201);
  });

  it('takes text of spaces only for no text: a required field refuses it, naming the field', async () => {
    const before = await t.app.get(EventStore).headPosition();
    const res = await post(
      JSON.stringify({ opdId: 'dinas-kosong', code: '9.09.10', name: '   ', kind: 'DINAS' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
    expect(await t.app.get(EventStore).headPosition()).toBe(before);
  });

  it('stores text without the spaces around it, as the forms and the import do; a password as typed', async () => {
    const res = await postJson({
      opdId: '  dinas-uji-21 ',
      code: ' 9.21\t',
      name: ' Dinas Uji\u00a0Spasi \n',
      kind: 'DINAS',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ opdId: 'dinas-uji-21' });
    const [registered] = await streamEvents(t, 'opd-dinas-uji-21');
    expect(registered.data).toMatchObject({ code: '9.21', name: 'Dinas Uji\u00a0Spasi' });
    // Inside a password every character counts: the spaces around it are part of it.
    const admin = await createUser(t, 'ADMIN');
    const user = await postAs(t, admin, '/api/v1/users', {
      username: ' petugas.spasi ',
      displayName: ' Petugas Spasi ',
      password: '  sandi dengan spasi  ',
      role: 'HR',
    });
    expect(user.status).toBe(201);
    const signIn = (password: string) =>
      request(t.server).post('/api/v1/auth/login').send({ username: 'petugas.spasi', password });
    expect((await signIn('  sandi dengan spasi  ')).body.user).toMatchObject({
      username: 'petugas.spasi',
      displayName: 'Petugas Spasi',
    });
    expect((await signIn('sandi dengan spasi')).status).toBe(401);
    // A password of spaces only is refused for what it is, not as too short.
    const blank = await postAs(t, admin, '/api/v1/users', {
      username: 'petugas.kosong',
      displayName: 'Petugas Kosong',
      password: ' '.repeat(12),
      role: 'HR',
    });
    expect([blank.status, blank.body.details]).toEqual([
      400,
      [
        {
          field: 'password',
          code: 'PASSWORD_POLICY',
          reason: 'tidak boleh hanya berisi spasi atau karakter yang tidak terlihat',
        },
      ],
    ]);
  });

  it('names a field the route does not have as unknown whatever its value, null included', async () => {
    const bawaslu = await createUser(t, 'BAWASLU');
    const before = await head();
    const res = await postJson({ ...opd('10'), extra: null, other: {} });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'extra', code: 'unknownField', reason: 'kolom tidak dikenal: hapus kolom ini' },
      { field: 'other', code: 'unknownField', reason: 'kolom tidak dikenal: hapus kolom ini' },
    ]);
    // Inside a list of objects too (a case's evidence).
    const report = await postAs(t, bawaslu, '/api/v1/cases', {
      electionId: 'pilkada-2024',
      nip: '198503122010011002',
      source: 'BAWASLU_FINDING',
      actCode: 'N06',
      occurredAt: '2024-09-28',
      summary: 'Membagikan materi kampanye',
      evidence: [{ sha256: 'a'.repeat(64), description: 'Tangkapan layar', extra: null }],
    });
    expect(report.body.details).toEqual([
      expect.objectContaining({ field: 'evidence.0.extra', code: 'unknownField' }),
    ]);
    expect(await head()).toBe(before);
  });

  it('asks who the caller is before what they sent: 401 and 403 come before a body of the wrong kind', async () => {
    const anonymous = await request(t.server)
      .post('/api/v1/users')
      .set('Content-Type', 'application/json')
      .send('[]');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const plain = await request(t.server)
      .post('/api/v1/opds')
      .set('Content-Type', 'text/plain')
      .send('{}');
    expect(plain.status).toBe(401);
    // HR may not take a checkpoint: 403, not "this route takes no body".
    const forbidden = await raw(
      '/api/v1/audit/checkpoints',
      { 'Content-Type': 'application/json' },
      '{"a":1}',
    );
    expect(forbidden.status).toBe(403);
    // Signed in with the right role, the body is judged.
    const wrongKind = await raw('/api/v1/opds', { 'Content-Type': 'application/json' }, '[]');
    expect([wrongKind.status, wrongKind.body.code]).toEqual([400, 'BODY_NOT_OBJECT']);
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const res = await post(
      JSON.stringify({
        opdId: 'dinas-kurung',
        code: '9.09.09',
        name: `Dinas ${'['.repeat(50)}`,
        kind: 'DINAS',
      }),
    );
    expect(res.status).toBe(201);
  });

  it('refuses a body too large before authentication too (the login route)', async () => {
    const res = await request(t.server)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(2_100_000), password: 'y' }));
    expect(res.status).toBe(413);
  });
});
