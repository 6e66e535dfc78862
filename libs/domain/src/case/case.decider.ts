import { ACT_CATALOGUE_VERSION, findAct } from '../catalogue/acts';
import {
  findSanction,
  SANCTION_CATALOGUE_VERSION,
  SANCTION_KINDS,
  type SanctionKind,
} from '../catalogue/sanctions';
import type {
  CaseEvent,
  CaseSource,
  DisciplineLevel,
  EmploymentType,
  EthicsSanctionKind,
  Evidence,
  RecommendingAuthority,
  SanctionTrack,
  ViolationReported,
} from '../events';
import { addDays, addWorkingDays, regencyDayOf, tanggal } from '../shared/calendar';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/domain-error';
import { checkPlausibleDay } from '../shared/plausibility';
import { FieldProblems } from '../shared/rules';

/** SLA lengths, from configuration. */
export interface CaseSla {
  verificationDays: number;
  reviewWorkingDays: number;
  followUpDays: number;
}

export type ReportViolation = {
  type: 'ReportViolation';
  data: {
    caseId: string;
    electionId: string;
    nip: string;
    source: CaseSource;
    actCode: string;
    occurredAt: string;
    summary: string;
    evidence: Evidence[];
  };
  context: {
    electionExists: boolean;
    asn: { status: 'active' | 'left'; opdId: string } | null;
    sla: CaseSla;
  };
  metadata: CommandMetadata;
};
export type VerifyCase = {
  type: 'VerifyCase';
  data: { note?: string };
  context: { sla: CaseSla };
  metadata: CommandMetadata;
};
export type ConfirmViolation = {
  type: 'ConfirmViolation';
  data: {
    findings: string;
    authority: RecommendingAuthority;
    recommendation: { ethics?: EthicsSanctionKind; discipline?: DisciplineLevel };
  };
  context: { sla: CaseSla };
  metadata: CommandMetadata;
};
export type DismissViolation = {
  type: 'DismissViolation';
  data: { reason: string };
  metadata: CommandMetadata;
};
export type ImposeSanction = {
  type: 'ImposeSanction';
  data: {
    track: SanctionTrack;
    kind: string;
    decreeNumber: string;
    decidedBy: string;
    decidedAt: string;
    effectiveFrom: string;
    effectiveUntil?: string;
    legalBasis?: string;
  };
  context: { employmentType: EmploymentType | null };
  metadata: CommandMetadata;
};
export type CaseCommand =
  ReportViolation | VerifyCase | ConfirmViolation | DismissViolation | ImposeSanction;

export type CaseStatus = 'REPORTED' | 'VERIFIED' | 'CONFIRMED' | 'DISMISSED' | 'SANCTIONED';

export type Case =
  | { status: 'none' }
  | ({
      status: CaseStatus;
      sanctionedTracks: SanctionTrack[];
      /** When the violation was confirmed (ViolationConfirmed), once it was. */
      confirmedAt?: string;
      /** The discipline level the recommending authority recommended at confirmation, if any. */
      recommendedDiscipline?: DisciplineLevel;
    } & ViolationReported['data']);

/** A case's state as officials read it: in messages, on the pages and in exports. */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  REPORTED: 'Dilaporkan',
  VERIFIED: 'Diverifikasi',
  CONFIRMED: 'Terbukti',
  DISMISSED: 'Dihentikan',
  SANCTIONED: 'Disanksi',
};

const transition = (state: Case, allowed: CaseStatus[], action: string) => {
  if (state.status === 'none') {
    throw notFound('CASE_NOT_FOUND', 'Kasus tidak ditemukan.');
  }
  if (!allowed.includes(state.status)) {
    throw conflict(
      'CASE_INVALID_TRANSITION',
      `Kasus ${state.caseId} berstatus ${CASE_STATUS_LABELS[state.status]}: tidak dapat ${action}.`,
      [{ field: 'status', reason: state.status, code: 'CASE_INVALID_TRANSITION' }],
    );
  }
  return state;
};

/**
 * The rules on the day a reported violation happened (the regency's calendar day of `occurredAt`): not
 * after `today`, and plausible. Also asked by the web form beside its own checks, so an official hears of
 * every problem of the report at once.
 */
export const checkOccurredDay = (problems: FieldProblems, day: string, today: string): void => {
  if (day > today) {
    problems.add('occurredAt', 'waktu kejadian tidak boleh di masa depan', 'OCCURRED_AT_IN_FUTURE');
  } else {
    checkPlausibleDay(problems, 'occurredAt', day, today);
  }
};

