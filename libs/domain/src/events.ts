import type { DomainEvent } from './shared/decider';

/**
 * Every event type of the ledger (DESIGN §4), v1. Once shipped an event type is never edited: a change of
 * meaning is a new type or an upcaster. Each event repeats its aggregate id so projections need no stream
 * name parsing. Instants are ISO 8601 strings (`2024-11-27T08:00:00.000Z`); calendar days are `YYYY-MM-DD`.
 */

export type Role = 'ADMIN' | 'OPD_HEAD' | 'BAWASLU' | 'HR';
export type ElectionKind = 'PEMILU' | 'PILKADA';
export type OpdKind =
  | 'SEKRETARIAT_DAERAH'
  | 'SEKRETARIAT_DPRD'
  | 'INSPEKTORAT'
  | 'DINAS'
  | 'BADAN'
  | 'KECAMATAN'
  | 'KELURAHAN'
  | 'RSUD'
  | 'SATPOL_PP'
  | 'LAINNYA';
export type EmploymentType = 'PNS' | 'PPPK';
export type PledgeRole = 'OPD_HEAD' | 'ASN';
export type CaseSource = 'BAWASLU_FINDING' | 'PUBLIC_REPORT' | 'INTERNAL';
export type RecommendingAuthority = 'KASN' | 'BKN' | 'OTHER';
export type EthicsSanctionKind = 'MORAL_TERTUTUP' | 'MORAL_TERBUKA';
export type DisciplineLevel = 'RINGAN' | 'SEDANG' | 'BERAT' | 'PTDH';
export type SanctionTrack = 'ETHICS' | 'DISCIPLINE' | 'DISMISSAL';
export type CertificateSubjectType = 'OPD' | 'ASN';

// election-{electionId}
export type ElectionScheduled = DomainEvent<
  'ElectionScheduled',
  {
    electionId: string;
    name: string;
    kind: ElectionKind;
    regionCode: string;
    votingDay: string; // YYYY-MM-DD
    monitoringFrom: string; // YYYY-MM-DD, first day of monitoring
    monitoringUntil: string; // YYYY-MM-DD, last day of monitoring
  }
>;
export type ElectionEvent = ElectionScheduled;

// opd-{opdId}
export type OpdRegistered = DomainEvent<
  'OpdRegistered',
  {
    opdId: string;
    code: string;
    name: string;
    kind: OpdKind;
    regionCode: string;
    parentOpdId?: string;
  }
>;
export type OpdRenamed = DomainEvent<
  'OpdRenamed',
  { opdId: string; name: string; previousName: string }
>;
export type OpdHeadAppointed = DomainEvent<
  'OpdHeadAppointed',
  { opdId: string; nip: string; previousNip?: string; appointedAt: string }
>;
export type OpdDissolved = DomainEvent<
  'OpdDissolved',
  { opdId: string; reason: string; dissolvedAt: string }
>;
export type OpdEvent = OpdRegistered | OpdRenamed | OpdHeadAppointed | OpdDissolved;

// opdcode-{normalised code}: which OPD holds a code, so two registrations with one code cannot both win
// (the first append to the stream does; the other sees the claim and is refused).
export type OpdCodeClaimed = DomainEvent<
  'OpdCodeClaimed',
  { code: string; opdId: string; claimedAt: string }
>;
export type OpdCodeEvent = OpdCodeClaimed;

// asn-{nip}
export type AsnEnrolled = DomainEvent<
  'AsnEnrolled',
  { nip: string; name: string; position: string; employmentType: EmploymentType; opdId: string }
>;
export type AsnTransferred = DomainEvent<
  'AsnTransferred',
  { nip: string; fromOpdId: string; toOpdId: string; transferredAt: string }
>;
export type AsnLeft = DomainEvent<
  'AsnLeft',
  { nip: string; opdId: string; reason: string; leftAt: string }
