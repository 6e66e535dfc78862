import type { CaseEvent, DisciplineLevel } from '../events';
import { ACT_CATALOGUES, type ViolationAct } from '../catalogue/acts';
import { meta, NIP, SLA } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { FieldProblems } from '../shared/rules';
import {
  caseDecider,
  checkSanctionFields,
  type ConfirmViolation,
  type ImposeSanction,
  type ReportViolation,
} from './case.decider';

const report = (
  over: Partial<ReportViolation['data']> = {},
  ctx: Partial<ReportViolation['context']> = {},
): ReportViolation => ({
  type: 'ReportViolation',
  data: {
    caseId: 'K-1',
    electionId: 'pilkada-2024',
    nip: NIP,
    source: 'BAWASLU_FINDING',
    actCode: 'N06',
    occurredAt: '2024-09-28',
    summary: 'Membagikan konten kampanye',
    evidence: [],
    ...over,
  },
  context: {
    electionExists: true,
    asn: { status: 'active', opdId: 'dinas-kesehatan' },
    sla: SLA,
    ...ctx,
  },
  metadata: meta({ now: '2024-10-01T02:00:00.000Z' }),
});
const reported = (actCode = 'N06'): CaseEvent => ({
  type: 'ViolationReported',
  data: {
    ...report({ actCode }).data,
    opdId: 'dinas-kesehatan',
    actCatalogueVersion: 'SKB-2022',
    reportedAt: '2024-10-01T02:00:00.000Z',
    verificationDueBy: '2024-10-08',
  },
});
const verified: CaseEvent = {
  type: 'CaseVerified',
  data: { caseId: 'K-1', verifiedAt: 'x', reviewDueBy: 'x' },
};
const confirmed: CaseEvent = {
  type: 'ViolationConfirmed',
  data: {
    caseId: 'K-1',
    findings: 'terbukti',
    authority: 'BKN',
    recommendation: { ethics: 'MORAL_TERBUKA', discipline: 'BERAT' },
    confirmedAt: '2024-10-01T01:00:00.000Z',
    followUpDueBy: 'x',
  },
};
/** Confirmed with only an ethics recommendation: the act's own level is the discipline's measure. */
const confirmedNoDiscipline: CaseEvent = {
  ...confirmed,
  data: { ...confirmed.data, recommendation: { ethics: 'MORAL_TERBUKA' } },
};
const confirm = (recommendation: ConfirmViolation['data']['recommendation']): ConfirmViolation => ({
  type: 'ConfirmViolation',
  data: { findings: 'terbukti', authority: 'BKN', recommendation },
  context: { sla: SLA },
  metadata: meta({ now: '2024-10-04T02:00:00.000Z' }),
});
const sanction = (
  over: Partial<ImposeSanction['data']> = {},
  employmentType: 'PNS' | 'PPPK' = 'PNS',
): ImposeSanction => ({
  type: 'ImposeSanction',
  data: {
    track: 'DISCIPLINE',
    kind: 'TURUN_JABATAN_12',
    decreeNumber: '800/123/BKPSDM/2024',
    decidedBy: 'Bupati Bangli',
    decidedAt: '2024-10-01',
    effectiveFrom: '2024-10-01',
    ...over,
  },
  context: { employmentType },
  metadata: meta(),
});

/** The event a sanction command records on a confirmed case K-1. */
const imposed = (command: ImposeSanction): CaseEvent => ({
  type: 'SanctionImposed',
  data: {
    caseId: 'K-1',
    ...command.data,
    sanctionCatalogueVersion: 'PP94-2021',
    recordedAt: meta().now,
  },
});

