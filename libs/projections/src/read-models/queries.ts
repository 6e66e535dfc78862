import { coveragePercent, coverageReaches } from './coverage';
import type Database from 'better-sqlite3';

export type ComplianceStatus = 'PATUH' | 'PERLU_TINDAK_LANJUT' | 'TIDAK_PATUH';

export interface ComplianceRow {
  opdId: string;
  opdName: string;
  opdCode: string;
  electionId: string;
  status: ComplianceStatus;
  reasons: string[];
  activeAsn: number;
  pledged: number;
  missing: number;
  coverage: number;
  headNip: string | null;
  headPledged: boolean;
  headPledgedAt: string | null;
  lateSigners: number;
  openCases: number;
  confirmedViolations: number;
  sanctionsPending: number;
  sanctionsOverdue: number;
  casesOverdue: number;
}

interface CaseRow {
  case_id: string;
  election_id: string;
  nip: string;
  asn_name: string | null;
  opd_id: string;
  act_code: string;
  source: string;
  summary: string;
  status: string;
  reported_at: string;
  verification_due: string;
  verified_at: string | null;
  review_due: string | null;
  confirmed_at: string | null;
  follow_up_due: string | null;
  closed_at: string | null;
  recommendation: string | null;
  sanctions: string;
  timeline: string;
}

/** What is still owed on a case, and whether it is late, as of `today` (YYYY-MM-DD). */
export const caseClock = (c: CaseRow, today: string) => {
  const sanctions = JSON.parse(c.sanctions) as { track: string }[];
  const recommendation = c.recommendation
    ? (JSON.parse(c.recommendation) as { ethics?: string; discipline?: string })
    : {};
  const has = (track: 'ETHICS' | 'DISCIPLINE') =>
    sanctions.some((s) => (s.track === 'DISMISSAL' ? 'DISCIPLINE' : s.track) === track);
  const confirmed = c.status === 'CONFIRMED' || c.status === 'SANCTIONED';
  const pending =
    confirmed &&
    ((recommendation.ethics !== undefined && !has('ETHICS')) ||
      (recommendation.discipline !== undefined && !has('DISCIPLINE')));
  const stage =
    c.status === 'REPORTED'
      ? { clock: 'VERIFICATION', dueBy: c.verification_due }
      : c.status === 'VERIFIED'
        ? { clock: 'REVIEW', dueBy: c.review_due }
        : pending
          ? { clock: 'FOLLOW_UP', dueBy: c.follow_up_due }
          : { clock: null, dueBy: null };
  const overdue = stage.dueBy !== null && today > stage.dueBy;
  return { clock: stage.clock, dueBy: stage.dueBy, overdue, sanctionPending: pending, confirmed };
};

/** `column = ?` for each filter that is set (a fixed column name, the value bound), ANDed by the caller. */
const equalities = (filters: [column: string, value: string | undefined][]) => {
  const set = filters.filter((f): f is [string, string] => f[1] !== undefined);
  return {
    clauses: set.map(([column]) => `${column} = ?`),
    params: set.map(([, value]) => value) as unknown[],
  };
};

const caseView = (c: CaseRow, today: string) => {
  const clock = caseClock(c, today);
  return {
    caseId: c.case_id,
    electionId: c.election_id,
    nip: c.nip,
    asnName: c.asn_name,
    opdId: c.opd_id,
    actCode: c.act_code,
    source: c.source,
    summary: c.summary,
    status: c.status,
    reportedAt: c.reported_at,
    verificationDueBy: c.verification_due,
    reviewDueBy: c.review_due,
    followUpDueBy: c.follow_up_due,
    recommendation: c.recommendation ? (JSON.parse(c.recommendation) as unknown) : null,
    sanctions: JSON.parse(c.sanctions) as unknown[],
    sla: { clock: clock.clock, dueBy: clock.dueBy, overdue: clock.overdue },
    sanctionPending: clock.sanctionPending,
  };
};

export interface CertificateRow {
  certificate_id: string;
  subject_type: 'OPD' | 'ASN';
  subject_id: string;
  opd_id: string;
  election_id: string;
  pdf_sha256: string;
  signer_fingerprint: string;
  checkpoint_size: number;
  checkpoint_root: string;
  issued_at: string;
  position: string;
  status: 'VALID' | 'REVOKED';
  revoked_reason: string | null;
  revoked_case_id: string | null;
  revoked_at: string | null;
}

export interface Page {
  page: number;
  pageSize: number;
}

