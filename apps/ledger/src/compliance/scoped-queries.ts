import { invalid, notFound } from '@netral/domain';
import type { ComplianceRow, Page, ReadModelQueries } from '@netral/projections';
import type { ActorContext } from '../identity/actor';
import { assertOpdScope, assertRegencyWide, scopedOpdId } from '../identity/opd-scope';
import { currentElection } from './current-election';

type Queries = ReadModelQueries;
type RosterFilter = Parameters<Queries['roster']>[2];

const STATUS_ORDER = { TIDAK_PATUH: 0, PERLU_TINDAK_LANJUT: 1, PATUH: 2 } as const;

/**
 * The read models as one caller may see them: the same queries as ReadModelQueries, with the OPD scope
 * applied here rather than in the controllers. An OPD head gets their own OPD's data and a 403 OPD_SCOPE for
 * any other, whatever route (or future route) asks, so a forgotten check in a controller cannot open a hole.
 * Regency facts (elections, the OPD registry) pass through; answers over every OPD are refused to an OPD head.
 * `certificatesToRevoke` is the revocation reactor's alone and is not offered here.
 */
export class ScopedQueries implements Omit<Queries, 'certificatesToRevoke'> {
  constructor(
    private readonly queries: Queries,
    private readonly actor: ActorContext,
  ) {}

  election(electionId: string) {
    return this.queries.election(electionId);
  }

  elections() {
    return this.queries.elections();
  }

  /** The election a page shows: the one its link names if it exists, else the current one (see
   * `currentElection`); undefined only when none is scheduled. */
  electionFor(today: string, requested?: string) {
    const all = this.elections();
    return all.find((e) => e.electionId === requested) ?? currentElection(all, today);
  }

  opd(opdId: string) {
    return this.queries.opd(opdId);
  }

  opds() {
    return this.queries.opds();
  }

  /** An OPD head's own row only (asking for another is refused), whatever `opdId` says. */
  compliance(electionId: string, today: string, opdId?: string): ComplianceRow[] {
    return this.queries.compliance(electionId, today, scopedOpdId(this.actor, opdId));
  }

  roster(electionId: string, opdId: string, filter: RosterFilter, page: Page) {
    assertOpdScope(this.actor, opdId);
    return this.queries.roster(electionId, opdId, filter, page);
  }

  cases(filter: Parameters<Queries['cases']>[0], today: string, page: Page) {
    return this.queries.cases(
      { ...filter, opdId: scopedOpdId(this.actor, filter.opdId) },
      today,
      page,
    );
  }

  caseAlerts(today: string) {
    return this.queries.caseAlerts(today, scopedOpdId(this.actor));
  }

  caseDetail(caseId: string, today: string) {
    const detail = this.queries.caseDetail(caseId, today);
    if (detail) {
      assertOpdScope(this.actor, detail.opdId);
    }
    return detail;
  }

  certificate(certificateId: string) {
    const row = this.queries.certificate(certificateId);
    if (row) {
      assertOpdScope(this.actor, row.opd_id);
    }
    return row;
  }

  certificateBySha256(sha256: string) {
    const row = this.queries.certificateBySha256(sha256);
    if (row) {
      assertOpdScope(this.actor, row.opd_id);
    }
    return row;
  }

  certificates(filter: Parameters<Queries['certificates']>[0], page: Page) {
    return this.queries.certificates(
      { ...filter, opdId: scopedOpdId(this.actor, filter.opdId) },
      page,
    );
  }

  asn(nip: string) {
    const asn = this.queries.asn(nip);
    if (asn) {
      assertOpdScope(this.actor, asn.opdId);
    }
    return asn;
  }

  asnList(filter: Parameters<Queries['asnList']>[0], page: Page) {
    // An empty opdId means every OPD to ReadModelQueries, so it is scoped like an absent one.
    return this.queries.asnList(
      { ...filter, opdId: scopedOpdId(this.actor, filter.opdId || undefined) },
      page,
    );
  }

