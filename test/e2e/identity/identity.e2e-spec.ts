import {
  createTestApp,
  createUser,
  csrfFrom,
  TEST_PASSWORD,
  type TestApp,
  tempDir,
  type TestUser,
  webLogin,
} from '@netral/testing';
import type { DomainError } from '@netral/domain';
import { EventStore as EventStoreToken } from '@netral/event-store';
import { sign } from 'jsonwebtoken';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import type { ActorContext } from '../../../apps/ledger/src/identity/actor';
import { AuthService } from '../../../apps/ledger/src/identity/auth.service';
import { systemActor, UserCommands } from '../../../apps/ledger/src/identity/user.commands';
import { OpdCommands } from '../../../apps/ledger/src/registry/registry.commands';

const SECRET = 'rahasia-uji-yang-panjangnya-lebih-dari-32-karakter';

describe('identity', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      NETRAL_JWT_SECRET: SECRET,
      NETRAL_BOOTSTRAP_ADMIN_PASSWORD: 'admin-awal-2024',
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const api = () => request(t.server);
  const me = (bearer: string) =>
    api().get('/api/v1/auth/me').set('Authorization', `Bearer ${bearer}`);
  /** Runs `work` with the service's clock (Date.now) `ahead(offsetMs)` of the real one. */
  const withClock = async (work: (ahead: (offsetMs: number) => void) => Promise<void>) => {
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, 'now');
    try {
      await work((offsetMs) => clock.mockImplementation(() => realNow() + offsetMs));
    } finally {
      clock.mockRestore();
    }
  };

  it('creates the bootstrap admin, whose creation is an audited event', async () => {
    const res = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: 'admin-awal-2024' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      user: {
        id: 'admin',
        username: 'admin',
        displayName: expect.any(String),
        role: 'ADMIN',
        opdId: null,
        passwordChangeRequired: false,
      },
    });
    expect((await me(res.body.accessToken)).body).toMatchObject({
      username: 'admin',
      role: 'ADMIN',
    });
  });

  it('lets an admin create an OPD head bound to one OPD, recorded with who did it', async () => {
    const admin = await createUser(t, 'ADMIN');
    // The OPD first: a head account needs its OPD registered.
    await t.app
      .get(OpdCommands)
      .register(
        { opdId: 'dinas-pupr', code: '1.03.01', name: 'Dinas PUPR', kind: 'DINAS' },
        systemActor(),
      );
    const res = await api()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .set('X-Correlation-Id', 'korelasi-uji-0001')
      .send({
        username: 'kadis.pupr',
        displayName: 'I Wayan Sudiarta',
        password: 'sandi-kadis-pupr-1',
        role: 'OPD_HEAD',
        opdId: 'dinas-pupr',
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 'kadis.pupr', position: expect.stringMatching(/^\d+$/) });
    const store = t.app.get(EventStoreToken);
    const events = [];
    for await (const e of store.readStream('user-kadis.pupr')) {
      events.push(e);
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'UserRegistered',
      data: { userId: 'kadis.pupr', role: 'OPD_HEAD', opdId: 'dinas-pupr' },
      metadata: { actorId: admin.userId, actorRole: 'ADMIN', correlationId: 'korelasi-uji-0001' },
    });
    // The password is nowhere in the event.
    expect(JSON.stringify({ data: events[0].data, metadata: events[0].metadata })).not.toContain(
      'sandi-kadis-pupr-1',
    );
    const login = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'kadis.pupr', password: 'sandi-kadis-pupr-1' });
    expect(login.body.user).toMatchObject({ role: 'OPD_HEAD', opdId: 'dinas-pupr' });
  });

  it.each([
    [{ password: 'pendek' }, 'password'],
    [{ password: 'kadis.baru' }, 'password'],
    [{ username: 'Kadis Baru' }, 'username'],
    [{ role: 'RAJA' }, 'role'],
    [{ role: 'OPD_HEAD', opdId: undefined }, 'opdId'],
    [{ role: 'HR', opdId: 'dinas-pupr' }, 'opdId'],
    [{ extra: 1 }, 'extra'],
  ])('refuses a bad new user %j naming the field, and writes nothing', async (change, field) => {
    const admin = await createUser(t, 'ADMIN');
    const before = await t.app.get(EventStoreToken).headPosition();
    const res = await api()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send({
        username: 'kadis.baru',
        displayName: 'Kadis Baru',
        password: 'sandi-yang-cukup-panjang',
        role: 'OPD_HEAD',
        opdId: 'dinas-baru',
        ...change,
      });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await t.app.get(EventStoreToken).headPosition()).toBe(before);
  });

  it('keeps a password an administrator chose temporary: only the account answers until the user picks their own', async () => {
    const admin = await createUser(t, 'ADMIN');
    const first = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'kadis.pupr', password: 'sandi-kadis-pupr-1' })
      .expect(200);
    expect(first.body.user).toMatchObject({ id: 'kadis.pupr', passwordChangeRequired: true });
    const bearer = `Bearer ${first.body.accessToken}`;
    expect((await me(first.body.accessToken)).body).toMatchObject({
      username: 'kadis.pupr',
      passwordChangeRequired: true,
    });
    const listed = await api().get('/api/v1/users').set('Authorization', admin.auth).expect(200);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: 'kadis.pupr', passwordChangeRequired: true }),
    );
    // Every other route is refused before it runs, a write too (nothing written).
    const before = await t.app.get(EventStoreToken).headPosition();
    for (const refused of [
      await api().get('/api/v1/cases').set('Authorization', bearer),
      await api().post('/api/v1/pledges').set('Authorization', bearer).send({}),
    ]) {
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'PASSWORD_CHANGE_REQUIRED',
        message: expect.stringContaining('POST /api/v1/auth/password'),
      });
    }
    expect(await t.app.get(EventStoreToken).headPosition()).toBe(before);

    const change = (body: object) =>
      api().post('/api/v1/auth/password').set('Authorization', bearer).send(body);
    const missing = await change({ password: 'sandi-pilihan-pupr-1' });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([
      expect.objectContaining({ field: 'currentPassword', reason: 'wajib diisi' }),
    ]);
    /** A refusal as [status, code, the field it names]; it never echoes a password. */
    const refusal = async (body: { currentPassword: string; password: string }) => {
      const res = await change(body);
      expect(JSON.stringify(res.body)).not.toContain(body.currentPassword);
      return [res.status, res.body.code, res.body.details?.[0]?.field];
    };
    expect(
      await refusal({ currentPassword: 'bukan-sandinya-1', password: 'sandi-pilihan-pupr-1' }),
    ).toEqual([400, 'CURRENT_PASSWORD_WRONG', 'currentPassword']);
    expect(
      await refusal({ currentPassword: 'sandi-kadis-pupr-1', password: 'sandi-kadis-pupr-1' }),
    ).toEqual([400, 'PASSWORD_UNCHANGED', 'password']);
    expect(
      await refusal({ currentPassword: 'sandi-kadis-pupr-1', password: 'kadis.pupr' }),
    ).toEqual([400, 'PASSWORD_POLICY', 'password']);
    expect((await me(first.body.accessToken)).body.passwordChangeRequired).toBe(true);

    const done = await change({
      currentPassword: 'sandi-kadis-pupr-1',
      password: 'sandi-pilihan-pupr-1',
    });
    expect([done.status, done.body]).toEqual([200, { userId: 'kadis.pupr' }]);
    // Every token from before ends, this one too; the new password is theirs, and everything opens.
    expect((await me(first.body.accessToken)).status).toBe(401);
    const own = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'kadis.pupr', password: 'sandi-pilihan-pupr-1' })
      .expect(200);
    expect(own.body.user.passwordChangeRequired).toBe(false);
    await api()
      .get('/api/v1/cases')
      .set('Authorization', `Bearer ${own.body.accessToken}`)
      .expect(200);
    // A password is no event: the ledger did not change.
    expect(await t.app.get(EventStoreToken).headPosition()).toBe(before);
  });

  it('answers a taken username with 409', async () => {
    const admin = await createUser(t, 'ADMIN');
    const body = {
      username: 'bawaslu.dua',
      displayName: 'B',
      password: 'sandi-bawaslu-dua',
      role: 'BAWASLU',
    };
    expect(
      (await api().post('/api/v1/users').set('Authorization', admin.auth).send(body)).status,
    ).toBe(201);
    const again = await api().post('/api/v1/users').set('Authorization', admin.auth).send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('USER_ALREADY_EXISTS');
  });

  it('gives the same answer for an unknown user and a wrong password, never echoing the password; each failure is logged with username and address, never the password', async () => {
    await createUser(t, 'HR', { username: 'hr.satu' });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const attempt = (username: string, password: string) =>
      api().post('/api/v1/auth/login').send({ username, password });
    const unknown = await attempt('tidak.ada', 'apa-saja-123');
    const wrong = await attempt('hr.satu', 'salah-sekali-123');
    try {
      for (const username of ['tidak.ada', 'hr.satu']) {
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ username, ip: expect.stringMatching(/127\.0\.0\.1/) }),
          'login failed',
        );
      }
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).not.toContain('apa-saja-123');
      expect(logged).not.toContain('salah-sekali-123');
    } finally {
      warn.mockRestore();
    }
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(wrong.body.code).toBe('LOGIN_FAILED');
    expect(JSON.stringify(wrong.body)).not.toContain('salah-sekali-123');
  });

  it('locks a username out after repeated failures, and a later success is still refused until it ends', async () => {
    await createUser(t, 'HR', { username: 'hr.target' });
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await api()
        .post('/api/v1/auth/login')
        .send({ username: 'hr.target', password: `tebakan-ke-${i}xx` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const right = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'hr.target', password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('LOGIN_LOCKED');
    // How long to wait, for a client as for the person: the header and the message say the same.
    const seconds = Number(right.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(right.body.message).toContain(`Coba lagi dalam ${seconds} detik`);
  });

  it('refuses an expired token and a token signed with another secret', async () => {
    const hr = await createUser(t, 'HR');
    // Each differs from a token the service accepts in one claim only: the control shows the rest is right.
    // Issued after the user's password was set (tokens from before a password change are refused).
    const iat = Date.now() / 1000 + 0.01;
    const token = (claims: { exp: number }, secret = SECRET) =>
      sign({ sub: hr.userId, role: 'HR', typ: 'access', iss: 'netral', iat, ...claims }, secret);
    const control = token({ exp: iat + 600 });
    const expiring = token({ exp: iat + 2 });
    const forged = token({ exp: iat + 600 }, 'x'.repeat(40));
    await withClock(async (ahead) => {
      ahead(10_000);
      expect((await me(control)).status).toBe(200);
      for (const bearer of [expiring, forged, 'bukan.token.jwt']) {
        const res = await me(bearer);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  it('ends an issued token when its lifetime is over, also once it has been used', async () => {
    const hr = await createUser(t, 'HR');
    const login = async () =>
      (
        await api()
          .post('/api/v1/auth/login')
          .send({ username: hr.username, password: TEST_PASSWORD })
          .expect(200)
      ).body as { accessToken: string; expiresIn: number };
    const used = await login();
    const unused = await login();
    expect((await me(used.accessToken)).status).toBe(200); // its signature is now remembered
    await withClock(async (ahead) => {
      ahead((used.expiresIn - 5) * 1000);
      expect((await me(used.accessToken)).status).toBe(200);
      ahead((used.expiresIn + 1) * 1000);
      for (const bearer of [used.accessToken, unused.accessToken]) {
        const res = await me(bearer);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  it('stops a deactivated user at once, and applies a role change at once', async () => {
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    const change = await api()
      .post(`/api/v1/users/${hr.userId}/role`)
      .set('Authorization', admin.auth)
      .send({ role: 'BAWASLU' });
    expect(change.status).toBe(200);
    expect((await api().get('/api/v1/auth/me').set('Authorization', hr.auth)).body.role).toBe(
      'BAWASLU',
    );
    const off = await api()
      .post(`/api/v1/users/${hr.userId}/deactivation`)
      .set('Authorization', admin.auth)
      .send({ reason: 'Mutasi ke provinsi' });
    expect(off.status).toBe(200);
    expect((await api().get('/api/v1/auth/me').set('Authorization', hr.auth)).status).toBe(401);
    const relogin = await api()
      .post('/api/v1/auth/login')
      .send({ username: hr.username, password: TEST_PASSWORD });
    expect(relogin.status).toBe(401);
    const again = await api()
      .post(`/api/v1/users/${hr.userId}/deactivation`)
      .set('Authorization', admin.auth)
      .send({ reason: 'lagi' });
    expect(again.status).toBe(409);
  });

  it('accepts each token only where it was issued: an API token is no session, a session no API token', async () => {
    const user = await createUser(t, 'HR');
    // An API token pasted into the session cookie neither opens a page nor becomes a renewable session.
    const page = await api().get('/').set('Cookie', `netral_session=${user.token}`).redirects(0);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login');
    expect(String(page.headers['set-cookie'] ?? '')).not.toMatch(/netral_session=ey/);
    // A session cookie's token is no bearer token.
    const agent = await webLogin(t, user.username);
    const home = await agent.get('/').redirects(1);
    const session = /netral_session=([^;]+)/.exec(String(home.request.getHeader('cookie')))![1];
    const asBearer = await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${session}`);
    expect(asBearer.status).toBe(401);
    // Routes have one spelling: `/API/` is not the API, so the cookie cannot reach it that way either.
    expect((await agent.get('/API/v1/auth/me')).status).toBe(404);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends every token and session issued before a password change', async () => {
    const user = await createUser(t, 'HR');
    const agent = await webLogin(t, user.username);
    expect((await agent.get('/').redirects(0)).headers.location).toBe('/kepatuhan');
    await t.app.get(UserCommands).setPassword(user.userId, 'sandi-baru-yang-panjang');
    expect((await api().get('/api/v1/auth/me').set('Authorization', user.auth)).status).toBe(401);
    expect((await agent.get('/').redirects(0)).headers.location).toBe('/login');
    const fresh = await api()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'sandi-baru-yang-panjang' });
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.accessToken)).status).toBe(200);
  });

  it('keeps credentials and request fingerprints private: owner-only files, keyed hashes', async () => {
    const admin = await createUser(t, 'ADMIN');
    const body = {
      username: 'hr.sidik',
      displayName: 'Sidik Jari',
      password: 'sandi-sidik-jari-1',
      role: 'HR',
    };
    const res = await api()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .set('Idempotency-Key', 'sidik-jari-1')
      .send(body);
    expect(res.status).toBe(201);
    for (const file of ['identity.sqlite', 'idempotency.sqlite']) {
      expect(statSync(join(t.dataDir, file)).mode & 0o077).toBe(0);
    }
    const db = new Database(join(t.dataDir, 'idempotency.sqlite'), { readonly: true });
    const stored = db
      .prepare("SELECT request_hash FROM idempotent_requests WHERE key = 'sidik-jari-1'")
      .pluck()
      .get();
    db.close();
    // Not a plain SHA-256 of what was sent: the file is no offline test for a guessed password.
    const plain = createHash('sha256')
      .update(`POST /api/v1/users\n${canonicalize(body)}`)
      .digest('hex');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toBe(plain);
  });

  describe('web pages', () => {
    it('shows the login page in Bahasa Indonesia with a CSRF token', async () => {
      const res = await api().get('/login');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Masuk ke Netral');
      expect(res.text).toContain('lang="id"');
      expect(csrfFrom(res.text)).toMatch(/.{20,}/);
    });

    it("refuses a signed-in form without its own session's CSRF token (missing, another browser's, forged; in the body or the query), writing nothing", async () => {
      const a = await webLogin(t, (await createUser(t, 'ADMIN')).username);
      const b = await webLogin(t, (await createUser(t, 'ADMIN')).username);
      const theirs = csrfFrom((await b.get('/pengguna').expect(200)).text);
      const form = {
        username: 'baru.csrf',
        displayName: 'Pengguna Baru',
        password: 'sandi-pengguna-baru-1',
        role: 'BAWASLU',
      };
      const before = await t.app.get(EventStoreToken).headPosition();
      for (const attempt of [
        () => a.post('/pengguna').type('form').send(form),
        () =>
          a
            .post('/pengguna')
            .type('form')
            .send({ ...form, _csrf: theirs }),
        () =>
          a
            .post(`/pengguna?_csrf=${encodeURIComponent(theirs)}`)
            .type('form')
            .send(form),
        () =>
          a
            .post('/pengguna')
            .type('form')
            .send({ ...form, _csrf: 'x'.repeat(64) }),
        // A multipart form carries its token in the query (its body is parsed after the check).
        () =>
          a
            .post(`/registri/impor/opd?_csrf=${encodeURIComponent(theirs)}`)
            .attach('file', Buffer.from('Kode OPD,Nama OPD\n'), 'opd.csv'),
      ]) {
        const res = await attempt();
        expect(res.status).toBe(403);
        expect(res.text).toContain('Formulir kedaluwarsa atau tidak sah');
      }
      expect(await t.app.get(EventStoreToken).headPosition()).toBe(before);
      // With its own session's token, the same form goes through.
      const own = csrfFrom((await a.get('/pengguna').expect(200)).text);
      await a
        .post('/pengguna')
        .type('form')
        .send({ ...form, _csrf: own })
        .expect(303);
    });

    it('rejects a form post without a CSRF token', async () => {
      const res = await api()
        .post('/login')
        .type('form')
        .send({ username: 'admin', password: 'admin-awal-2024' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Formulir kedaluwarsa atau tidak sah');
    });

    it('signs in with an httpOnly, SameSite session cookie and shows the user and role', async () => {
      const user = await createUser(t, 'BAWASLU');
      const agent = request.agent(t.server);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({
          username: user.username,
          password: TEST_PASSWORD,
          _csrf: csrfFrom(page.text),
          next: '/',
        });
      expect(res.status).toBe(303);
      const cookie = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('netral_session='));
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const home = await agent.get('/').redirects(1);
      expect(home.text).toContain(`Pengguna ${user.username}`);
      expect(home.text).toContain('Bawaslu');
    });

    it('re-renders the form with the message and keeps the username on a wrong password', async () => {
      const agent = request.agent(t.server);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: 'siapa.saja', password: 'salah-sekali-99', _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(401);
      expect(res.text).toContain('Nama pengguna atau kata sandi salah.');
      expect(res.text).toContain('value="siapa.saja"');
    });

    it('redirects to the login page when not signed in, and logs out', async () => {
      const anonymous = await api().get('/').redirects(0);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.location).toBe('/login');
      const user = await createUser(t, 'HR');
      const agent = await webLogin(t, user.username);
      const home = await agent.get('/').redirects(1);
      // A copy of the session cookie taken before logout (another tab, a stolen cookie)…
      const session = /netral_session=[^;]+/.exec(String(home.request.getHeader('cookie')))?.[0];
      expect(session).toBeDefined();
      expect((await api().get('/').set('Cookie', session!).redirects(0)).headers.location).toBe(
        '/kepatuhan',
      );
      const out = await agent
        .post('/logout')
        .type('form')
        .send({ _csrf: csrfFrom(home.text) });
      expect(out.status).toBe(303);
      expect((await agent.get('/').redirects(0)).headers.location).toBe('/login');
      // …stops working too: logout ends the session, not only this browser's cookie.
      expect((await api().get('/').set('Cookie', session!).redirects(0)).headers.location).toBe(
        '/login',
      );
    });

    it('sends a form posted after its session ended to the login page, saying nothing was saved', async () => {
      const user = await createUser(t, 'BAWASLU');
      // A browser's cookie jar, by name.
      const jar = new Map<string, string>();
      const keep = (res: request.Response) => {
        for (const cookie of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
          const [pair] = cookie.split(';');
          const name = pair.slice(0, pair.indexOf('='));
          if (/expires=Thu, 01 Jan 1970/i.test(cookie)) {
            jar.delete(name);
          } else {
            jar.set(name, pair);
          }
        }
        return res;
      };
      const cookies = () => [...jar.values()].join('; ');
      const loginPage = keep(await api().get('/login'));
      keep(
        await api()
          .post('/login')
          .set('Cookie', cookies())
          .type('form')
          .send({
            username: user.username,
            password: TEST_PASSWORD,
            _csrf: csrfFrom(loginPage.text),
          })
          .expect(303),
      );
      const form = keep(await api().get('/kasus/baru').set('Cookie', cookies()).expect(200));
      // The browser still holds its own cookies (its id, the CSRF cookie); the session's has expired.
      expect(jar.delete('netral_session')).toBe(true);
      const before = await t.app.get(EventStoreToken).headPosition();
      const res = keep(
        await api()
          .post(`/kasus?_csrf=${encodeURIComponent(csrfFrom(form.text))}`)
          .set('Cookie', cookies())
          .set('Accept', 'text/html')
          .field('nip', '199001012015011001')
          .redirects(0),
      );
      expect(res.status).toBe(303);
      // Not back to the form's action, which carries the CSRF token and is no page to show.
      expect(res.headers.location).toBe('/login');
      const login = await api().get('/login').set('Cookie', cookies());
      expect(login.text).toContain('Sesi Anda berakhir sebelum formulir terkirim');
      expect(await t.app.get(EventStoreToken).headPosition()).toBe(before);
      // A page asked for is still the one shown after signing in.
      const page = await api()
        .get('/kasus?status=REPORTED')
        .set('Cookie', cookies())
        .set('Accept', 'text/html')
        .redirects(0);
      expect(page.headers.location).toBe('/login?next=%2Fkasus%3Fstatus%3DREPORTED');
    });

    it('never redirects off-site after login', async () => {
      const user = await createUser(t, 'HR');
      const agent = request.agent(t.server);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({
          username: user.username,
          password: TEST_PASSWORD,
          _csrf: csrfFrom(page.text),
          next: '//evil.example/',
        });
      expect(res.headers.location).toBe('/');
    });
  });
});

describe('rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      NETRAL_RATE_LIMIT_PER_MINUTE: '10',
      NETRAL_LOGIN_RATE_LIMIT_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After past the per-address limit, counting every route together', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      const res = await request(t.server).get('/api/v1/audit/public-key');
      statuses.push(res.status);
      if (i === 0) {
        expect(res.headers['x-ratelimit-limit']).toBe('10');
        expect(res.headers['x-ratelimit-remaining']).toBe('9');
      }
      if (i === 10) {
        expect(res.headers['retry-after']).toBe('60');
        expect(res.body).toMatchObject({
          statusCode: 429,
          error: 'Too Many Requests',
          code: 'RATE_LIMITED',
          message:
            'Terlalu banyak permintaan dari alamat ini dalam semenit terakhir. Tunggu 60 detik lalu coba lagi.',
        });
      }
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    // Another route is no way around it.
    expect((await request(t.server).get('/api/v1/audit/checkpoints')).status).toBe(429);
    // A person at a browser reads how long to wait, not the name of a header.
    const page = await request(t.server).get('/login').set('accept', 'text/html');
    expect(page.status).toBe(429);
    expect(page.text).toContain('<h1>Terlalu banyak permintaan</h1>');
    expect(page.text).toMatch(/Tunggu (59|60) detik lalu coba lagi\./);
    expect(page.text).not.toContain('Retry-After');
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NETRAL_LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('limits password attempts per address across usernames and login routes (no spraying)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const statuses = [];
    for (const [i, path] of [
      '/api/v1/auth/login',
      '/api/v1/auth/LOGIN',
      '/api/v1/auth/login',
    ].entries()) {
      const res = await request(t.server)
        .post(path)
        .send({ username: `penebak-${i}`, password: 'tebakan-panjang-1' });
      statuses.push(res.status);
    }
    // Routes have one spelling: the upper-case path is no login route, and no way past the limit.
    expect(statuses).toEqual([401, 404, 401]);
    const third = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'penebak-3', password: 'tebakan-panjang-1' });
    expect(third.status).toBe(401);
    // The login page is the same door: the address has used its attempts.
    const agent = request.agent(t.server);
    const page = await agent.get('/login');
    const web = await agent
      .post('/login')
      .type('form')
      .send({ username: 'penebak-4', password: 'tebakan-panjang-1', _csrf: csrfFrom(page.text) });
    expect(web.status).toBe(429);
    // Refused like any other failed login, it is logged: who and from where, never the password.
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ username: 'penebak-4', ip: expect.stringMatching(/127\.0\.0\.1/) }),
      'login refused: rate limited',
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain('tebakan-panjang-1');
    warn.mockRestore();
  });
});

describe('login page limits and lock-outs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const postLogin = async (username: string, password: string) => {
    const agent = request.agent(t.server);
    const page = await agent.get('/login');
    return agent
      .post('/login')
      .type('form')
      .send({ username, password, _csrf: csrfFrom(page.text) });
  };

  it('caps the inputs at the API limits and refuses longer ones with the field and a Bahasa Indonesia message', async () => {
    const page = await request(t.server).get('/login');
    expect(page.text).toMatch(/<input id="username"[^>]* maxlength="64"/);
    expect(page.text).toMatch(/<input id="password"[^>]* maxlength="200"/);

    const longName = await postLogin('a'.repeat(65), 'apa-saja-123');
    expect(longName.status).toBe(400);
    expect(longName.text).toContain(
      '<a href="#username">Nama pengguna: paling banyak 64 karakter</a>',
    );
    expect(longName.text).toContain('id="username-error"');

    const longPassword = await postLogin('siapa.saja', 'x'.repeat(201));
    expect(longPassword.status).toBe(400);
    expect(longPassword.text).toContain(
      '<a href="#password">Kata sandi: paling banyak 200 karakter</a>',
    );
    expect(longPassword.text).not.toContain('x'.repeat(201));

    // A body far past any limit is still an answer about the form, not a 500.
    const huge = await postLogin('b'.repeat(100_000), 'y'.repeat(1_000_000));
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('Nama pengguna: paling banyak 64 karakter');
    expect(huge.text).toContain('Kata sandi: paling banyak 200 karakter');

    // At the limits exactly it is an ordinary login attempt.
    const atLimits = await postLogin('c'.repeat(64), 'z'.repeat(200));
    expect(atLimits.status).toBe(401);
    expect(atLimits.text).toContain('Nama pengguna atau kata sandi salah.');
    // The API refuses the same lengths.
    const api = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'a'.repeat(65), password: 'x'.repeat(201) });
    expect(api.status).toBe(400);
    expect(api.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('logs a login refused because the account is locked out, with username and address, never the password', async () => {
    await createUser(t, 'HR', { username: 'hr.dikunci' });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await postLogin('hr.dikunci', `tebakan-salah-${i}`)).status);
    }
    const locked = await postLogin('hr.dikunci', TEST_PASSWORD);
    expect([...statuses, locked.status]).toEqual([401, 401, 401, 401, 401, 429]);
    expect(locked.text).toContain('Terlalu banyak percobaan masuk yang gagal.');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        username: 'hr.dikunci',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        retryAfterSeconds: expect.any(Number),
      }),
      'login refused: locked after repeated failures',
    );
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).not.toContain(TEST_PASSWORD);
    expect(logged).not.toContain('tebakan-salah');
  });
});

describe('administrators', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('always keeps one active administrator, and keeps system names for the system', async () => {
    const first = await createUser(t, 'ADMIN');
    const selfDemotion = await request(t.server)
      .post(`/api/v1/users/${first.userId}/role`)
      .set('Authorization', first.auth)
      .send({ role: 'HR' });
    expect(selfDemotion.status).toBe(409);
    expect(selfDemotion.body.code).toBe('LAST_ADMIN');
    const second = await createUser(t, 'ADMIN');
    await request(t.server)
      .post(`/api/v1/users/${first.userId}/deactivation`)
      .set('Authorization', second.auth)
      .send({ reason: 'Pensiun' })
      .expect(200);
    const lastOne = await request(t.server)
      .post(`/api/v1/users/${second.userId}/role`)
      .set('Authorization', second.auth)
      .send({ role: 'BAWASLU' });
    expect(lastOne.body.code).toBe('LAST_ADMIN');
    const reserved = await request(t.server)
      .post('/api/v1/users')
      .set('Authorization', second.auth)
      .send({
        username: 'system',
        displayName: 'Sistem',
        password: 'sandi-yang-panjang',
        role: 'HR',
      });
    expect(reserved.status).toBe(400);
    expect(reserved.body.details[0]).toMatchObject({
      field: 'username',
      code: 'USERNAME_RESERVED',
    });
  });

  it.each(['deactivation', 'role'] as const)(
    'keeps one administrator when two remove each other at the same moment (%s)',
    async (change) => {
      // Both signed in and past the guards before either change is written: two streams, which no
      // revision check relates, so the second may only count the administrators after the first is in.
      const fresh = await createTestApp();
      try {
        const [a, b] = [await createUser(fresh, 'ADMIN'), await createUser(fresh, 'ADMIN')];
        const auth = fresh.app.get(AuthService);
        const actor = async (user: TestUser) =>
          (await auth.actorFor(user.token, `uji-${user.userId}`, 'access'))!;
        const [actorA, actorB] = [await actor(a), await actor(b)];
        const users = fresh.app.get(UserCommands);
        const remove = (by: ActorContext, target: TestUser) =>
          change === 'role'
            ? users.changeRole(target.userId, { role: 'HR' }, by)
            : users.deactivate(target.userId, 'Mutasi', by);
        const outcomes = await Promise.allSettled([remove(actorA, b), remove(actorB, a)]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = outcomes.find((o) => o.status === 'rejected')!;
        expect((refused.reason as DomainError).code).toBe('LAST_ADMIN');
        const winner = outcomes[0].status === 'fulfilled' ? a : b;
        const listed = (
          await request(fresh.server).get('/api/v1/users').set('Authorization', winner.auth)
        ).body.items as { id: string; role: string; active: boolean }[];
        expect(listed.filter((u) => u.role === 'ADMIN' && u.active).map((u) => u.id)).toEqual([
          winner.userId,
        ]);
      } finally {
        await fresh.close();
      }
    },
  );
});

describe('the session secret generated into the data directory', () => {
  it('is created once, owner-only, and kept across a restart: a token issued before it still works', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'jwt-secret');
    try {
      // No NETRAL_JWT_SECRET: the service generates one on first start.
      const first = await createTestApp({ NETRAL_DATA_DIR: dataDir });
      const hr = await createUser(first, 'HR');
      const secret = readFileSync(file, 'utf8');
      await first.close();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);

      const second = await createTestApp({ NETRAL_DATA_DIR: dataDir });
      try {
        const res = await request(second.server)
          .get('/api/v1/auth/me')
          .set('Authorization', hr.auth);
        expect([res.status, res.body.username]).toEqual([200, hr.username]);
        expect(readFileSync(file, 'utf8')).toBe(secret);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the login page under repeated empty submissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('stays open: only password attempts count per username, the page itself per address', async () => {
    const agent = request.agent(t.server);
    const token = csrfFrom((await agent.get('/login')).text);
    const statuses = new Set<number>();
    for (let i = 0; i < 22; i++) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: '', password: '', _csrf: token });
      statuses.add(res.status);
    }
    // The empty submissions ran into the login route's own limit…
    expect(statuses).toContain(429);
    // …but the page to sign in is still there, in Bahasa Indonesia.
    const page = await agent.get('/login').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="_csrf"');
  });
});