>;
/** A correction or update of an enrolled ASN's name or position (a typo, a promotion in a newer SIASN
 * export): the new values, what they replace, and why. The NIP and the employment type never change (a
 * PNS appointed as PPPK has another NIP). */
export type AsnDetailsChanged = DomainEvent<
  'AsnDetailsChanged',
  {
    nip: string;
    name: string;
    position: string;
    previous: { name: string; position: string };
    reason: string;
    changedAt: string;
  }
>;
export type AsnEvent = AsnEnrolled | AsnTransferred | AsnLeft | AsnDetailsChanged;

// pledge-{electionId}-{nip}
export type PledgeSigned = DomainEvent<
  'PledgeSigned',
  {
    electionId: string;
    nip: string;
    opdId: string;
    role: PledgeRole;
    textVersion: string;
    textSha256: string;
    signedAt: string; // instant the pledge was signed on paper / in the form
    place: string;
    witnesses: string[];
    documentSha256?: string; // scanned signed document, when uploaded
    submittedBy: string; // userId of the submitter
    late: boolean; // signed on or after the election's monitoringFrom day
  }
>;
export type PledgeVoided = DomainEvent<
  'PledgeVoided',
  { electionId: string; nip: string; opdId: string; reason: string; voidedAt: string }
>;
export type PledgeEvent = PledgeSigned | PledgeVoided;

// case-{caseId}
export interface Evidence {
  sha256: string;
  description: string;
}
export type ViolationReported = DomainEvent<
  'ViolationReported',
  {
    caseId: string;
    electionId: string;
    nip: string;
    opdId: string; // the ASN's OPD when reported
    source: CaseSource;
    actCode: string; // catalogue code, e.g. N06
    actCatalogueVersion: string;
    occurredAt: string;
    summary: string;
    evidence: Evidence[];
    reportedAt: string;
    verificationDueBy: string; // reportedAt + SLA verification days
  }
>;
export type CaseVerified = DomainEvent<
  'CaseVerified',
  { caseId: string; note?: string; verifiedAt: string; reviewDueBy: string }
>;
export type ViolationConfirmed = DomainEvent<
  'ViolationConfirmed',
  {
    caseId: string;
    findings: string;
    authority: RecommendingAuthority;
    recommendation: { ethics?: EthicsSanctionKind; discipline?: DisciplineLevel };
    confirmedAt: string;
    followUpDueBy: string; // confirmedAt + SLA follow-up days: PPK decision expected by then
  }
>;
export type ViolationDismissed = DomainEvent<
  'ViolationDismissed',
  { caseId: string; reason: string; dismissedAt: string }
>;
export type SanctionImposed = DomainEvent<
  'SanctionImposed',
  {
    caseId: string;
    track: SanctionTrack;
    kind: string; // sanction catalogue code, e.g. TEGURAN_TERTULIS
    decreeNumber: string;
    decidedBy: string; // the PPK (name / office) who signed the decree
    decidedAt: string; // YYYY-MM-DD of the decree
    effectiveFrom: string;
    effectiveUntil?: string;
    legalBasis?: string; // required for PTDH outside N05 and for a discipline level other than the act's
    /** The sanction catalogue the kind was checked against (SANCTION_CATALOGUE_VERSION); absent on events
     * recorded before it was kept. */
    sanctionCatalogueVersion?: string;
    recordedAt: string;
  }
>;
export type CaseEvent =
  ViolationReported | CaseVerified | ViolationConfirmed | ViolationDismissed | SanctionImposed;

// certificate-{certificateId}
export type CertificateIssued = DomainEvent<
  'CertificateIssued',
  {
    certificateId: string;
    subjectType: CertificateSubjectType;
    subjectId: string; // opdId or NIP
    opdId: string; // the OPD concerned (the subject itself, or the ASN's OPD)
    electionId: string;
    checkpoint: { treeSize: number; rootHash: string }; // rootHash base64
    pdfSha256: string; // hex
    signerFingerprint: string; // SHA-256 of the signer certificate (hex)
    issuedAt: string;
  }