/** A problem on `actCode` when the current act catalogue has no such act. */
export const checkActCode = (problems: FieldProblems, actCode: string): void => {
  if (!findAct(actCode)) {
    problems.add(
      'actCode',
      `kode perbuatan ${actCode} tidak ada dalam katalog ${ACT_CATALOGUE_VERSION}`,
      'ACT_UNKNOWN',
    );
  }
};

/**
 * The rules of a sanction decision its own fields answer, whatever the case: the kind exists and fits its
 * track, the days are plausible and in order, the decree is not dated in the future. Each field is checked
 * when given. Returns the kind when it exists and fits the track (the case's rules then judge its level).
 */
export const checkSanctionFields = (
  problems: FieldProblems,
  data: Partial<
    Pick<
      ImposeSanction['data'],
      'track' | 'kind' | 'decidedAt' | 'effectiveFrom' | 'effectiveUntil'
    >
  >,
  today: string,
  utcOffsetMinutes: number,
): SanctionKind | undefined => {
  const dayIn = (value: string) => regencyDayOf(value, utcOffsetMinutes);
  const kind = data.kind === undefined ? undefined : findSanction(data.kind);
  if (data.kind !== undefined && !kind) {
    problems.add('kind', `jenis sanksi ${data.kind} tidak dikenal`, 'SANCTION_UNKNOWN');
  } else if (kind && data.track !== undefined && kind.track !== data.track) {
    problems.add(
      'kind',
      `${data.kind} termasuk jalur ${kind.track}, bukan ${data.track}`,
      'SANCTION_TRACK_MISMATCH',
    );
  }
  if (data.effectiveUntil && data.effectiveFrom && data.effectiveUntil < data.effectiveFrom) {
    problems.add('effectiveUntil', 'tidak boleh sebelum tanggal berlaku mulai', 'DATE_ORDER');
  }
  if (data.decidedAt !== undefined && dayIn(data.decidedAt) > today) {
    problems.add(
      'decidedAt',
      'tanggal keputusan tidak boleh di masa depan',
      'DECIDED_AT_IN_FUTURE',
    );
  }
  if (data.effectiveFrom !== undefined) {
    checkPlausibleDay(problems, 'effectiveFrom', dayIn(data.effectiveFrom), today);
  }
  if (data.effectiveUntil) {
    checkPlausibleDay(problems, 'effectiveUntil', dayIn(data.effectiveUntil), today);
  }
  return kind && kind.track === data.track ? kind : undefined;
};

/** A discipline level as the sentence reads it: "ringan", "sedang", "berat", "PTDH". */
const levelWord = (level: string | undefined): string =>
  level === undefined || level === 'PTDH' ? String(level) : level.toLowerCase();

