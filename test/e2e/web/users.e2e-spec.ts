import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  login,
  seedLedger,
  streamEvents,
  TEST_PASSWORD,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

describe('user pages (administrator): accounts, roles, passwords, deactivation', () => {
  let t: TestApp;
  let adminUser: TestUser;
  let admin: TestAgent;

  const head = () => t.app.get(EventStore).headPosition();
  /** Posts a form of `path` with the CSRF token of the page it is on. */
  const submit = async (page: string, action: string, fields: object) => {
    const current = await admin.get(page).expect(200);
    return admin
      .post(action)
      .redirects(0)
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(current.text) });
  };
  const create = (fields: object) => submit('/pengguna', '/pengguna', fields);
  const form = (userId: string, name: string, fields: object) =>
    submit(`/pengguna/${userId}`, `/pengguna/${userId}/${name}`, fields);
  const canLogIn = async (username: string, password: string) =>
    (await request(t.server).post('/api/v1/auth/login').send({ username, password })).status ===
    200;

  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    await seedLedger(t, { admin: adminUser, hr });
    admin = await webLogin(t, adminUser.username);
  });
  afterAll(() => t.close());

  it('lists every account with its role and OPD, linked from the menu', async () => {
    const page = await admin.get('/pengguna').expect(200);
    expect(page.text).toContain('<a href="/pengguna">Pengguna</a>');
    expect(page.text).toContain(`href="/pengguna/${adminUser.userId}"`);
    expect(page.text).toContain('BKPSDM');
    expect(page.text).toContain('<option value="dinas-kesehatan">');
  });

  it('creates an OPD head bound to their OPD, who can then sign in', async () => {
    const res = await create({
      username: 'kadis.uji',
      displayName: 'Kepala Dinas Uji',
      password: 'kata-sandi-kadis-1',
      role: 'OPD_HEAD',
      opdId: 'dinas-kesehatan',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/pengguna');
    const list = await admin.get('/pengguna').expect(200);
    expect(list.text).toContain('Pengguna kadis.uji dibuat.');
    expect(list.text).toContain('href="/pengguna/kadis.uji"');
    expect(list.text).toContain('ia harus menggantinya saat pertama masuk');
    expect(list.text).toContain('<span class="badge">kata sandi sementara</span>');
    expect(await canLogIn('kadis.uji', 'kata-sandi-kadis-1')).toBe(true);
    // The password was the administrator's choice: signed in, they are sent to their account page, which
    // says why, and nothing else opens until they have chosen their own.
    const kadis = request.agent(t.server);
    const firstLogin = await kadis.get('/login?next=/opd').expect(200);
    const first = await kadis
      .post('/login')
      .type('form')
      .redirects(0)
      .send({
        username: 'kadis.uji',
        password: 'kata-sandi-kadis-1',
        next: '/opd',
        _csrf: csrfFrom(firstLogin.text),
      });
    expect([first.status, first.headers.location]).toEqual([303, '/akun']);
    const account = await kadis.get('/akun').expect(200);
    expect(account.text).toContain('hanya sementara');
    expect(account.text).not.toContain('aria-label="Menu utama"');
    // Signed in, the header and the account page name their OPD, not its id.
    expect(account.text).toContain('<span class="muted">dinas kesehatan</span>');
    expect(account.text).toContain('<dt>OPD</dt><dd>dinas kesehatan</dd>');
    const elsewhere = await kadis.get('/opd').set('Accept', 'text/html').redirects(0);
    expect([elsewhere.status, elsewhere.headers.location]).toEqual([303, '/akun']);
    const changed = await kadis
      .post('/akun/sandi')
      .type('form')
      .redirects(0)
      .send({
        currentPassword: 'kata-sandi-kadis-1',
        password: 'sandi-pilihan-kadis-1',
        confirm: 'sandi-pilihan-kadis-1',
        _csrf: csrfFrom(account.text),
      });
    expect([changed.status, changed.headers.location]).toEqual([303, '/login']);
    const own = await webLogin(t, 'kadis.uji', 'sandi-pilihan-kadis-1');
    const dashboard = await own.get('/opd').expect(200);
    expect(dashboard.text).toContain('aria-label="Menu utama"');
    expect((await own.get('/akun').expect(200)).text).not.toContain('hanya sementara');
    expect((await admin.get('/pengguna/kadis.uji').expect(200)).text).toContain(
      '<dt>Kata sandi</dt><dd>dipilih oleh pengguna</dd>',
    );
    // Sent to sign in on the way to a page their role may not open, they land on their own start page.
    const agent = request.agent(t.server);
    const loginPage = await agent.get('/login?next=/kasus').expect(200);
    const signedIn = await agent
      .post('/login')
      .type('form')
      .redirects(0)
      .send({
        username: 'kadis.uji',
        password: 'sandi-pilihan-kadis-1',
        next: '/kasus',
        _csrf: csrfFrom(loginPage.text),
      });
    expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/opd']);
    // A page they may open is where they go; the login page, once signed in, sends them on the same way.
    expect((await agent.get('/login?next=/akun').redirects(0)).headers.location).toBe('/akun');
    expect((await agent.get('/login?next=/pengguna').redirects(0)).headers.location).toBe('/opd');
    // Opened anyway, the refusal names the role in words.
    const refused = await agent.get('/kasus').expect(403);
    expect(refused.text).toContain('Peran Kepala OPD tidak berwenang');
    expect(refused.text).not.toContain('OPD_HEAD');
    const [registered] = await streamEvents(t, 'user-kadis.uji');
    expect(registered).toMatchObject({
      type: 'UserRegistered',
      data: { role: 'OPD_HEAD', opdId: 'dinas-kesehatan' },
      metadata: { actorId: adminUser.userId, actorRole: 'ADMIN' },
    });
    expect(JSON.stringify([registered.data, registered.metadata])).not.toContain(
      'kata-sandi-kadis-1',
    );
  });

  it('says what to fix next to each field, keeps what was typed but the password, writes nothing', async () => {
    const before = await head();
    const bad = await create({
      username: 'X',
      displayName: 'Nama Tetap',
      password: 'pendek',
      role: '',
      opdId: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#username"');
    expect(bad.text).toContain('id="password-error"');
    expect(bad.text).toContain('minimal 10 karakter');
    expect(bad.text).toContain('id="role-error"');
    expect(bad.text).toContain('value="Nama Tetap"');
    expect(bad.text).not.toContain('pendek');
    // The rules: an OPD head needs an OPD; a password equal to the username; a name already taken.
    const noOpd = await create({
      username: 'kadis.lain',
      displayName: 'Kepala Lain',
      password: 'kata-sandi-kadis-2',
      role: 'OPD_HEAD',
    });
    expect(noOpd.status).toBe(400);
    expect(noOpd.text).toContain('id="opdId-error"');
    // Roles in words, as the page shows them, never their codes.
    expect(noOpd.text).toContain('<a href="#opdId">OPD: wajib diisi untuk peran Kepala OPD</a>');
    const words = (html: string) => html.replace(/<[^>]*>/g, ' ');
    expect(words(noOpd.text)).not.toMatch(/OPD_HEAD/);
    const boundBawaslu = await create({
      username: 'bawaslu.lain',
      displayName: 'Pengawas Lain',
      password: 'kata-sandi-bawaslu-2',
      role: 'BAWASLU',
      opdId: 'dinas-kesehatan',
    });
    expect(boundBawaslu.status).toBe(400);
    expect(boundBawaslu.text).toContain('Peran Bawaslu tidak terikat pada satu OPD.');
    expect(boundBawaslu.text).toContain('OPD: hanya untuk peran Kepala OPD');
    expect(words(boundBawaslu.text)).not.toMatch(/BAWASLU|OPD_HEAD/);
    const taken = await create({
      username: 'kadis.uji',
      displayName: 'Lagi',
      password: 'kata-sandi-kadis-3',
      role: 'HR',
    });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('kadis.uji');
    expect(await head()).toBe(before);
  });

  it('changes a role, resets a forgotten password and deactivates, each recorded', async () => {
    const page = await admin.get('/pengguna/kadis.uji').expect(200);
    expect(page.text).toContain('Ubah peran');
    expect(page.text).toContain('href="/audit?stream=user-kadis.uji"');

    // An OPD head cannot keep an OPD as BKPSDM: the rule says so next to the OPD field.
    const keptOpd = await form('kadis.uji', 'peran', { role: 'HR', opdId: 'dinas-kesehatan' });
    expect(keptOpd.status).toBe(400);
    expect(keptOpd.text).toContain('href="#peran-opdId"');
    expect(keptOpd.text).toContain('Peran BKPSDM tidak terikat pada satu OPD.');
    const role = await form('kadis.uji', 'peran', { role: 'OPD_HEAD', opdId: 'dinas-pendidikan' });
    expect(role.status).toBe(303);
    expect((await streamEvents(t, 'user-kadis.uji')).at(-1)).toMatchObject({
      type: 'UserRoleChanged',
      data: { role: 'OPD_HEAD', opdId: 'dinas-pendidikan' },
    });

    const token = await login(t, 'kadis.uji', 'sandi-pilihan-kadis-1');
    const short = await form('kadis.uji', 'sandi', { password: 'pendek' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('id="sandi-password-error"');
    const reset = await form('kadis.uji', 'sandi', { password: 'kata-sandi-baru-99' });
    expect(reset.status).toBe(303);
    const afterReset = (await admin.get('/pengguna/kadis.uji').expect(200)).text;
    expect(afterReset).toContain('Kata sandi kadis.uji diganti');
    expect(afterReset).toContain('ia harus menggantinya saat masuk');
    expect(await canLogIn('kadis.uji', 'sandi-pilihan-kadis-1')).toBe(false);
    expect(await canLogIn('kadis.uji', 'kata-sandi-baru-99')).toBe(true);
    // The session opened with the old password has ended.
    await request(t.server)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);

    const noReason = await form('kadis.uji', 'nonaktif', { reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('href="#nonaktif-reason"');
    const off = await form('kadis.uji', 'nonaktif', { reason: 'Pindah tugas ke Gianyar' });
    expect(off.status).toBe(303);
    expect(await canLogIn('kadis.uji', 'kata-sandi-baru-99')).toBe(false);
    const after = await admin.get('/pengguna/kadis.uji').expect(200);
    expect(after.text).toContain('nonaktif');
    expect(after.text).not.toContain('Ubah peran');
  });

  it('offers no deactivation of oneself and refuses an unknown user or form', async () => {
    const own = await admin.get(`/pengguna/${adminUser.userId}`).expect(200);
    expect(own.text).toContain('Ubah peran');
    expect(own.text).not.toContain('Nonaktifkan</button>');
    // Nor as a post: the rule refuses it (the page says why).
    const self = await form(adminUser.userId, 'nonaktif', { reason: 'uji' });
    expect(self.status).toBe(409);
    await admin.get('/pengguna/tidak.ada').expect(404);
    const page = await admin.get('/pengguna').expect(200);
    await admin
      .post(`/pengguna/${adminUser.userId}/hapus`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(404);
  });

  it('the API resets a password too (ADMIN), with the same policy', async () => {
    const hr = await createUser(t, 'HR');
    const weak = await request(t.server)
      .post(`/api/v1/users/${hr.userId}/password`)
      .set('Authorization', adminUser.auth)
      .send({ password: hr.username });
    expect(weak.status).toBe(400);
    const ok = await request(t.server)
      .post(`/api/v1/users/${hr.userId}/password`)
      .set('Authorization', adminUser.auth)
      .send({ password: 'sandi-api-baru-2024' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ userId: hr.userId });
    expect(await canLogIn(hr.username, TEST_PASSWORD)).toBe(false);
    const signedIn = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: hr.username, password: 'sandi-api-baru-2024' })
      .expect(200);
    // Another's choice: temporary until they choose their own.
    expect(signedIn.body.user).toMatchObject({ id: hr.userId, passwordChangeRequired: true });
    const unknown = await request(t.server)
      .post('/api/v1/users/tidak.ada/password')
      .set('Authorization', adminUser.auth)
      .send({ password: 'sandi-api-baru-2024' });
    expect(unknown.status).toBe(404);
  });

  describe('one’s own account', () => {
    const change = async (agent: TestAgent, fields: object) => {
      const page = await agent.get('/akun').expect(200);
      return agent
        .post('/akun/sandi')
        .redirects(0)
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(page.text) });
    };

    it('is linked from the name in the header and shows who one is', async () => {
      const bawaslu = await createUser(t, 'BAWASLU');
      const agent = await webLogin(t, bawaslu.username);
      const home = await agent.get('/kasus').expect(200);
      expect(home.text).toContain('<a href="/akun" title="Akun saya">');
      const page = await agent.get('/akun').expect(200);
      expect(page.text).toContain(bawaslu.username);
      expect(page.text).toContain('Ganti kata sandi');
    });

    it('changes the password after the current one, ending every session of the account', async () => {
      const hr = await createUser(t, 'HR');
      const agent = await webLogin(t, hr.username);
      const other = await webLogin(t, hr.username);
      const before = await head();
      const mismatch = await change(agent, {
        currentPassword: TEST_PASSWORD,
        password: 'sandi-baru-saya-1',
        confirm: 'sandi-baru-saya-2',
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('id="confirm-error"');
      const short = await change(agent, {
        currentPassword: '',
        password: 'pendek',
        confirm: 'pendek',
      });
      expect(short.status).toBe(400);
      expect(short.text).toContain('href="#currentPassword"');
      expect(short.text).toContain('minimal 10 karakter');
      const wrong = await change(agent, {
        currentPassword: 'bukan-sandinya-99',
        password: 'sandi-baru-saya-1',
        confirm: 'sandi-baru-saya-1',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('Kata sandi saat ini salah');
      expect(wrong.text).not.toContain('bukan-sandinya-99');
      const same = await change(agent, {
        currentPassword: TEST_PASSWORD,
        password: TEST_PASSWORD,
        confirm: TEST_PASSWORD,
      });
      expect(same.status).toBe(400);
      expect(same.text).toContain('id="password-error"');
      expect(await canLogIn(hr.username, TEST_PASSWORD)).toBe(true);

      const done = await change(agent, {
        currentPassword: TEST_PASSWORD,
        password: 'sandi-baru-saya-1',
        confirm: 'sandi-baru-saya-1',
      });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login');
      const loginPage = await agent.get('/login').expect(200);
      expect(loginPage.text).toContain('Kata sandi diganti.');
      expect(await canLogIn(hr.username, TEST_PASSWORD)).toBe(false);
      expect(await canLogIn(hr.username, 'sandi-baru-saya-1')).toBe(true);
      // This browser and the other are both signed out.
      expect((await agent.get('/akun').set('Accept', 'text/html').redirects(0)).status).toBe(303);
      expect((await other.get('/akun').set('Accept', 'text/html').redirects(0)).status).toBe(303);
      // A password is not an event: the ledger did not change.
      expect(await head()).toBe(before);
    });

    it('counts a wrong current password toward the login lockout', async () => {
      const hr = await createUser(t, 'HR');
      const agent = await webLogin(t, hr.username);
      let last = 0;
      for (let i = 0; i < 12 && last !== 429; i++) {
        last = (
          await change(agent, {
            currentPassword: `salah-salah-${i}`,
            password: 'sandi-baru-saya-3',
            confirm: 'sandi-baru-saya-3',
          })
        ).status;
      }
      expect(last).toBe(429);
      expect(await canLogIn(hr.username, TEST_PASSWORD)).toBe(false);
    });
  });
});
