import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  login,
  post,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import request from 'supertest';
import { DEMO_LOGINS } from '../../../apps/ledger/src/demo/demo.seeder';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';

describe('read side (on the demo regency)', () => {
  let t: TestApp;
  const users: Record<string, TestUser> = {};
  const get = (path: string, who: string) =>
    request(t.server).get(path).set('Authorization', users[who].auth);

  beforeAll(async () => {
    t = await createTestApp({ NETRAL_DEMO: 'true' });
    for (const l of DEMO_LOGINS) {
      const token = await login(t, l.username, l.password);
      users[l.username] = {
        userId: l.username,
        username: l.username,
        role: l.role,
        token,
        auth: `Bearer ${token}`,
      };
    }
    users.other = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-pupr' });
    await t.app.get(ReadSide).ready(String(await t.app.get(EventStore).headPosition()));
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists compliance of every OPD with status, reasons and counts; worst first', async () => {
    const res = await get('/api/v1/compliance?electionId=pilkada-2024&pageSize=100', 'bkpsdm');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(33);
    const rows = res.body.items as {
      opdId: string;
      status: string;
      reasons: string[];
      activeAsn: number;
      pledged: number;
      coverage: number;
      headPledged: boolean;
    }[];
    expect(rows.reduce((n, r) => n + r.activeAsn, 0)).toBe(600);
    const perhubungan = rows.find((r) => r.opdId === 'dinas-perhubungan')!;
    expect(perhubungan).toMatchObject({ status: 'TIDAK_PATUH', headPledged: false });
    expect(perhubungan.reasons.join(' ')).toContain('Kepala OPD belum menandatangani');
    expect(rows.some((r) => r.status === 'PATUH')).toBe(true);
    const order = rows.map((r) => r.status);
    expect(order.indexOf('PATUH')).toBeGreaterThan(order.lastIndexOf('TIDAK_PATUH'));
  });

  it('shows an OPD head only their own OPD, whatever they ask for', async () => {
    const mine = await get('/api/v1/compliance?electionId=pilkada-2024', 'kadis.kesehatan');
    expect(mine.body.items.map((r: { opdId: string }) => r.opdId)).toEqual(['dinas-kesehatan']);
    expect(
      (await get('/api/v1/opds/dinas-pupr/compliance?electionId=pilkada-2024', 'kadis.kesehatan'))
        .status,
    ).toBe(403);
    expect(
      (await get('/api/v1/pledges?electionId=pilkada-2024&opdId=dinas-pupr', 'kadis.kesehatan'))
        .status,
    ).toBe(403);
    const cases = await get('/api/v1/cases', 'kadis.kesehatan');
    expect(cases.body.items.every((c: { opdId: string }) => c.opdId === 'dinas-kesehatan')).toBe(
      true,
    );
    const other = (await get('/api/v1/cases?opdId=dinas-kesehatan', 'bawaslu')).body.items[0];
    expect((await get(`/api/v1/cases/${other.caseId}`, 'other')).status).toBe(403);
  });

  it('reads its own write: a pledge raises coverage when read with the returned position', async () => {
    const missing = await get(
      '/api/v1/pledges?electionId=pilkada-2024&filter=missing',
      'kadis.kesehatan',
    );
    expect(missing.body.total).toBeGreaterThan(0);
    const before = (
      await get(
        '/api/v1/opds/dinas-kesehatan/compliance?electionId=pilkada-2024',
        'kadis.kesehatan',
      )
    ).body;
    const nip = missing.body.items[0].nip;
    const written = await post(t, users['kadis.kesehatan'], '/api/v1/pledges', {
      electionId: 'pilkada-2024',
      nip,
      signedAt: '2024-10-01',
      place: 'Bangli',
    });
    expect(written.status).toBe(201);
    const after = (
      await get(
        `/api/v1/opds/dinas-kesehatan/compliance?electionId=pilkada-2024&minPosition=${written.body.position}`,
        'kadis.kesehatan',
      )
    ).body;
    expect(after.pledged).toBe(before.pledged + 1);
    expect(after.lateSigners).toBe(before.lateSigners + 1);
    const roster = (
      await get(
        `/api/v1/pledges?electionId=pilkada-2024&filter=late&minPosition=${written.body.position}&pageSize=500`,
        'kadis.kesehatan',
      )
    ).body;
    expect(roster.items.map((i: { nip: string }) => i.nip)).toContain(nip);
  });

  it('says clearly when projections have not reached a position, and refuses one never written', async () => {
    const ahead = await get(
      '/api/v1/compliance?electionId=pilkada-2024&minPosition=9223372036854775807',
      'bkpsdm',
    );
    expect(ahead.status).toBe(400);
    expect(ahead.body).toMatchObject({
      code: 'MIN_POSITION_AHEAD',
      details: [expect.objectContaining({ field: 'minPosition' })],
    });
    // Written but not yet projected (the runner held still): a 503 once the wait is over.
    const side = t.app.get(ReadSide);
    await side.runner.stop();
    try {
      const head = await t.app.get(EventStore).headPosition();
      const written = await t.app
        .get(EventStore)
        .appendToStream('uji-tertinggal', [{ type: 'UjiTertinggal', data: {}, metadata: {} }]);
      expect(written.position).toBeGreaterThan(head!);
      const res = await get(
        `/api/v1/compliance?electionId=pilkada-2024&minPosition=${written.position}`,
        'bkpsdm',
      );
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('READ_MODEL_BEHIND');
    } finally {
      void side.runner.start();
    }
  });

  it('lists cases overdue first with their SLA clock, and shows a case timeline', async () => {
    const res = (await get('/api/v1/cases?electionId=pilkada-2024', 'bawaslu')).body;
    expect(res.total).toBe(10);
    const first = res.items[0];
    expect(first.sla.overdue).toBe(true);
    const detail = (await get(`/api/v1/cases/${first.caseId}`, 'bawaslu')).body;
    expect(detail.timeline[0].type).toBe('ViolationReported');
    const dismissed = (await get('/api/v1/cases?status=DISMISSED', 'bawaslu')).body;
    expect(
      dismissed.items.every((c: { sla: { clock: string | null } }) => c.sla.clock === null),
    ).toBe(true);
  });

  it('lists the cases still waiting for a recommended sanction, and only those', async () => {
    type Row = { caseId: string; status: string; sanctionPending: boolean };
    const list = async (query: string) =>
      ((await get(`/api/v1/cases?electionId=pilkada-2024&${query}`, 'bkpsdm')).body.items as Row[])
        .map((c) => `${c.status}:${c.sanctionPending}`)
        .sort();
    // The demo: two confirmed cases await the PPK; the sanctioned ones got every recommended sanction.
    expect(await list('sanctionPending=true')).toEqual(['CONFIRMED:true', 'CONFIRMED:true']);
    const rest = await list('sanctionPending=false&pageSize=100');
    expect(rest).toHaveLength(8);
    expect(rest.every((row) => row.endsWith(':false'))).toBe(true);
    const bad = await get('/api/v1/cases?sanctionPending=ya', 'bkpsdm');
    expect([bad.status, bad.body.details[0]?.field]).toEqual([400, 'sanctionPending']);
  });

  it('summarises the regency and exports CSV for HR', async () => {
    const summary = (await get('/api/v1/compliance/summary?electionId=pilkada-2024', 'bkpsdm'))
      .body;
    expect(summary.opds).toBe(33);
    expect(summary.casesByState.DISMISSED).toBe(2);
    expect(summary.ppkFollowUpRate).toBeGreaterThan(0);
    const csv = await get('/api/v1/compliance/export?electionId=pilkada-2024', 'bkpsdm');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(34);
    const missing = await get('/api/v1/pledges/missing?electionId=pilkada-2024', 'bkpsdm');
    expect(missing.text).toContain('NIP');
  });

  it('answers bad queries with 400 and unknown elections with 404', async () => {
    expect((await get('/api/v1/compliance', 'bkpsdm')).body.details[0].field).toBe('electionId');
    expect((await get('/api/v1/compliance?electionId=pemilu-2099', 'bkpsdm')).status).toBe(404);
    expect((await get('/api/v1/cases?overdue=mungkin', 'bawaslu')).status).toBe(400);
    // A page number is plain digits: 1e3, 0x10, " 2" and an empty one are not read as 1000, 16, 2 or 0.
    for (const page of ['1e3', '0x10', '%202', '', '2.0']) {
      const res = await get(`/api/v1/compliance?electionId=pilkada-2024&page=${page}`, 'bkpsdm');
      expect([res.status, res.body.details]).toEqual([
        400,
        [{ field: 'page', code: 'isInt', reason: 'harus bilangan bulat' }],
      ]);
    }
    expect((await get('/api/v1/compliance?electionId=pilkada-2024&page=2', 'bkpsdm')).status).toBe(
      200,
    );
    // A parameter given twice is named as repeated, beside the other parameters' own problems (a missing
    // one included), not judged by a format the list cannot have.
    const twice = await get(
      '/api/v1/cases?overdue=ya&overdue=tidak&status=X&page=1&page=2',
      'bawaslu',
    );
    expect([twice.status, twice.body.details]).toEqual([
      400,
      [
        { field: 'overdue', code: 'PARAMETER_REPEATED', reason: expect.stringMatching(/sekali/) },
        { field: 'page', code: 'PARAMETER_REPEATED', reason: expect.stringMatching(/sekali/) },
        { field: 'status', code: 'isIn', reason: expect.stringMatching(/REPORTED/) },
      ],
    ]);
    const election = await get('/api/v1/compliance?electionId=pilkada-2024&electionId=x', 'bkpsdm');
    expect(election.body.details).toEqual([
      expect.objectContaining({ field: 'electionId', code: 'PARAMETER_REPEATED' }),
    ]);
    expect((await get('/api/v1/projections/status', 'bawaslu')).body[0]).toMatchObject({
      name: 'ledger',
      lag: '0',
    });
  });

  it('writes no CSV cell a spreadsheet would run as a formula (names typed as =HYPERLINK, +, -, @)', async () => {
    const hr = users.bkpsdm;
    const name = '=HYPERLINK("http://contoh.invalid","Klik")';
    await post(t, hr, '/api/v1/opds', {
      opdId: 'dinas-rumus',
      code: '9.99.12',
      name,
      kind: 'DINAS',
    }).expect(201);
    const enrolled = await post(t, hr, '/api/v1/asn', {
      nip: '199505052015031001',
      name: '@SUM(A1:A9) Budi',
      position: '+cmd|calc!A0',
      employmentType: 'PNS',
      opdId: 'dinas-rumus',
    }).expect(201);
    await t.app.get(ReadSide).ready(enrolled.body.position as string);
    const compliance = await get('/api/v1/compliance/export?electionId=pilkada-2024', 'bkpsdm');
    expect(compliance.text).toContain(
      '9.99.12,"\'=HYPERLINK(""http://contoh.invalid"",""Klik"")",',
    );
    const missing = await get(
      '/api/v1/pledges/missing?electionId=pilkada-2024&opdId=dinas-rumus',
      'bkpsdm',
    );
    expect(missing.text).toContain(",199505052015031001,'@SUM(A1:A9) Budi,'+cmd|calc!A0,PNS");
    // Numbers stay numbers, and no cell of either file starts a formula.
    for (const text of [compliance.text, missing.text]) {
      const cells = text.split(/\r\n/).flatMap((line) => line.split(','));
      expect(cells.filter((c) => /^"?[=+\-@]/.test(c))).toEqual([]);
    }
  });
});