/**
 * Queries over the read models. Deadlines are evaluated against `today` at query time, so overdue cases and
 * statuses are right as time passes, not only when an event arrives.
 */
/** An election as the pages and queries show it. */
export interface ElectionRow {
  electionId: string;
  name: string;
  kind: string;
  votingDay: string;
  monitoringFrom: string;
  monitoringUntil: string;
}
const ELECTION_COLUMNS =
  'election_id AS electionId, name, kind, voting_day AS votingDay, monitoring_from AS monitoringFrom, monitoring_until AS monitoringUntil';

export class ReadModelQueries {
  constructor(
    private readonly db: Database.Database,
    private readonly minCoveragePercent: number,
  ) {}

  election(electionId: string) {
    return this.db
      .prepare(`SELECT ${ELECTION_COLUMNS} FROM rm_elections WHERE election_id = ?`)
      .get(electionId) as ElectionRow | undefined;
  }

  elections() {
    return this.db
      .prepare(`SELECT ${ELECTION_COLUMNS} FROM rm_elections ORDER BY voting_day DESC`)
      .all() as ElectionRow[];
  }

  opd(opdId: string) {
    return this.db
      .prepare(
        'SELECT opd_id AS opdId, code, name, kind, head_nip AS headNip, status FROM rm_opds WHERE opd_id = ?',
      )
      .get(opdId) as
      | {
          opdId: string;
          code: string;
          name: string;
          kind: string;
          headNip: string | null;
          status: string;
        }
      | undefined;
  }

  /** The OPD registry: every OPD by code, with its head's name and its active ASN count. */
  opds() {
    return this.db
      .prepare(
        `SELECT o.opd_id AS opdId, o.code, o.name, o.kind, o.status, o.head_nip AS headNip,
           h.name AS headName, COALESCE(c.active_asn, 0) AS activeAsn
         FROM rm_opds o LEFT JOIN rm_asn h ON h.nip = o.head_nip
         LEFT JOIN rm_opd_counts c ON c.opd_id = o.opd_id
         ORDER BY o.code, o.name`,
      )
      .all() as {
      opdId: string;
      code: string;
      name: string;
      kind: string;
      status: string;
      headNip: string | null;
      headName: string | null;
      activeAsn: number;
    }[];
  }