describe('case decider', () => {
  it('reports a violation with the catalogue version and the verification deadline', () => {
    given(caseDecider, []).when(report()).then([reported()]);
  });
  it("counts days in the regency's time zone: today, and the deadline from it", () => {
    // 01:30 WITA on 2 October, still 1 October in UTC.
    const now = '2024-10-01T17:30:00.000Z';
    const atNight = {
      ...report({ occurredAt: '2024-10-02' }),
      metadata: meta({ now, today: '2024-10-02' }),
    };
    given(caseDecider, [])
      .when(atNight)
      .then([
        {
          type: 'ViolationReported',
          data: {
            ...(reported().data as Extract<CaseEvent, { type: 'ViolationReported' }>['data']),
            occurredAt: '2024-10-02',
            reportedAt: now,
            verificationDueBy: '2024-10-09',
          },
        },
      ]);
  });
  it('refuses an occurrence with a mistyped year (before 2000)', () => {
    const error = given(caseDecider, [])
      .when(report({ occurredAt: '1924-09-28' }))
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(error.details).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
  });
  it('refuses an unknown act, a future occurrence, an unknown election or ASN', () => {
    given(caseDecider, [])
      .when(report({ actCode: 'N99' }))
      .thenFails('ACT_UNKNOWN', 'INVALID');
    given(caseDecider, [])
      .when(report({ occurredAt: '2024-10-05' }))
      .thenFails('OCCURRED_AT_IN_FUTURE', 'INVALID');
    given(caseDecider, [])
      .when(report({}, { electionExists: false }))
      .thenFails('ELECTION_NOT_FOUND', 'NOT_FOUND');
    given(caseDecider, [])
      .when(report({}, { asn: null }))
      .thenFails('ASN_NOT_FOUND', 'NOT_FOUND');
    given(caseDecider, [reported()]).when(report()).thenFails('CASE_ALREADY_EXISTS', 'CONFLICT');
  });
  it('verifies with a review deadline in working days (Friday + 3 = Wednesday)', () => {
    given(caseDecider, [reported()])
      .when({
        type: 'VerifyCase',
        data: { note: 'cek lapangan' },
        context: { sla: SLA },
        metadata: meta({ now: '2024-11-29T02:00:00.000Z' }),
      })
      .then([
        {
          type: 'CaseVerified',
          data: {
            caseId: 'K-1',
            note: 'cek lapangan',
            verifiedAt: '2024-11-29T02:00:00.000Z',
            reviewDueBy: '2024-12-04',
          },
        },
      ]);
  });
  it('confirms a verified case with a follow-up deadline', () => {
    given(caseDecider, [reported(), verified])
      .when(confirm({ discipline: 'BERAT' }))
      .then([
        {
          type: 'ViolationConfirmed',
          data: {
            caseId: 'K-1',
            findings: 'terbukti',
            authority: 'BKN',
            recommendation: { discipline: 'BERAT' },
            confirmedAt: '2024-10-04T02:00:00.000Z',
            followUpDueBy: '2024-11-03',
          },
        },
      ]);
  });
  it('refuses transitions out of order, naming the current state', () => {
    const error = given(caseDecider, [reported()])
      .when(confirm({ ethics: 'MORAL_TERBUKA' }))
      .thenFails('CASE_INVALID_TRANSITION', 'CONFLICT');
    expect(error.message).toContain('berstatus Dilaporkan');
    given(caseDecider, [reported(), verified, confirmed])
      .when({ type: 'DismissViolation', data: { reason: 'x' }, metadata: meta() })
      .thenFails('CASE_INVALID_TRANSITION');
    given(caseDecider, [reported(), verified])
      .when(sanction())
      .thenFails('CASE_INVALID_TRANSITION');
    given(caseDecider, [reported(), verified])
      .when({ type: 'VerifyCase', data: {}, context: { sla: SLA }, metadata: meta() })
      .thenFails('CASE_INVALID_TRANSITION');
    given(caseDecider, [])
      .when({ type: 'DismissViolation', data: { reason: 'x' }, metadata: meta() })
      .thenFails('CASE_NOT_FOUND', 'NOT_FOUND');
  });
  it('dismisses a verified case; a report must be verified first', () => {
    const dismiss = {
      type: 'DismissViolation',
      data: { reason: 'tidak cukup bukti' },
      metadata: meta(),
    } as const;
    given(caseDecider, [reported(), verified])
      .when(dismiss)
      .then([
        {
          type: 'ViolationDismissed',
          data: { caseId: 'K-1', reason: 'tidak cukup bukti', dismissedAt: meta().now },
        },
      ]);
    const error = given(caseDecider, [reported()])
      .when(dismiss)
      .thenFails('CASE_INVALID_TRANSITION', 'CONFLICT');
    expect(error.message).toContain('berstatus Dilaporkan');
  });
  it('needs a recommendation, and no discipline for an ethics-only act', () => {
    given(caseDecider, [reported(), verified])
      .when(confirm({}))
      .thenFails('RECOMMENDATION_REQUIRED', 'INVALID');
    given(caseDecider, [reported('E01'), verified])
      .when(confirm({ discipline: 'RINGAN' }))
      .thenFails('ACT_ETHICS_ONLY');
  });
  it('imposes an ethics and a discipline sanction, but not two of one track', () => {
    const ethics = sanction({ track: 'ETHICS', kind: 'MORAL_TERBUKA' });
    given(caseDecider, [reported(), verified, confirmed])
      .when(ethics)
      .then([imposed(ethics)]);
    given(caseDecider, [reported(), verified, confirmed, imposed(ethics)])
      .when(sanction())
      .then([imposed(sanction())]);
    given(caseDecider, [reported(), verified, confirmed, imposed(sanction())])
      .when(sanction({ kind: 'JADI_PELAKSANA_12' }))
      .thenFails('SANCTION_ALREADY_IMPOSED', 'CONFLICT');
  });
  it('refuses a decree dated before the confirmation, and sanction days with a mistyped year', () => {
    const error = given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ decidedAt: '2024-09-30', effectiveFrom: '2024-09-30' }))
      .thenFails('DECIDED_BEFORE_CONFIRMATION', 'CONFLICT');
    expect(error.details).toEqual([expect.objectContaining({ field: 'decidedAt' })]);
    expect(error.message).toContain('terbukti (1 Oktober 2024)');
    const years = given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ effectiveFrom: '1024-10-01', effectiveUntil: '2099-10-01' }))
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(years.details?.map((d) => d.field)).toEqual(['effectiveFrom', 'effectiveUntil']);
  });
  it("keeps a discipline sanction within the act's level unless a legal basis says otherwise", () => {
    // N06 is berat: a tukin cut (sedang) is outside it, named with the kinds that fit.
    const sedang = given(caseDecider, [reported('N06'), verified, confirmed])
      .when(sanction({ kind: 'POTONG_TUKIN_6' }))
      .thenFails('SANCTION_LEVEL_MISMATCH', 'INVALID');
    expect(sedang.details).toEqual([
      expect.objectContaining({
        field: 'kind',
        reason: expect.stringMatching(
          /pilih Penurunan jabatan [^,]* \(TURUN_JABATAN_12\), .* \(JADI_PELAKSANA_12\), .* \(PDHTAPS\), atau/,
        ),
      }),
    ]);
    // N03 is sedang: a demotion (berat) is outside it unless berat was recommended; a tukin cut fits.
    const recommending = (discipline?: DisciplineLevel): CaseEvent => ({
      type: 'ViolationConfirmed',
      data: {
        caseId: 'K-1',
        findings: 'terbukti',
        authority: 'BKN',
        recommendation: discipline ? { discipline } : { ethics: 'MORAL_TERBUKA' },
        confirmedAt: '2024-10-01T01:00:00.000Z',
        followUpDueBy: 'x',
      },
    });
    given(caseDecider, [reported('N03'), verified, recommending()])
      .when(sanction())
      .thenFails('SANCTION_LEVEL_MISMATCH');
    given(caseDecider, [reported('N03'), verified, recommending('SEDANG')])
      .when(sanction())
      .thenFails('SANCTION_LEVEL_MISMATCH');
    given(caseDecider, [reported('N03'), verified, recommending('BERAT')])
      .when(sanction())
      .then([imposed(sanction())]);
    given(caseDecider, [reported('N03'), verified, confirmed])
      .when(sanction({ kind: 'POTONG_TUKIN_9' }))
      .then([imposed(sanction({ kind: 'POTONG_TUKIN_9' }))]);
    // N05 ends in PTDH: a discipline sanction instead needs its legal basis.
    given(caseDecider, [reported('N05'), verified, confirmed])
      .when(sanction({ kind: 'TEGURAN_TERTULIS' }))
      .thenFails('SANCTION_LEVEL_MISMATCH');
    const appeal = sanction({
      kind: 'POTONG_TUKIN_12',
      legalBasis: 'Keputusan banding BPASN 7/2025',
    });
    given(caseDecider, [reported('N06'), verified, confirmed])
      .when(appeal)
      .then([imposed(appeal)]);
  });
  it('checks the sanction kind against the catalogue and its track', () => {
    const history = [reported(), verified, confirmed];
    given(caseDecider, history)
      .when(sanction({ kind: 'HUKUMAN_MATI' }))
      .thenFails('SANCTION_UNKNOWN', 'INVALID');
    given(caseDecider, history)
      .when(sanction({ track: 'ETHICS', kind: 'TEGURAN_LISAN' }))
      .thenFails('SANCTION_TRACK_MISMATCH');
    given(caseDecider, history)
      .when(sanction({ effectiveUntil: '2024-09-01' }))
      .thenFails('DATE_ORDER');
    // A decree may take effect before the day it is signed (retroactively, "terhitung mulai tanggal").
    given(caseDecider, history)
      .when(sanction({ decidedAt: '2024-10-01', effectiveFrom: '2024-09-30' }))
      .then([expect.objectContaining({ type: 'SanctionImposed' })]);
    // Decided tomorrow (the regency's today is 2024-10-01): a decree cannot be dated ahead.
    const ahead = given(caseDecider, history)
      .when(sanction({ decidedAt: '2024-10-02' }))
      .thenFails('DECIDED_AT_IN_FUTURE', 'INVALID');
    expect(ahead.details).toEqual([expect.objectContaining({ field: 'decidedAt' })]);
  });
  it('checks the fields of a decision that are given, whatever the case (asked beside other problems)', () => {
    const told = (fields: Parameters<typeof checkSanctionFields>[1]) => {
      const problems = new FieldProblems();
      const kind = checkSanctionFields(problems, fields, '2024-10-01', 480);
      return { kind: kind?.code, problems: problems.all.map((p) => `${p.field} ${p.code}`) };
    };
    // No track: nothing to fit the kind to, and no kind is returned for the case's rules to judge.
    expect(told({ kind: 'TEGURAN_LISAN', effectiveFrom: '2024-10-01' })).toEqual({
      kind: undefined,
      problems: [],
    });
    expect(told({ track: 'DISCIPLINE', kind: 'TEGURAN_LISAN' })).toEqual({
      kind: 'TEGURAN_LISAN',
      problems: [],
    });
    // An end without its start has no order to break.
    expect(told({ effectiveUntil: '2024-09-01', decidedAt: '2024-10-02' })).toEqual({
      kind: undefined,
      problems: ['decidedAt DECIDED_AT_IN_FUTURE'],
    });
  });
  it('allows PTDH only for N05 or with a legal basis, and contract termination only for PPPK', () => {
    const ptdh = sanction({ track: 'DISMISSAL', kind: 'PTDH' });
    given(caseDecider, [reported(), verified, confirmed])
      .when(ptdh)
      .thenFails('PTDH_NOT_ALLOWED', 'INVALID');
    given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ track: 'DISMISSAL', kind: 'PTDH', legalBasis: '   ' }))
      .thenFails('PTDH_NOT_ALLOWED', 'INVALID');
    // One 400 lists it beside the other field problems, so the form shows them all at once: first those
    // of the decision's own fields (checkSanctionFields), then those of the case.
    const both = given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ track: 'DISMISSAL', kind: 'PTDH', effectiveFrom: '1024-10-01' }))
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(both.details?.map((d) => [d.field, d.code])).toEqual([
      ['effectiveFrom', 'DATE_IMPLAUSIBLE'],
      ['legalBasis', 'PTDH_NOT_ALLOWED'],
    ]);
    given(caseDecider, [reported(), verified, confirmed])
      .when(
        sanction({ track: 'DISMISSAL', kind: 'PTDH', legalBasis: 'Putusan pengadilan 12/2024' }),
      )
      .then([
        imposed(
          sanction({
            track: 'DISMISSAL',
            kind: 'PTDH',
            legalBasis: 'Putusan pengadilan 12/2024',
          }),
        ),
      ]);
    given(caseDecider, [reported('N05'), verified, confirmed])
      .when(ptdh)
      .then([imposed(ptdh)]);
    given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ track: 'DISMISSAL', kind: 'PPPK_PUTUS_KONTRAK' }, 'PNS'))
      .thenFails('NOT_PPPK');
    given(caseDecider, [reported(), verified, confirmed])
      .when(sanction({ kind: 'PDHTAPS' }, 'PPPK'))
      .thenFails('NOT_PNS');
  });
  it("ends a PPPK's contract only for a heavy act, a heavy recommendation or with a legal basis", () => {
    const end = (over: Partial<ImposeSanction['data']> = {}) =>
      sanction({ track: 'DISMISSAL', kind: 'PPPK_PUTUS_KONTRAK', ...over }, 'PPPK');
    // N06 is berat, N05 leads to PTDH: either ends the contract.
    for (const act of ['N06', 'N05']) {
      given(caseDecider, [reported(act), verified, confirmed])
        .when(end())
        .then([imposed(end())]);
    }
    // N03 is sedang, and nothing heavier was recommended: refused, naming the field to fill in…
    given(caseDecider, [reported('N03'), verified, confirmedNoDiscipline])
      .when(end())
      .thenFails('PPPK_TERMINATION_NOT_ALLOWED');
    // …unless the decision names its legal basis, or the recommendation was berat.
    const based = end({ legalBasis: 'Putusan PTUN 5/2024' });
    given(caseDecider, [reported('N03'), verified, confirmedNoDiscipline])
      .when(based)
      .then([imposed(based)]);
    given(caseDecider, [reported('N03'), verified, confirmed]) // recommended: berat
      .when(end())
      .then([imposed(end())]);
  });
  it('judges a case by the act catalogue it was reported under, not a later one', () => {
    // A later decree that makes N03 berat: a case reported under SKB-2022 keeps N03 sedang.
    const catalogues = ACT_CATALOGUES as Record<string, readonly ViolationAct[]>;
    catalogues['SKB-2099'] = [{ code: 'N03', description: 'N03 (uji)', discipline: 'BERAT' }];
    try {
      const under = (version: string): CaseEvent => {
        const event = reported('N03');
        return { ...event, data: { ...event.data, actCatalogueVersion: version } } as CaseEvent;
      };
      const demotion = sanction({ kind: 'TURUN_JABATAN_12' });
      given(caseDecider, [under('SKB-2022'), verified, confirmedNoDiscipline])
        .when(demotion)
        .thenFails('SANCTION_LEVEL_MISMATCH');
      given(caseDecider, [under('SKB-2099'), verified, confirmedNoDiscipline])
        .when(demotion)
        .then([imposed(demotion)]);
    } finally {
      delete catalogues['SKB-2099'];
    }
  });
  it('allows only ethics sanctions for an ethics-only act', () => {
    given(caseDecider, [reported('E02'), verified, confirmed])
      .when(sanction({ kind: 'TEGURAN_LISAN' }))
      .thenFails('ACT_ETHICS_ONLY');
  });
});
