import { DomainError } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  expectStatus,
  findingReport,
  post,
  seedLedger,
  type TestApp,
} from '@netral/testing';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';
import type { ScopedQueries } from '../../../apps/ledger/src/compliance/scoped-queries';
import type { ActorContext } from '../../../apps/ledger/src/identity/actor';

const ELECTION_ID = 'pilkada-2024';
const ALL = { page: 1, pageSize: 100 };

/** The query layer itself, with no route and no role guard in front: the OPD scope must still hold. */
describe('OPD scope inside the read side, whatever the route', () => {
  let t: TestApp;
  let roster: Awaited<ReturnType<typeof seedLedger>>;
  let caseOfPendidikan: string;
  let kesehatan: ScopedQueries;
  let today: string;

  const refusedForScope = (read: () => unknown) => {
    let thrown: unknown;
    try {
      read();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'OPD_SCOPE', kind: 'FORBIDDEN' });
  };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    const bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
    const head = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    for (const nip of [roster['dinas-kesehatan'].head, roster['dinas-pendidikan'].head]) {
      await expectStatus(
        post(t, hr, '/api/v1/pledges', {
          electionId: ELECTION_ID,
          nip,
          signedAt: '2024-09-10',
          place: 'Bangli',
        }),
        201,
      );
    }
    caseOfPendidikan = (
      (await expectStatus(
        post(t, bawaslu, '/api/v1/cases', findingReport(roster['dinas-pendidikan'].staff[0])),
        201,
      )) as { body: { caseId: string } }
    ).body.caseId;
    const read = t.app.get(ReadSide);
    await read.ready(String(await t.app.get(EventStore).headPosition()));
    const actor: ActorContext = {
      userId: head.userId,
      username: head.username,
      displayName: `Pengguna ${head.username}`,
      role: 'OPD_HEAD',
      opdId: 'dinas-kesehatan',
      correlationId: 'scope-e2e',
    };
    kesehatan = read.for(actor);
    today = read.today();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers an OPD head about their own OPD', () => {
    const own = kesehatan.roster(ELECTION_ID, 'dinas-kesehatan', 'all', ALL);
    expect(own.total).toBe(4);
    expect(own.items.find((i) => i.nip === roster['dinas-kesehatan'].head)?.pledged).toBe(true);
    expect(kesehatan.compliance(ELECTION_ID, today, 'dinas-kesehatan')).toEqual([
      expect.objectContaining({ opdId: 'dinas-kesehatan', headPledged: true }),
    ]);
    expect(kesehatan.asn(roster['dinas-kesehatan'].staff[0])).toMatchObject({
      opdId: 'dinas-kesehatan',
    });
    expect(kesehatan.pledge(ELECTION_ID, roster['dinas-kesehatan'].head)?.status).toBe('SIGNED');
  });

  it('refuses another OPD’s roster, case, ASN and pledge with OPD_SCOPE', () => {
    refusedForScope(() => kesehatan.roster(ELECTION_ID, 'dinas-pendidikan', 'all', ALL));
    refusedForScope(() => kesehatan.caseDetail(caseOfPendidikan, today));
    refusedForScope(() => kesehatan.asn(roster['dinas-pendidikan'].staff[0]));
    refusedForScope(() => kesehatan.pledge(ELECTION_ID, roster['dinas-pendidikan'].head));
    refusedForScope(() => kesehatan.compliance(ELECTION_ID, today, 'dinas-pendidikan'));
    refusedForScope(() => kesehatan.cases({ opdId: 'dinas-pendidikan' }, today, ALL));
  });

  it('refuses an OPD head the regency-wide summary', () => {
    refusedForScope(() => kesehatan.summary(ELECTION_ID, today));
  });

  it('limits lists to the own OPD when no OPD is named', () => {
    expect(kesehatan.compliance(ELECTION_ID, today).map((r) => r.opdId)).toEqual([
      'dinas-kesehatan',
    ]);
    expect(kesehatan.cases({ electionId: ELECTION_ID }, today, ALL).total).toBe(0);
    const asn = kesehatan.asnList({}, ALL);
    expect(asn.total).toBe(4);
    expect(asn.items.every((a) => a.opdId === 'dinas-kesehatan')).toBe(true);
  });

  it('leaves other roles regency-wide (the scope is the OPD head’s only)', () => {
    const hr = t.app.get(ReadSide).for({
      userId: 'hr',
      username: 'hr',
      displayName: 'BKPSDM',
      role: 'HR',
      correlationId: 'scope-e2e',
    });
    expect(hr.compliance(ELECTION_ID, today)).toHaveLength(2);
    expect(hr.caseDetail(caseOfPendidikan, today)?.opdId).toBe('dinas-pendidikan');
    expect(hr.summary(ELECTION_ID, today).opds).toBe(2);
  });
});