  /** Compliance rows of every active OPD (or one), computed from counters and the OPD's cases. */
  compliance(electionId: string, today: string, opdId?: string): ComplianceRow[] {
    const election = this.election(electionId);
    if (!election) {
      return [];
    }
    const opds = this.db
      .prepare(
        `SELECT o.opd_id, o.name, o.code, o.head_nip, COALESCE(c.active_asn, 0) AS active_asn,
                COALESCE(p.pledged, 0) AS pledged, COALESCE(p.late, 0) AS late,
                hp.signed_at AS head_signed_at
         FROM rm_opds o
         LEFT JOIN rm_opd_counts c ON c.opd_id = o.opd_id
         LEFT JOIN rm_pledge_counts p ON p.election_id = ? AND p.opd_id = o.opd_id
         LEFT JOIN rm_pledges hp ON hp.election_id = ? AND hp.nip = o.head_nip AND hp.status = 'SIGNED'
         WHERE o.status = 'ACTIVE' ${opdId ? 'AND o.opd_id = ?' : ''}`,
      )
      .all(electionId, electionId, ...(opdId ? [opdId] : [])) as {
      opd_id: string;
      name: string;
      code: string;
      head_nip: string | null;
      active_asn: number;
      pledged: number;
      late: number;
      head_signed_at: string | null;
    }[];
    const cases = this.db
      .prepare(`SELECT * FROM rm_cases WHERE election_id = ? ${opdId ? 'AND opd_id = ?' : ''}`)
      .all(electionId, ...(opdId ? [opdId] : [])) as CaseRow[];
    const casesByOpd = new Map<string, CaseRow[]>();
    for (const c of cases) {
      casesByOpd.set(c.opd_id, [...(casesByOpd.get(c.opd_id) ?? []), c]);
    }
    const monitoringStarted = today >= election.monitoringFrom;
    return opds.map((o) => {
      const clocks = (casesByOpd.get(o.opd_id) ?? []).map((c) => ({
        c,
        clock: caseClock(c, today),
      }));
      const openCases = clocks.filter(
        ({ c }) => c.status === 'REPORTED' || c.status === 'VERIFIED',
      ).length;
      const confirmedViolations = clocks.filter(({ clock }) => clock.confirmed).length;
      const sanctionsPending = clocks.filter(({ clock }) => clock.sanctionPending).length;
      const sanctionsOverdue = clocks.filter(
        ({ clock }) => clock.sanctionPending && clock.overdue,
      ).length;
      const casesOverdue = clocks.filter(
        ({ clock }) => clock.overdue && !clock.sanctionPending,
      ).length;
      const coverage = coveragePercent(o.pledged, o.active_asn, this.minCoveragePercent);
      const coverageMet = coverageReaches(o.pledged, o.active_asn, this.minCoveragePercent);
      const headPledged = o.head_signed_at !== null;
      const missing = Math.max(0, o.active_asn - o.pledged);
      const reasons: string[] = [];
      let status: ComplianceStatus;
      if (sanctionsOverdue > 0 || (!headPledged && monitoringStarted)) {
        status = 'TIDAK_PATUH';
        if (sanctionsOverdue > 0) {
          reasons.push(
            `${sanctionsOverdue} keputusan sanksi PPK melewati batas waktu tindak lanjut`,
          );
        }
        if (!headPledged && monitoringStarted) {
          reasons.push(
            o.head_nip
              ? 'Kepala OPD belum menandatangani pakta integritas padahal masa pengawasan sudah dimulai'
              : 'Kepala OPD belum ditetapkan',
          );
        }
      } else if (
        headPledged &&
        coverageMet &&
        sanctionsPending === 0 &&
        casesOverdue === 0 &&
        o.active_asn > 0
      ) {
        status = 'PATUH';
      } else {
        status = 'PERLU_TINDAK_LANJUT';
        if (!headPledged) {
          reasons.push(
            o.head_nip
              ? 'Kepala OPD belum menandatangani pakta integritas'
              : 'Kepala OPD belum ditetapkan',
          );
        }
        if (o.active_asn === 0) {
          reasons.push('Belum ada ASN aktif terdaftar');
        }
      }
      if (status !== 'PATUH') {
        if (missing > 0 && !coverageMet) {
          reasons.push(
            `${missing} ASN belum menandatangani pakta integritas (cakupan ${coverage}%)`,
          );
        }
        if (sanctionsPending - sanctionsOverdue > 0) {
          reasons.push(
            `${sanctionsPending - sanctionsOverdue} pelanggaran terbukti menunggu keputusan sanksi PPK`,
          );
        }
        if (casesOverdue > 0) {
          reasons.push(`${casesOverdue} kasus melewati batas waktu verifikasi atau kajian`);
        }
      }
      return {
        opdId: o.opd_id,
        opdName: o.name,
        opdCode: o.code,
        electionId,
        status,
        reasons,
        activeAsn: o.active_asn,
        pledged: o.pledged,
        missing,
        coverage,
        headNip: o.head_nip,
        headPledged,
        headPledgedAt: o.head_signed_at,
        lateSigners: o.late,
        openCases,
        confirmedViolations,
        sanctionsPending,
        sanctionsOverdue,
        casesOverdue,
      };
    });
  }

