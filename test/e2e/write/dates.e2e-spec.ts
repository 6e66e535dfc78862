import {
  confirmedCase,
  createTestApp,
  createUser,
  expectStatus,
  post,
  seedLedger,
  streamEvents,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import { Clock } from '../../../apps/ledger/src/common/clock';

/** Dates people type that are certainly wrong are refused naming the field; plausible ones still pass. */
describe('date plausibility', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses an election in 1900 or a century ahead, naming the field', async () => {
    const res = await post(t, admin, '/api/v1/elections', {
      electionId: 'pemilu-salah',
      name: 'Pemilu salah ketik',
      kind: 'PEMILU',
      votingDay: '1900-02-14',
      monitoringFrom: '1900-01-01',
      monitoringUntil: '2124-03-01',
    });
    expect(res.status).toBe(400);
    expect(
      res.body.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`),
    ).toEqual([
      'votingDay:DATE_IMPLAUSIBLE',
      'monitoringFrom:DATE_IMPLAUSIBLE',
      'monitoringUntil:DATE_IMPLAUSIBLE',
    ]);
  });

  it('still schedules a plausible election years ahead', async () => {
    await expectStatus(
      post(t, admin, '/api/v1/elections', {
        electionId: 'pemilu-2034',
        name: 'Pemilu 2034',
        kind: 'PEMILU',
        votingDay: '2034-02-14',
        monitoringFrom: '2033-09-01',
        monitoringUntil: '2034-10-20',
      }),
      201,
    );
  });

  it('refuses a pakta signed in 1900 or years before the election', async () => {
    const nip = roster['dinas-pendidikan'].staff[0];
    for (const [signedAt, code] of [
      ['1900-09-20', 'DATE_IMPLAUSIBLE'],
      ['2021-09-20', 'SIGNED_AT_BEFORE_ELECTION'],
    ]) {
      const res = await post(t, hr, '/api/v1/pledges', {
        electionId: 'pilkada-2024',
        nip,
        signedAt,
        place: 'Bangli',
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'signedAt', code })]);
    }
  });

  it("counts a pakta signed at an instant on the regency's day, keeping what was typed", async () => {
    // Monitoring of pilkada-2024 starts on 25 September; 17:30 UTC on the 24th is 01:30 WITA on the 25th.
    const [early, onTime] = roster['dinas-pendidikan'].staff.slice(1, 3);
    for (const [nip, signedAt, late] of [
      [early, '2024-09-24T17:30:00Z', true],
      [onTime, '2024-09-25T00:30:00+09:00', false], // 23:30 WITA on the 24th
    ] as const) {
      await expectStatus(
        post(t, hr, '/api/v1/pledges', {
          electionId: 'pilkada-2024',
          nip,
          signedAt,
          place: 'Bangli',
        }),
        201,
      );
      const [event] = await streamEvents(t, `pledge-pilkada-2024-${nip}`);
      expect(event.data).toMatchObject({ signedAt, late });
    }
  });

  it('refuses a sanction decided before the case was confirmed (409 naming decidedAt)', async () => {
    const { caseId } = await confirmedCase(t, bawaslu, {
      nip: roster['dinas-pendidikan'].staff[1],
      recommendation: { ethics: 'MORAL_TERBUKA' },
    });
    const today = t.app.get(Clock).today();
    const sanction = {
      track: 'ETHICS',
      kind: 'MORAL_TERBUKA',
      decreeNumber: '800/9/2024',
      decidedBy: 'Bupati Bangli',
      decidedAt: '2024-10-20',
      effectiveFrom: today,
    };
    const early = await post(t, hr, `/api/v1/cases/${caseId}/sanctions`, sanction);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('DECIDED_BEFORE_CONFIRMATION');
    expect(early.body.details).toEqual([expect.objectContaining({ field: 'decidedAt' })]);
    await expectStatus(
      post(t, hr, `/api/v1/cases/${caseId}/sanctions`, { ...sanction, decidedAt: today }),
      201,
    );
  });
});
