import { createTestApp, createUser, type TestApp, type TestUser } from '@netral/testing';
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
    ['more than 2 MB', JSON.stringify({ name: 'x'.repeat(2_100_000) }), 413, 'BODY_TOO_LARGE'],
    ['not JSON', '{"opdId": "dinas-x",', 400, 'BODY_INVALID'],
    ['nested 2,000 levels deep', `${'['.repeat(2000)}${']'.repeat(2000)}`, 400, 'BODY_TOO_DEEP'],
    [
      'nested deep inside a field',
      `{"name": ${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`,
      400,
      'BODY_TOO_DEEP',
    ],
  ])(
    'answers a body %s with %i %s, in Bahasa Indonesia, writing nothing',
    async (_, body, status, code) => {
      const before = await t.app.get(EventStore).headPosition();
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(res.body.message).toMatch(/permintaan/);
      expect(await t.app.get(EventStore).headPosition()).toBe(before);
    },
  );

  it('takes text of spaces only for no text: a required field refuses it, naming the field', async () => {
    const before = await t.app.get(EventStore).headPosition();
    const res = await post(
      JSON.stringify({ opdId: 'dinas-kosong', code: '9.09.10', name: '   ', kind: 'DINAS' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
    expect(await t.app.get(EventStore).headPosition()).toBe(before);
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
