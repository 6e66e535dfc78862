import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  streamEvents,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import type TestAgent from 'supertest/lib/agent';

describe('elections page (administrator)', () => {
  let t: TestApp;
  let adminUser: TestUser;
  let admin: TestAgent;

  const head = () => t.app.get(EventStore).headPosition();
  const schedule = async (fields: object) => {
    const page = await admin.get('/pemilihan').expect(200);
    return admin
      .post('/pemilihan')
      .redirects(0)
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(page.text) });
  };
  const pilkada = {
    electionId: 'pilkada-2029',
    name: 'Pilkada Serentak 2029',
    kind: 'PILKADA',
    regionCode: '',
    votingDay: '2029-11-28',
    monitoringFrom: '2029-09-24',
    monitoringUntil: '2029-12-16',
  };

  beforeAll(async () => {
    t = await createTestApp();
    adminUser = await createUser(t, 'ADMIN');
    admin = await webLogin(t, adminUser.username);
  });
  afterAll(() => t.close());

  it('starts empty, saying what an election is for, and is in the menu', async () => {
    const page = await admin.get('/pemilihan').expect(200);
    expect(page.text).toContain('<a href="/pemilihan">Pemilihan</a>');
    expect(page.text).toContain('Belum ada pemilihan.');
    expect(page.text).toContain('type="date"');
  });

  it('schedules an election written by the API’s command, then lists it', async () => {
    const res = await schedule(pilkada);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/pemilihan\?minPosition=\d+$/);
    const list = await admin.get(res.headers.location).expect(200);
    expect(list.text).toContain('Pemilihan Pilkada Serentak 2029 dijadwalkan.');
    expect(list.text).toContain('href="/kepatuhan?electionId=pilkada-2029"');
    expect(list.text).toContain('24 September 2029 s.d. 16 Desember 2029');
    expect(list.text).toContain('<td>Pilkada</td>');
    const [event] = await streamEvents(t, 'election-pilkada-2029');
    expect(event).toMatchObject({
      type: 'ElectionScheduled',
      data: { electionId: 'pilkada-2029', kind: 'PILKADA', regionCode: '51.06' },
      metadata: { actorId: adminUser.userId, actorRole: 'ADMIN' },
    });
  });

  it('says what to fix next to each field, keeps what was typed, and writes nothing', async () => {
    const before = await head();
    const bad = await schedule({
      ...pilkada,
      electionId: 'Pilkada 2030',
      name: '',
      votingDay: '2030-02-30',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#electionId"');
    expect(bad.text).toContain('id="name-error"');
    expect(bad.text).toContain('id="votingDay-error"');
    expect(bad.text).toContain('value="Pilkada 2030"');
    // The summary names each field by its label, links to it, and follows the form's order.
    const summary = bad.text.slice(bad.text.indexOf('id="ringkasan-kesalahan"'));
    const entries = [...summary.matchAll(/<li><a href="#([^"]+)">([^<]*)<\/a><\/li>/g)].map(
      ([, id, text]) => `${id} ${text}`,
    );
    expect(entries).toEqual([
      expect.stringMatching(/^electionId ID pemilihan: huruf kecil.*mis\. pilkada-2029$/),
      'name Nama: wajib diisi',
      'votingDay Hari pemungutan suara: harus tanggal yang valid (YYYY-MM-DD)',
    ]);
    // An empty required date is missing, not badly written.
    const empty = await schedule({ ...pilkada, monitoringFrom: '', kind: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#kind">Jenis: wajib diisi<');
    expect(empty.text).toContain('href="#monitoringFrom">Awal masa pengawasan: wajib diisi<');
    // The rules: a voting day outside the monitoring period; an id already used.
    const outside = await schedule({
      ...pilkada,
      electionId: 'pilkada-2030',
      votingDay: '2030-01-05',
    });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('class="error-summary"');
    // A rule on the days is told beside the form's other problems, not only once they are fixed.
    const both = await schedule({
      ...pilkada,
      electionId: 'pilkada-2030',
      name: '',
      monitoringFrom: '2029-12-01',
    });
    expect(both.status).toBe(400);
    expect(both.text).toContain('href="#name">Nama: wajib diisi<');
    expect(both.text).toContain(
      'id="monitoringFrom-error">pengawasan harus dimulai paling lambat pada hari pemungutan suara</p>',
    );
    const again = await schedule(pilkada);
    expect(again.status).toBe(409);
    expect(again.text).toContain('pilkada-2029');
    expect(await head()).toBe(before);
  });
});