  /** Who pledged, who is missing, who was late, for one OPD. */
  roster(
    electionId: string,
    opdId: string,
    filter: 'all' | 'pledged' | 'missing' | 'late',
    page: Page,
  ) {
    const where =
      filter === 'pledged'
        ? "AND p.status = 'SIGNED'"
        : filter === 'missing'
          ? "AND (p.status IS NULL OR p.status <> 'SIGNED')"
          : filter === 'late'
            ? "AND p.status = 'SIGNED' AND p.late = 1"
            : '';
    const base = `FROM rm_asn a LEFT JOIN rm_pledges p ON p.election_id = ? AND p.nip = a.nip
                  WHERE a.opd_id = ? AND a.status = 'ACTIVE' ${where}`;
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n ${base}`).get(electionId, opdId) as { n: number }
    ).n;
    const items = this.db
      .prepare(
        `SELECT a.nip, a.name, a.position, a.employment_type AS employmentType,
                CASE WHEN p.status = 'SIGNED' THEN 1 ELSE 0 END AS pledged, p.signed_at AS signedAt, p.place,
                COALESCE(p.late, 0) AS late, p.role
         ${base} ORDER BY pledged, a.name LIMIT ? OFFSET ?`,
      )
      .all(electionId, opdId, page.pageSize, (page.page - 1) * page.pageSize) as {
      nip: string;
      name: string;
      position: string;
      employmentType: string;
      pledged: number;
      signedAt: string | null;
      place: string | null;
      late: number;
      role: string | null;
    }[];
    return {
      total,
      items: items.map((i) => ({ ...i, pledged: i.pledged === 1, late: i.late === 1 })),
    };
  }

  cases(
    filter: {
      electionId?: string;
      opdId?: string;
      status?: string;
      actCode?: string;
      overdue?: boolean;
      sanctionPending?: boolean;
    },
    today: string,
    page: Page,
  ) {
    const rows = this.caseRows([
      ['election_id', filter.electionId],
      ['opd_id', filter.opdId],
      ['status', filter.status],
      ['act_code', filter.actCode],
    ]);
    let views = rows.map((c) => caseView(c, today));
    if (filter.overdue !== undefined) {
      views = views.filter((v) => v.sla.overdue === filter.overdue);
    }
    if (filter.sanctionPending !== undefined) {
      views = views.filter((v) => v.sanctionPending === filter.sanctionPending);
    }
    // Overdue first, then the nearest deadline, then the newest.
    views.sort(
      (a, b) =>
        Number(b.sla.overdue) - Number(a.sla.overdue) ||
        (a.sla.dueBy ?? '9999').localeCompare(b.sla.dueBy ?? '9999') ||
        b.reportedAt.localeCompare(a.reportedAt),
    );
    const start = (page.page - 1) * page.pageSize;
    return { total: views.length, items: views.slice(start, start + page.pageSize) };
  }

  /** How many cases (of one OPD, or all) are past their deadline and how many wait for a sanction: one pass. */
  caseAlerts(today: string, opdId?: string) {
    const clocks = this.caseRows([['opd_id', opdId]]).map((c) => caseClock(c, today));
    return {
      overdue: clocks.filter((c) => c.overdue).length,
      sanctionPending: clocks.filter((c) => c.sanctionPending).length,
    };
  }

  /** The cases matching every filter that is set, newest first. */
  private caseRows(filters: [column: string, value: string | undefined][]): CaseRow[] {
    const { clauses, params } = equalities(filters);
    return this.db
      .prepare(
        `SELECT * FROM rm_cases ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY reported_at DESC`,
      )
      .all(...params) as CaseRow[];
  }

  caseDetail(caseId: string, today: string) {
    const row = this.db.prepare('SELECT * FROM rm_cases WHERE case_id = ?').get(caseId) as
      CaseRow | undefined;
    return row
      ? { ...caseView(row, today), timeline: JSON.parse(row.timeline) as unknown[] }
      : undefined;
  }

  certificate(certificateId: string) {
    return this.db
      .prepare('SELECT * FROM rm_certificates WHERE certificate_id = ?')
      .get(certificateId) as CertificateRow | undefined;
  }

  certificateBySha256(sha256: string) {
    return this.db.prepare('SELECT * FROM rm_certificates WHERE pdf_sha256 = ?').get(sha256) as
      CertificateRow | undefined;
  }

  certificates(
    filter: {
      electionId?: string;
      opdId?: string;
      subjectType?: string;
      subjectId?: string;
      status?: string;
    },
    page: Page,
  ) {
    const { clauses, params } = equalities([
      ['election_id', filter.electionId],
      ['opd_id', filter.opdId],
      ['subject_type', filter.subjectType],
      ['subject_id', filter.subjectId],
      ['status', filter.status],
    ]);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM rm_certificates ${where}`).get(...params) as {
        n: number;
      }
    ).n;
    const items = this.db
      .prepare(`SELECT * FROM rm_certificates ${where} ORDER BY issued_at DESC LIMIT ? OFFSET ?`)
      .all(...params, page.pageSize, (page.page - 1) * page.pageSize) as CertificateRow[];
    return { total, items };
  }

  /** Certificates a confirmed violation invalidates: valid, same election, issued before it. */
  certificatesToRevoke(electionId: string, nip: string, opdId: string, before: bigint) {
    return (
      this.db
        .prepare(
          `SELECT * FROM rm_certificates WHERE status = 'VALID' AND election_id = ?
           AND ((subject_type = 'ASN' AND subject_id = ?) OR (subject_type = 'OPD' AND subject_id = ?))`,
        )
        .all(electionId, nip, opdId) as CertificateRow[]
    ).filter((c) => BigInt(c.position) < before);
  }

  asn(nip: string) {
    return this.db
      .prepare(
        'SELECT nip, name, position, employment_type AS employmentType, opd_id AS opdId, status FROM rm_asn WHERE nip = ?',
      )
      .get(nip) as
      | {
          nip: string;
          name: string;
          position: string;
          employmentType: string;
          opdId: string;
          status: string;
        }
      | undefined;
  }

  /** ASN by OPD and/or a search term (digits: NIP prefix; otherwise a part of the name), paged, by name. */
  asnList(filter: { opdId?: string; q?: string; activeOnly?: boolean }, page: Page) {
    const { clauses, params } = equalities([['opd_id', filter.opdId || undefined]]);
    const q = filter.q?.replace(/\s+/g, ' ').trim();
    if (q) {
      const digits = q.replace(/\s/g, '');
      if (/^\d+$/.test(digits)) {
        clauses.push('nip LIKE ?');
        params.push(`${digits}%`);
      } else {
        clauses.push("name LIKE ? ESCAPE '\\'");
        params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
    }
    if (filter.activeOnly) {
      clauses.push("status = 'ACTIVE'");
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const { total } = this.db
      .prepare(`SELECT COUNT(*) AS total FROM rm_asn ${where}`)
      .get(...params) as { total: number };
    const items = this.db
      .prepare(
        `SELECT nip, name, position, employment_type AS employmentType, opd_id AS opdId, status
         FROM rm_asn ${where} ORDER BY name, nip LIMIT ? OFFSET ?`,
      )
      .all(...params, page.pageSize, (page.page - 1) * page.pageSize) as {
      nip: string;
      name: string;
      position: string;
      employmentType: string;
      opdId: string;
      status: string;
    }[];
    return { total, items };
  }

  pledge(electionId: string, nip: string) {
    return this.db
      .prepare(
        'SELECT signed_at AS signedAt, status, late FROM rm_pledges WHERE election_id = ? AND nip = ?',
      )
      .get(electionId, nip) as { signedAt: string; status: string; late: number } | undefined;
  }

  confirmedCasesOf(electionId: string, nip: string) {
    return this.db
      .prepare(
        "SELECT case_id AS caseId, act_code AS actCode FROM rm_cases WHERE election_id = ? AND nip = ? AND status IN ('CONFIRMED', 'SANCTIONED')",
      )
      .all(electionId, nip) as { caseId: string; actCode: string }[];
  }

  caseCounts(electionId: string, opdId: string) {
    const rows = this.db
      .prepare(
        'SELECT status, COUNT(*) AS n FROM rm_cases WHERE election_id = ? AND opd_id = ? GROUP BY status',
      )
      .all(electionId, opdId) as { status: string; n: number }[];
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    return {
      reported: rows.reduce((sum, r) => sum + r.n, 0),
      confirmed: count('CONFIRMED') + count('SANCTIONED'),
      sanctioned: count('SANCTIONED'),
      dismissed: count('DISMISSED'),
    };
  }

  summary(electionId: string, today: string) {
    const rows = this.compliance(electionId, today);
    const byStatus = { PATUH: 0, PERLU_TINDAK_LANJUT: 0, TIDAK_PATUH: 0 };
    let active = 0;
    let pledged = 0;
    for (const r of rows) {
      byStatus[r.status] += 1;
      active += r.activeAsn;
      pledged += r.pledged;
    }
    const cases = (
      this.db.prepare('SELECT * FROM rm_cases WHERE election_id = ?').all(electionId) as CaseRow[]
    ).map((c) => ({ c, clock: caseClock(c, today) }));
    const byAct: Record<string, number> = {};
    const byState: Record<string, number> = {};
    for (const { c } of cases) {
      byAct[c.act_code] = (byAct[c.act_code] ?? 0) + 1;
      byState[c.status] = (byState[c.status] ?? 0) + 1;
    }
    const confirmed = cases.filter(({ clock }) => clock.confirmed);
    const followedUp = confirmed.filter(({ clock }) => !clock.sanctionPending).length;
    return {
      electionId,
      opds: rows.length,
      opdsByStatus: byStatus,
      activeAsn: active,
      pledged,
      coverage: coveragePercent(pledged, active),
      casesByAct: byAct,
      casesByState: byState,
      casesOverdue: cases.filter(({ clock }) => clock.overdue).length,
      ppkFollowUpRate:
        confirmed.length === 0 ? null : Math.round((followedUp / confirmed.length) * 1000) / 10,
    };
  }
}