  /** Owned by the ASN's OPD: a signed pledge follows its ASN on a transfer. */
  pledge(electionId: string, nip: string) {
    const pledge = this.queries.pledge(electionId, nip);
    if (pledge) {
      this.assertOwnerOf(nip);
    }
    return pledge;
  }

  confirmedCasesOf(electionId: string, nip: string) {
    const cases = this.queries.confirmedCasesOf(electionId, nip);
    if (cases.length > 0) {
      this.assertOwnerOf(nip);
    }
    return cases;
  }

  caseCounts(electionId: string, opdId: string) {
    assertOpdScope(this.actor, opdId);
    return this.queries.caseCounts(electionId, opdId);
  }

  /** Totals over every OPD: not an OPD head's to read. */
  summary(electionId: string, today: string) {
    assertRegencyWide(this.actor);
    return this.queries.summary(electionId, today);
  }

  // The answers the read routes share, built on the scoped queries above.

  requireElection(electionId: string) {
    const election = this.election(electionId);
    if (!election) {
      throw notFound('ELECTION_NOT_FOUND', `Pemilihan ${electionId} tidak ditemukan.`);
    }
    return election;
  }

  /** The compliance table, worst first (by default) or by coverage or name, optionally one status. */
  complianceTable(
    electionId: string,
    today: string,
    options: { status?: ComplianceRow['status']; sort?: 'status' | 'coverage' | 'name' } = {},
  ): ComplianceRow[] {
    this.requireElection(electionId);
    const sort = options.sort ?? 'status';
    return this.compliance(electionId, today)
      .filter((r) => options.status === undefined || r.status === options.status)
      .sort((a, b) =>
        sort === 'name'
          ? a.opdName.localeCompare(b.opdName)
          : sort === 'coverage'
            ? a.coverage - b.coverage || a.opdName.localeCompare(b.opdName)
            : STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
              a.coverage - b.coverage ||
              a.opdName.localeCompare(b.opdName),
      );
  }

  /** One OPD's compliance row; unknown elections and OPDs are 404s. */
  opdCompliance(electionId: string, opdId: string, today: string): ComplianceRow {
    assertOpdScope(this.actor, opdId);
    this.requireElection(electionId);
    const [row] = this.compliance(electionId, today, opdId);
    if (!row) {
      throw notFound('OPD_NOT_FOUND', `OPD ${opdId} tidak ditemukan.`);
    }
    return row;
  }

  /** One OPD's roster; an OPD head may leave the OPD out (their own), anyone else must name it. */
  opdRoster(
    electionId: string,
    requestedOpdId: string | undefined,
    filter: RosterFilter,
    page: Page,
  ) {
    const opdId = scopedOpdId(this.actor, requestedOpdId);
    if (!opdId) {
      throw invalid('OPD_REQUIRED', 'Sebutkan OPD (opdId).', [
        { field: 'opdId', reason: 'wajib diisi', code: 'OPD_REQUIRED' },
      ]);
    }
    this.requireElection(electionId);
    return { electionId, opdId, ...this.roster(electionId, opdId, filter, page) };
  }

  /** Every active ASN who has not pledged, with their OPD: of one OPD, or of every OPD in the table. */
  missingPledges(electionId: string, today: string, opdId?: string) {
    this.requireElection(electionId);
    const opdIds = opdId ? [opdId] : this.compliance(electionId, today).map((r) => r.opdId);
    return opdIds.flatMap((id) => {
      const opd = this.opd(id);
      return this.roster(electionId, id, 'missing', { page: 1, pageSize: 1_000_000 }).items.map(
        (asn) => ({ opd, asn }),
      );
    });
  }

  requireCase(caseId: string, today: string) {
    const detail = this.caseDetail(caseId, today);
    if (!detail) {
      throw notFound('CASE_NOT_FOUND', `Kasus ${caseId} tidak ditemukan.`);
    }
    return detail;
  }

  /** Fails closed: an ASN the read models do not know belongs to no OPD head. */
  private assertOwnerOf(nip: string): void {
    const owner = this.queries.asn(nip)?.opdId;
    if (owner === undefined) {
      assertRegencyWide(this.actor);
    } else {
      assertOpdScope(this.actor, owner);
    }
  }
}
