import { EventStore } from '@netral/event-store';
import { createTestApp, streamEvents, type TestApp, webLogin } from '@netral/testing';
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { DEMO_LOGINS } from '../../../apps/ledger/src/demo/demo.seeder';

describe('demo regency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ NETRAL_DEMO: 'true' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('seeds Kabupaten Bangli through the command services, with every case state', async () => {
    const counts = new Map<string, number>();
    for await (const e of t.app.get(EventStore).readAll()) {
      counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    }
    expect(counts.get('OpdRegistered')).toBe(33);
    expect(counts.get('AsnEnrolled')).toBe(600);
    expect(counts.get('OpdHeadAppointed')).toBe(33);
    expect(counts.get('PledgeSigned')).toBeGreaterThan(500);
    for (const type of [
      'ViolationReported',
      'CaseVerified',
      'ViolationConfirmed',
      'ViolationDismissed',
      'SanctionImposed',
    ]) {
      expect(counts.get(type)).toBeGreaterThan(0);
    }
  });

  it("keeps every demo case's evidence, so its download link works and matches the recorded hash", async () => {
    const bawaslu = await webLogin(
      t,
      'bawaslu',
      DEMO_LOGINS.find((l) => l.role === 'BAWASLU')!.password,
    );
    let cases = 0;
    for await (const e of t.app.get(EventStore).readAll({
      filter: { eventTypeRegex: '^ViolationReported$' },
    })) {
      if (e.type !== 'ViolationReported') {
        continue;
      }
      const { caseId, evidence } = e.data as { caseId: string; evidence: { sha256: string }[] };
      expect(evidence).toHaveLength(1);
      const file = await bawaslu
        .get(`/kasus/${caseId}/bukti/${evidence[0].sha256}`)
        .buffer(true)
        .expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      const bytes = file.body as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(evidence[0].sha256);
      const note = await PDFDocument.load(bytes, { updateMetadata: false });
      expect([note.getPageCount(), note.getProducer()]).toEqual([1, 'Netral (data demo)']);
      cases += 1;
    }
    expect(cases).toBeGreaterThan(5);
  });

  it('dates its checkpoints when they were really signed, not on the backfilled days', async () => {
    const startedAt = Date.now() - 10 * 60_000;
    const { items } = (await request(t.server).get('/api/v1/audit/checkpoints')).body as {
      items: { createdAt: string }[];
    };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((c) => Date.parse(c.createdAt) > startedAt)).toBe(true);
  });

  it('lets every demo login sign in', async () => {
    for (const login of DEMO_LOGINS) {
      const res = await request(t.server)
        .post('/api/v1/auth/login')
        .send({ username: login.username, password: login.password });
      expect(res.status).toBe(200);
      expect(res.body.user.role).toBe(login.role);
    }
  });

  it("makes an OPD head's demo login the person appointed head of that OPD", async () => {
    for (const login of DEMO_LOGINS.filter((l) => l.opdId)) {
      const appointed = (await streamEvents(t, `opd-${login.opdId}`)).find(
        (e) => e.type === 'OpdHeadAppointed',
      );
      const nip = (appointed?.data as { nip: string }).nip;
      const [enrolled] = await streamEvents(t, `asn-${nip}`);
      expect(enrolled.data).toMatchObject({ name: login.displayName, opdId: login.opdId });
    }
  });

  it('does not seed twice', async () => {
    const before = await t.app.get(EventStore).headPosition();
    await t.close();
    t = await createTestApp({ NETRAL_DEMO: 'true', NETRAL_DATA_DIR: t.dataDir });
    expect(await t.app.get(EventStore).headPosition()).toBe(before);
  });

  it('seeds beside NETRAL_BOOTSTRAP_ADMIN_PASSWORD (docker-compose), the administrator on that password', async () => {
    const chosen = 'sandi-operator-compose-1';
    const compose = await createTestApp({
      NETRAL_DEMO: 'true',
      NETRAL_BOOTSTRAP_ADMIN_PASSWORD: chosen,
    });
    try {
      let enrolled = 0;
      for await (const e of compose.app.get(EventStore).readAll({
        filter: { eventTypeRegex: '^AsnEnrolled$' },
      })) {
        enrolled += e.type === 'AsnEnrolled' ? 1 : 0;
      }
      expect(enrolled).toBe(600);
      const signIn = (username: string, password: string) =>
        request(compose.server).post('/api/v1/auth/login').send({ username, password });
      const admin = DEMO_LOGINS.find((login) => login.role === 'ADMIN');
      expect((await signIn('admin', chosen)).status).toBe(200);
      expect((await signIn('admin', admin?.password ?? '')).status).toBe(401);
      const bawaslu = DEMO_LOGINS.find((login) => login.role === 'BAWASLU');
      expect((await signIn(bawaslu?.username ?? '', bawaslu?.password ?? '')).status).toBe(200);
    } finally {
      await compose.close();
    }
  });
});
