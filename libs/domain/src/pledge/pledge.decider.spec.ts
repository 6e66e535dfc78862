import { findPakta } from '../catalogue/pakta';
import type { PledgeEvent } from '../events';
import { meta, NIP, NIP_HEAD } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { pledgeDecider, type SignPledge } from './pledge.decider';

const context: SignPledge['context'] = {
  election: {
    name: 'Pilkada Serentak 2024',
    monitoringFrom: '2024-09-25',
    monitoringUntil: '2024-12-15',
  },
  asn: { status: 'active', opdId: 'dinas-kesehatan' },
  opdHeadNip: NIP_HEAD,
};
const sign = (
  data: Partial<SignPledge['data']> = {},
  ctx: Partial<SignPledge['context']> = {},
): SignPledge => ({
  type: 'SignPledge',
  data: {
    electionId: 'pilkada-2024',
    nip: NIP,
    signedAt: '2024-09-20',
    place: 'Bangli',
    textVersion: 'v1',
    witnesses: [],
    ...data,
  },
  context: { ...context, ...ctx },
  metadata: meta({ actorId: 'kadis.kesehatan', actorRole: 'OPD_HEAD', opdId: 'dinas-kesehatan' }),
});
const signed = (over: Record<string, unknown> = {}): PledgeEvent => ({
  type: 'PledgeSigned',
  data: {
    electionId: 'pilkada-2024',
    nip: NIP,
    opdId: 'dinas-kesehatan',
    role: 'ASN',
    textVersion: 'v1',
    textSha256: findPakta('v1')!.sha256,
    signedAt: '2024-09-20',
    place: 'Bangli',
    witnesses: [],
    submittedBy: 'kadis.kesehatan',
    late: false,
    ...over,
  },
});

describe('pledge decider', () => {
  it('signs a pledge for an active ASN, with the text hash and the submitter', () => {
    given(pledgeDecider, []).when(sign()).then([signed()]);
  });
  it('marks the OPD head by the appointment, not by a claim', () => {
    given(pledgeDecider, [])
      .when(sign({ nip: NIP_HEAD }))
      .then([signed({ nip: NIP_HEAD, role: 'OPD_HEAD' })]);
  });
  it('marks a pledge signed on or after the start of monitoring as late', () => {
    given(pledgeDecider, [])
      .when(sign({ signedAt: '2024-09-25T09:00:00+08:00' }))
      .then([signed({ signedAt: '2024-09-25T09:00:00+08:00', late: true })]);
  });
  it("counts an instant on the regency's day, whatever offset it was written with", () => {
    // 01:30 WITA on 25 September, the first day of monitoring, written in UTC or in WIB: late. The value
    // is kept as written.
    for (const signedAt of ['2024-09-24T17:30:00Z', '2024-09-25T00:30:00+07:00']) {
      given(pledgeDecider, [])
        .when(sign({ signedAt }))
        .then([signed({ signedAt, late: true })]);
    }
    // 23:30 WITA on 24 September, written in Papua's time (WIT): not late.
    given(pledgeDecider, [])
      .when(sign({ signedAt: '2024-09-25T00:30:00+09:00' }))
      .then([signed({ signedAt: '2024-09-25T00:30:00+09:00', late: false })]);
  });
  it('keeps one active pledge per ASN per election, and allows a new one after voiding', () => {
    given(pledgeDecider, [signed()]).when(sign()).thenFails('PLEDGE_ALREADY_SIGNED', 'CONFLICT');
    const voided: PledgeEvent = {
      type: 'PledgeVoided',
      data: {
        electionId: 'pilkada-2024',
        nip: NIP,
        opdId: 'dinas-kesehatan',
        reason: 'salah orang',
        voidedAt: 'x',
      },
    };
    given(pledgeDecider, [signed(), voided]).when(sign()).then([signed()]);
  });
  it('refuses an unknown election, an ASN not active, and an ASN of another OPD for an OPD head', () => {
    given(pledgeDecider, [])
      .when(sign({}, { election: null }))
      .thenFails('ELECTION_NOT_FOUND', 'NOT_FOUND');
    given(pledgeDecider, [])
      .when(sign({}, { asn: { status: 'left' } }))
      .thenFails('ASN_NOT_ACTIVE', 'CONFLICT');
    given(pledgeDecider, [])
      .when(sign({}, { asn: { status: 'none' } }))
      .thenFails('ASN_NOT_ACTIVE', 'CONFLICT');
    given(pledgeDecider, [])
      .when(sign({}, { submitterOpdScope: 'inspektorat' }))
      .thenFails('OPD_SCOPE', 'FORBIDDEN');
    // To an OPD head, a NIP active nowhere reads like one active in another OPD: nothing to learn.
    for (const status of ['left', 'none'] as const) {
      given(pledgeDecider, [])
        .when(sign({}, { asn: { status }, submitterOpdScope: 'inspektorat' }))
        .thenFails('OPD_SCOPE', 'FORBIDDEN');
    }
  });
  it('refuses an unknown text version and a date in the future', () => {
    given(pledgeDecider, [])
      .when(sign({ textVersion: 'v9' }))
      .thenFails('PAKTA_TEXT_UNKNOWN', 'INVALID');
    given(pledgeDecider, [])
      .when(sign({ signedAt: '2024-10-02' }))
      .thenFails('SIGNED_AT_IN_FUTURE', 'INVALID');
  });
  it('refuses a signing day with a mistyped year: before 2000, or years before the election', () => {
    const error = given(pledgeDecider, [])
      .when(sign({ signedAt: '1900-09-20' }))
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(error.details).toEqual([expect.objectContaining({ field: 'signedAt' })]);
    given(pledgeDecider, [])
      .when(sign({ signedAt: '2022-09-20' }))
      .thenFails('SIGNED_AT_BEFORE_ELECTION', 'INVALID');
    // A ceremony months ahead of monitoring is normal (and not late).
    given(pledgeDecider, [])
      .when(sign({ signedAt: '2023-10-02' }))
      .then([signed({ signedAt: '2023-10-02' })]);
  });
  it("judges 'not in the future' by the regency's day, not UTC's", () => {
    // 01:30 WITA on 2 October is still 1 October in UTC: a pledge dated 2 October is signed today.
    const atNight = (signedAt: string): SignPledge => ({
      ...sign({ signedAt }),
      metadata: meta({ now: '2024-10-01T17:30:00.000Z', today: '2024-10-02' }),
    });
    given(pledgeDecider, [])
      .when(atNight('2024-10-02'))
      .then([signed({ signedAt: '2024-10-02', late: true, submittedBy: 'hr.bangli' })]);
    given(pledgeDecider, [])
      .when(atNight('2024-10-03'))
      .thenFails('SIGNED_AT_IN_FUTURE', 'INVALID');
  });
  it('voids a signed pledge only', () => {
    given(pledgeDecider, [signed()])
      .when({ type: 'VoidPledge', data: { reason: 'salah orang' }, metadata: meta() })
      .then([
        {
          type: 'PledgeVoided',
          data: {
            electionId: 'pilkada-2024',
            nip: NIP,
            opdId: 'dinas-kesehatan',
            reason: 'salah orang',
            voidedAt: meta().now,
          },
        },
      ]);
    given(pledgeDecider, [])
      .when({ type: 'VoidPledge', data: { reason: 'x' }, metadata: meta() })
      .thenFails('PLEDGE_NOT_SIGNED');
  });
});