>;
export type CertificateRevoked = DomainEvent<
  'CertificateRevoked',
  { certificateId: string; reason: string; caseId?: string; revokedAt: string }
>;
export type CertificateEvent = CertificateIssued | CertificateRevoked;

// user-{userId}
export type UserRegistered = DomainEvent<
  'UserRegistered',
  { userId: string; username: string; displayName: string; role: Role; opdId?: string }
>;
export type UserRoleChanged = DomainEvent<
  'UserRoleChanged',
  { userId: string; role: Role; opdId?: string; previousRole: Role; previousOpdId?: string }
>;
export type UserDeactivated = DomainEvent<'UserDeactivated', { userId: string; reason: string }>;
export type UserEvent = UserRegistered | UserRoleChanged | UserDeactivated;

export type LedgerEvent =
  | ElectionEvent
  | OpdEvent
  | OpdCodeEvent
  | AsnEvent
  | PledgeEvent
  | CaseEvent
  | CertificateEvent
  | UserEvent;

export type LedgerEventType = LedgerEvent['type'];

/**
 * Every event type in words, as officials read a history: the audit explorer's filter and timelines. A
 * record over `LedgerEventType`, so a new event type does not compile until it is named here too.
 */
export const EVENT_TYPE_LABELS: Readonly<Record<LedgerEventType, string>> = {
  ElectionScheduled: 'Pemilihan dijadwalkan',
  OpdRegistered: 'OPD didaftarkan',
  OpdRenamed: 'Nama OPD diubah',
  OpdHeadAppointed: 'Kepala OPD diangkat',
  OpdDissolved: 'OPD dibubarkan',
  OpdCodeClaimed: 'Kode OPD dicatat untuk sebuah OPD',
  AsnEnrolled: 'ASN didaftarkan di OPD',
  AsnTransferred: 'ASN dipindahkan ke OPD lain',
  AsnLeft: 'ASN tercatat keluar',
  AsnDetailsChanged: 'Nama atau jabatan ASN dikoreksi',
  PledgeSigned: 'Pakta integritas ditandatangani',
  PledgeVoided: 'Pakta integritas dibatalkan',
  ViolationReported: 'Pelanggaran dilaporkan',
  CaseVerified: 'Kasus diverifikasi',
  ViolationConfirmed: 'Pelanggaran dinyatakan terbukti, rekomendasi diberikan',
  ViolationDismissed: 'Kasus dihentikan',
  SanctionImposed: 'Keputusan sanksi PPK dicatat',
  CertificateIssued: 'Sertifikat kepatuhan diterbitkan',
  CertificateRevoked: 'Sertifikat kepatuhan dicabut',
  UserRegistered: 'Pengguna dibuat',
  UserRoleChanged: 'Peran pengguna diubah',
  UserDeactivated: 'Pengguna dinonaktifkan',
};

/** Every event type the ledger writes, in EVENT_TYPE_LABELS's order. */
export const LEDGER_EVENT_TYPES = Object.keys(EVENT_TYPE_LABELS) as LedgerEventType[];

/** Stream names (DESIGN §4). */
export const streams = {
  election: (electionId: string) => `election-${electionId}`,
  opd: (opdId: string) => `opd-${opdId}`,
  /** Not under `opd-`: readers that fold every `opd-*` stream must not see the claims. */
  opdCode: (normalisedCode: string) => `opdcode-${normalisedCode}`,
  asn: (nip: string) => `asn-${nip}`,
  pledge: (electionId: string, nip: string) => `pledge-${electionId}-${nip}`,
  case: (caseId: string) => `case-${caseId}`,
  certificate: (certificateId: string) => `certificate-${certificateId}`,
  user: (userId: string) => `user-${userId}`,
} as const;