const decide = (command: CaseCommand, state: Case): CaseEvent[] => {
  const { now, today, utcOffsetMinutes } = command.metadata;
  /** The regency's day of a typed day or instant, or of an instant the ledger recorded (UTC). */
  const dayIn = (value: string) => regencyDayOf(value, utcOffsetMinutes);
  switch (command.type) {
    case 'ReportViolation': {
      const { data, context } = command;
      if (state.status !== 'none') {
        throw conflict('CASE_ALREADY_EXISTS', `Kasus ${data.caseId} sudah ada.`);
      }
      if (!context.electionExists) {
        throw notFound('ELECTION_NOT_FOUND', `Pemilihan ${data.electionId} tidak ditemukan.`);
      }
      if (!context.asn) {
        throw notFound('ASN_NOT_FOUND', `ASN dengan NIP ${data.nip} tidak terdaftar.`);
      }
      const problems = new FieldProblems();
      checkActCode(problems, data.actCode);
      checkOccurredDay(problems, dayIn(data.occurredAt), today);
      problems.throwIfAny();
      return [
        {
          type: 'ViolationReported',
          data: {
            ...data,
            opdId: context.asn.opdId,
            actCatalogueVersion: ACT_CATALOGUE_VERSION,
            reportedAt: now,
            verificationDueBy: addDays(today, context.sla.verificationDays),
          },
        },
      ];
    }
    case 'VerifyCase': {
      const c = transition(state, ['REPORTED'], 'diverifikasi');
      return [
        {
          type: 'CaseVerified',
          data: {
            caseId: c.caseId,
            ...(command.data.note ? { note: command.data.note } : {}),
            verifiedAt: now,
            reviewDueBy: addWorkingDays(today, command.context.sla.reviewWorkingDays),
          },
        },
      ];
    }
    case 'ConfirmViolation': {
      const c = transition(state, ['VERIFIED'], 'dinyatakan terbukti');
      const { recommendation } = command.data;
      const act = findAct(c.actCode, c.actCatalogueVersion);
      if (!recommendation.ethics && !recommendation.discipline) {
        throw invalid(
          'RECOMMENDATION_REQUIRED',
          'Rekomendasi wajib memuat sanksi etik, sanksi disiplin, atau keduanya.',
          [
            {
              field: 'recommendation',
              reason: 'isi ethics dan/atau discipline',
              code: 'RECOMMENDATION_REQUIRED',
            },
          ],
        );
      }
      if (recommendation.discipline && act && act.discipline === null) {
        throw invalid(
          'ACT_ETHICS_ONLY',
          `Perbuatan ${c.actCode} hanya dikenai sanksi etik (sanksi moral).`,
          [
            {
              field: 'recommendation.discipline',
              reason: `perbuatan ${c.actCode} hanya berjalur etik`,
              code: 'ACT_ETHICS_ONLY',
            },
          ],
        );
      }
      return [
        {
          type: 'ViolationConfirmed',
          data: {
            caseId: c.caseId,
            findings: command.data.findings,
            authority: command.data.authority,
            recommendation: { ...recommendation },
            confirmedAt: now,
            followUpDueBy: addDays(today, command.context.sla.followUpDays),
          },
        },
      ];
    }
    case 'DismissViolation': {
      // Dismissal follows the task force's verification, as confirmation does: reported → verified → confirmed |
      // dismissed. A report not yet verified is a 409 naming its state.
      const c = transition(state, ['VERIFIED'], 'dihentikan');
      return [
        {
          type: 'ViolationDismissed',
          data: { caseId: c.caseId, reason: command.data.reason, dismissedAt: now },
        },
      ];
    }
    case 'ImposeSanction': {
      const c = transition(state, ['CONFIRMED', 'SANCTIONED'], 'dijatuhi sanksi');
      const { data } = command;
      const act = findAct(c.actCode, c.actCatalogueVersion);
      const legalBasis = data.legalBasis?.trim();
      const problems = new FieldProblems();
      const kind = checkSanctionFields(problems, data, today, utcOffsetMinutes);
      if (
        kind?.track === 'DISCIPLINE' &&
        act?.discipline &&
        kind.level !== act.discipline &&
        kind.level !== c.recommendedDiscipline &&
        !legalBasis
      ) {
        // The catalogue fixes each act's level (SKB 2022, PP 94/2021 Pasal 5) and the PPK chooses a kind
        // within it, or within the level the recommending authority recommended. A decision outside both
        // (e.g. after an administrative appeal) names its legal basis.
        const within = SANCTION_KINDS.filter(
          (k) => k.level && (k.level === act.discipline || k.level === c.recommendedDiscipline),
        );
        problems.add(
          'kind',
          `${kind.description} (${kind.code}) adalah hukuman disiplin tingkat ${levelWord(kind.level)}, sedangkan perbuatan ${c.actCode} ${act.discipline === 'PTDH' ? 'berujung pemberhentian tidak dengan hormat (jalur DISMISSAL)' : `termasuk pelanggaran tingkat ${levelWord(act.discipline)}`}${c.recommendedDiscipline ? ` dan rekomendasinya tingkat ${levelWord(c.recommendedDiscipline)}` : ''}: ${within.length > 0 ? `pilih ${within.map((k) => `${k.description} (${k.code})`).join(', ')}, ` : ''}atau sertakan dasar hukum (legalBasis) bila keputusan memang berbeda (mis. hasil upaya administratif)`,
          'SANCTION_LEVEL_MISMATCH',
        );
      }
      if (data.kind === 'PTDH' && c.actCode !== 'N05' && !legalBasis) {
        problems.add(
          'legalBasis',
          'wajib untuk PTDH di luar N05: PTDH hanya untuk perbuatan N05 (keanggotaan partai politik), kecuali disertai dasar hukum',
          'PTDH_NOT_ALLOWED',
        );
      }
      // Ending a PPPK's contract is the PPPK's counterpart of the heaviest outcomes (PDHTAPS, PTDH): for
      // an act of level berat or N05, or one recommended so; a lighter act needs its legal basis named.
      const heavy = (level: string | null | undefined) => level === 'BERAT' || level === 'PTDH';
      if (
        data.kind === 'PPPK_PUTUS_KONTRAK' &&
        act?.discipline &&
        !heavy(act.discipline) &&
        !heavy(c.recommendedDiscipline) &&
        !legalBasis
      ) {
        problems.add(
          'legalBasis',
          `wajib untuk pemutusan perjanjian kerja PPPK atas perbuatan ${c.actCode} (pelanggaran tingkat ${levelWord(act.discipline)}): pemutusan hanya untuk perbuatan tingkat berat atau N05, atau rekomendasi tingkat berat, kecuali disertai dasar hukum`,
          'PPPK_TERMINATION_NOT_ALLOWED',
        );
      }
      // Not refused: an effectiveFrom before decidedAt. Personnel decrees do take effect retroactively
      // ("terhitung mulai tanggal", e.g. a dismissal from the end of the month of a court ruling).
      problems.throwIfAny();
      // The PPK decides on a confirmed violation: a decree dated before the day of the confirmation (the
      // regency's day of the instant the ledger recorded) cannot be about it.
      if (c.confirmedAt && dayIn(data.decidedAt) < dayIn(c.confirmedAt)) {
        throw conflict(
          'DECIDED_BEFORE_CONFIRMATION',
          `Tanggal keputusan ${tanggal(dayIn(data.decidedAt))} sebelum pelanggaran kasus ${c.caseId} dinyatakan terbukti (${tanggal(dayIn(c.confirmedAt))}): periksa tanggal keputusan PPK.`,
          [
            {
              field: 'decidedAt',
              reason: `tidak boleh sebelum tanggal konfirmasi ${tanggal(dayIn(c.confirmedAt))}`,
              code: 'DECIDED_BEFORE_CONFIRMATION',
            },
          ],
        );
      }
      if (data.track !== 'ETHICS' && act?.discipline === null) {
        throw conflict(
          'ACT_ETHICS_ONLY',
          `Perbuatan ${c.actCode} hanya dikenai sanksi etik (sanksi moral).`,
        );
      }
      if (data.kind === 'PPPK_PUTUS_KONTRAK' && command.context.employmentType !== 'PPPK') {
        throw conflict('NOT_PPPK', 'Pemutusan perjanjian kerja hanya untuk ASN berstatus PPPK.');
      }
      if (data.kind === 'PDHTAPS' && command.context.employmentType === 'PPPK') {
        throw conflict(
          'NOT_PNS',
          'PDHTAPS hanya untuk PNS; untuk PPPK gunakan PPPK_PUTUS_KONTRAK.',
        );
      }
      const track = data.track === 'DISMISSAL' ? 'DISCIPLINE' : data.track;
      if (c.sanctionedTracks.some((t) => (t === 'DISMISSAL' ? 'DISCIPLINE' : t) === track)) {
        throw conflict(
          'SANCTION_ALREADY_IMPOSED',
          `Kasus ${c.caseId} sudah memiliki sanksi ${track === 'ETHICS' ? 'etik' : 'disiplin'}.`,
        );
      }
      return [
        {
          type: 'SanctionImposed',
          data: {
            caseId: c.caseId,
            ...data,
            sanctionCatalogueVersion: SANCTION_CATALOGUE_VERSION,
            recordedAt: now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: Case, event: CaseEvent): Case => {
  if (event.type === 'ViolationReported') {
    return { status: 'REPORTED', sanctionedTracks: [], ...event.data };
  }
  if (state.status === 'none') {
    return state;
  }
  switch (event.type) {
    case 'CaseVerified':
      return { ...state, status: 'VERIFIED' };
    case 'ViolationConfirmed':
      return {
        ...state,
        status: 'CONFIRMED',
        confirmedAt: event.data.confirmedAt,
        ...(event.data.recommendation.discipline
          ? { recommendedDiscipline: event.data.recommendation.discipline }
          : {}),
      };
    case 'ViolationDismissed':
      return { ...state, status: 'DISMISSED' };
    case 'SanctionImposed':
      return {
        ...state,
        status: 'SANCTIONED',
        sanctionedTracks: [...state.sanctionedTracks, event.data.track],
      };
    default:
      return assertNever(event);
  }
};

export const caseDecider: Decider<Case, CaseCommand, CaseEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
