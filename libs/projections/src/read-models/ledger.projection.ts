import type Database from 'better-sqlite3';
import type { Projection } from '../projection';

/** Every event type the ledger read models follow. */
const TYPES = [
  'ElectionScheduled',
  'OpdRegistered',
  'OpdRenamed',
  'OpdHeadAppointed',
  'OpdDissolved',
  'AsnEnrolled',
  'AsnTransferred',
  'AsnLeft',
  'AsnDetailsChanged',
  'PledgeSigned',
  'PledgeVoided',
  'ViolationReported',
  'CaseVerified',
  'ViolationConfirmed',
  'ViolationDismissed',
  'SanctionImposed',
  'CertificateIssued',
  'CertificateRevoked',
] as const;

type D = Record<string, unknown>;

/** Statements prepared once per connection: preparing per event cost more than running them. */
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const prepared = (db: Database.Database, sql: string): Database.Statement => {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
};
const str = (d: D, k: string): string => String(d[k]);
/** A certificate's subject as the registry keys it. Certificates issued before the service stored the
 * registry's NIP carry it as it was typed (`1985 0312 …`); the bare digits are what every lookup uses. */
export const certificateSubjectKey = (type: string, id: string): string =>
  type === 'ASN' ? id.replace(/[\s.]/g, '') : id;

/**
 * The registry, pledges and cases as query-shaped tables, plus counters so that a compliance row costs a few
 * key lookups whatever the number of ASN: active ASN per OPD, pledges (and late ones) per election and OPD.
 * Pledges count for the ASN's current OPD while they are active.
 */
export const ledgerProjection: Projection = {
  name: 'ledger',
  version: 4,
  eventTypes: TYPES,
  tables: [
    'rm_elections',
    'rm_opds',
    'rm_asn',
    'rm_opd_counts',
    'rm_pledges',
    'rm_pledge_counts',
    'rm_cases',
    'rm_certificates',
  ],
  setup: (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_elections (election_id TEXT PRIMARY KEY, name TEXT, kind TEXT, region_code TEXT,
        voting_day TEXT, monitoring_from TEXT, monitoring_until TEXT);
      CREATE TABLE IF NOT EXISTS rm_opds (opd_id TEXT PRIMARY KEY, code TEXT, name TEXT, kind TEXT, region_code TEXT,
        parent_opd_id TEXT, head_nip TEXT, status TEXT);
      CREATE TABLE IF NOT EXISTS rm_asn (nip TEXT PRIMARY KEY, name TEXT, position TEXT, employment_type TEXT,
        opd_id TEXT, status TEXT);
      CREATE INDEX IF NOT EXISTS rm_asn_opd ON rm_asn (opd_id, status);
      CREATE TABLE IF NOT EXISTS rm_opd_counts (opd_id TEXT PRIMARY KEY, active_asn INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS rm_pledges (election_id TEXT, nip TEXT, opd_id TEXT, role TEXT, signed_at TEXT,
        place TEXT, late INTEGER, status TEXT, document_sha256 TEXT, PRIMARY KEY (election_id, nip));
      CREATE INDEX IF NOT EXISTS rm_pledges_nip ON rm_pledges (nip);
      CREATE TABLE IF NOT EXISTS rm_pledge_counts (election_id TEXT, opd_id TEXT, pledged INTEGER NOT NULL DEFAULT 0,
        late INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (election_id, opd_id));
      CREATE TABLE IF NOT EXISTS rm_cases (case_id TEXT PRIMARY KEY, election_id TEXT, nip TEXT, asn_name TEXT,
        opd_id TEXT, act_code TEXT, source TEXT, summary TEXT, status TEXT, reported_at TEXT, verification_due TEXT,
        verified_at TEXT, review_due TEXT, confirmed_at TEXT, follow_up_due TEXT, closed_at TEXT,
        recommendation TEXT, sanctions TEXT NOT NULL DEFAULT '[]', timeline TEXT NOT NULL DEFAULT '[]');
      CREATE INDEX IF NOT EXISTS rm_cases_opd ON rm_cases (election_id, opd_id);
      CREATE TABLE IF NOT EXISTS rm_certificates (certificate_id TEXT PRIMARY KEY, subject_type TEXT, subject_id TEXT,
        opd_id TEXT, election_id TEXT, pdf_sha256 TEXT, signer_fingerprint TEXT, checkpoint_size INTEGER,
        checkpoint_root TEXT, issued_at TEXT, position TEXT, status TEXT, revoked_reason TEXT, revoked_case_id TEXT,
        revoked_at TEXT);
      CREATE INDEX IF NOT EXISTS rm_certificates_sha ON rm_certificates (pdf_sha256);
      CREATE INDEX IF NOT EXISTS rm_certificates_subject ON rm_certificates (election_id, subject_type, subject_id);
    `);
  },
  apply: (db, event) => {
    const d = event.data;
    const run = (sql: string, ...params: unknown[]) => prepared(db, sql).run(...params);
    const countPledge = (electionId: string, opdId: string, delta: number, late: boolean) =>
      run(
        `INSERT INTO rm_pledge_counts (election_id, opd_id, pledged, late) VALUES (?, ?, ?, ?)
         ON CONFLICT (election_id, opd_id) DO UPDATE SET pledged = pledged + excluded.pledged, late = late + excluded.late`,
        electionId,
        opdId,
        delta,
        late ? delta : 0,
      );
    const signedPledges = (nip: string) =>
      db
        .prepare("SELECT election_id, late FROM rm_pledges WHERE nip = ? AND status = 'SIGNED'")
        .all(nip) as { election_id: string; late: number }[];
    const activeAsn = (nip: string) =>
      prepared(db, "SELECT opd_id FROM rm_asn WHERE nip = ? AND status = 'ACTIVE'").get(nip) as
        { opd_id: string } | undefined;
    const timeline = (caseId: string, entry: D) =>
      run(
        `UPDATE rm_cases SET timeline = json_insert(timeline, '$[#]', json(?)) WHERE case_id = ?`,
        JSON.stringify({
          type: event.type,
          position: String(event.position),
          recorded: event.created.toISOString(),
          ...entry,
        }),
        caseId,
      );
    switch (event.type as (typeof TYPES)[number]) {
      case 'ElectionScheduled':
        run(
          'INSERT OR REPLACE INTO rm_elections VALUES (?, ?, ?, ?, ?, ?, ?)',
          str(d, 'electionId'),
          str(d, 'name'),
          str(d, 'kind'),
          str(d, 'regionCode'),
          str(d, 'votingDay'),
          str(d, 'monitoringFrom'),
          str(d, 'monitoringUntil'),
        );
        break;
      case 'OpdRegistered':
        run(
          "INSERT OR REPLACE INTO rm_opds VALUES (?, ?, ?, ?, ?, ?, NULL, 'ACTIVE')",
          str(d, 'opdId'),
          str(d, 'code'),
          str(d, 'name'),
          str(d, 'kind'),
          str(d, 'regionCode'),
          d.parentOpdId ?? null,
        );
        run(
          'INSERT OR IGNORE INTO rm_opd_counts (opd_id, active_asn) VALUES (?, 0)',
          str(d, 'opdId'),
        );
        break;
      case 'OpdRenamed':
        run('UPDATE rm_opds SET name = ? WHERE opd_id = ?', str(d, 'name'), str(d, 'opdId'));
        break;
      case 'OpdHeadAppointed':
        run('UPDATE rm_opds SET head_nip = ? WHERE opd_id = ?', str(d, 'nip'), str(d, 'opdId'));
        break;
      case 'OpdDissolved':
        run("UPDATE rm_opds SET status = 'DISSOLVED' WHERE opd_id = ?", str(d, 'opdId'));
        break;
      case 'AsnEnrolled':
        run(
          "INSERT OR REPLACE INTO rm_asn VALUES (?, ?, ?, ?, ?, 'ACTIVE')",
          str(d, 'nip'),
          str(d, 'name'),
          str(d, 'position'),
          str(d, 'employmentType'),
          str(d, 'opdId'),
        );
        run(
          'INSERT INTO rm_opd_counts (opd_id, active_asn) VALUES (?, 1) ON CONFLICT (opd_id) DO UPDATE SET active_asn = active_asn + 1',
          str(d, 'opdId'),
        );
        break;
      case 'AsnTransferred': {
        const nip = str(d, 'nip');
        const from = str(d, 'fromOpdId');
        const to = str(d, 'toOpdId');
        run('UPDATE rm_asn SET opd_id = ? WHERE nip = ?', to, nip);
        run('UPDATE rm_opd_counts SET active_asn = active_asn - 1 WHERE opd_id = ?', from);
        // A head who moves out ends their term (vacatesHead): the post is vacant until an appointment.
        run('UPDATE rm_opds SET head_nip = NULL WHERE opd_id = ? AND head_nip = ?', from, nip);
        run(
          'INSERT INTO rm_opd_counts (opd_id, active_asn) VALUES (?, 1) ON CONFLICT (opd_id) DO UPDATE SET active_asn = active_asn + 1',
          to,
        );
        for (const pledge of signedPledges(nip)) {
          countPledge(pledge.election_id, from, -1, pledge.late === 1);
          countPledge(pledge.election_id, to, 1, pledge.late === 1);
        }
        run("UPDATE rm_pledges SET opd_id = ? WHERE nip = ? AND status = 'SIGNED'", to, nip);
        break;
      }
      case 'AsnDetailsChanged':
        run(
          'UPDATE rm_asn SET name = ?, position = ? WHERE nip = ?',
          str(d, 'name'),
          str(d, 'position'),
          str(d, 'nip'),
        );
        // Cases show the person by their current name (a report names them by NIP).
        run('UPDATE rm_cases SET asn_name = ? WHERE nip = ?', str(d, 'name'), str(d, 'nip'));
        break;
      case 'AsnLeft': {
        const nip = str(d, 'nip');
        const opd = activeAsn(nip);
        if (!opd) {
          break;
        }
        run("UPDATE rm_asn SET status = 'LEFT' WHERE nip = ?", nip);
        run('UPDATE rm_opd_counts SET active_asn = active_asn - 1 WHERE opd_id = ?', opd.opd_id);
        run(
          'UPDATE rm_opds SET head_nip = NULL WHERE opd_id = ? AND head_nip = ?',
          opd.opd_id,
          nip,
        );
        for (const pledge of signedPledges(nip)) {
          countPledge(pledge.election_id, opd.opd_id, -1, pledge.late === 1);
        }
        break;
      }
      case 'PledgeSigned': {
        const nip = str(d, 'nip');
        const asn = activeAsn(nip);
        const opdId = asn?.opd_id ?? str(d, 'opdId');
        run(
          "INSERT OR REPLACE INTO rm_pledges VALUES (?, ?, ?, ?, ?, ?, ?, 'SIGNED', ?)",
          str(d, 'electionId'),
          nip,
          opdId,
          str(d, 'role'),
          str(d, 'signedAt'),
          str(d, 'place'),
          d.late === true ? 1 : 0,
          d.documentSha256 ?? null,
        );
        if (asn) {
          countPledge(str(d, 'electionId'), opdId, 1, d.late === true);
        }
        break;
      }
      case 'PledgeVoided': {
        const nip = str(d, 'nip');
        const pledge = db
          .prepare(
            "SELECT opd_id, late FROM rm_pledges WHERE election_id = ? AND nip = ? AND status = 'SIGNED'",
          )
          .get(str(d, 'electionId'), nip) as { opd_id: string; late: number } | undefined;
        if (pledge) {
          run(
            "UPDATE rm_pledges SET status = 'VOIDED' WHERE election_id = ? AND nip = ?",
            str(d, 'electionId'),
            nip,
          );
          if (activeAsn(nip)) {
            countPledge(str(d, 'electionId'), pledge.opd_id, -1, pledge.late === 1);
          }
        }
        break;
      }
      case 'ViolationReported': {
        const asn = prepared(db, 'SELECT name FROM rm_asn WHERE nip = ?').get(str(d, 'nip')) as
          { name: string } | undefined;
        run(
          `INSERT OR REPLACE INTO rm_cases (case_id, election_id, nip, asn_name, opd_id, act_code, source, summary, status,
             reported_at, verification_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'REPORTED', ?, ?)`,
          str(d, 'caseId'),
          str(d, 'electionId'),
          str(d, 'nip'),
          asn?.name ?? null,
          str(d, 'opdId'),
          str(d, 'actCode'),
          str(d, 'source'),
          str(d, 'summary'),
          str(d, 'reportedAt'),
          str(d, 'verificationDueBy'),
        );
        timeline(str(d, 'caseId'), { at: d.reportedAt, actCode: d.actCode });
        break;
      }
      case 'CaseVerified':
        run(
          "UPDATE rm_cases SET status = 'VERIFIED', verified_at = ?, review_due = ? WHERE case_id = ?",
          str(d, 'verifiedAt'),
          str(d, 'reviewDueBy'),
          str(d, 'caseId'),
        );
        timeline(str(d, 'caseId'), { at: d.verifiedAt, note: d.note ?? null });
        break;
      case 'ViolationConfirmed':
        run(
          "UPDATE rm_cases SET status = 'CONFIRMED', confirmed_at = ?, follow_up_due = ?, recommendation = ? WHERE case_id = ?",
          str(d, 'confirmedAt'),
          str(d, 'followUpDueBy'),
          JSON.stringify(d.recommendation),
          str(d, 'caseId'),
        );
        timeline(str(d, 'caseId'), {
          at: d.confirmedAt,
          authority: d.authority,
          recommendation: d.recommendation,
        });
        break;
      case 'ViolationDismissed':
        run(
          "UPDATE rm_cases SET status = 'DISMISSED', closed_at = ? WHERE case_id = ?",
          str(d, 'dismissedAt'),
          str(d, 'caseId'),
        );
        timeline(str(d, 'caseId'), { at: d.dismissedAt, reason: d.reason });
        break;
      case 'SanctionImposed':
        run(
          `UPDATE rm_cases SET status = 'SANCTIONED', sanctions = json_insert(sanctions, '$[#]', json(?)) WHERE case_id = ?`,
          JSON.stringify({
            track: d.track,
            kind: d.kind,
            decreeNumber: d.decreeNumber,
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
          }),
          str(d, 'caseId'),
        );
        timeline(str(d, 'caseId'), {
          at: d.recordedAt,
          track: d.track,
          kind: d.kind,
          decreeNumber: d.decreeNumber,
        });
        break;
      case 'CertificateIssued': {
        const checkpoint = d.checkpoint as { treeSize: number; rootHash: string };
        run(
          `INSERT OR REPLACE INTO rm_certificates (certificate_id, subject_type, subject_id, opd_id, election_id, pdf_sha256,
             signer_fingerprint, checkpoint_size, checkpoint_root, issued_at, position, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'VALID')`,
          str(d, 'certificateId'),
          str(d, 'subjectType'),
          certificateSubjectKey(str(d, 'subjectType'), str(d, 'subjectId')),
          str(d, 'opdId'),
          str(d, 'electionId'),
          str(d, 'pdfSha256'),
          str(d, 'signerFingerprint'),
          checkpoint.treeSize,
          checkpoint.rootHash,
          str(d, 'issuedAt'),
          String(event.position),
        );
        break;
      }
      case 'CertificateRevoked':
        run(
          "UPDATE rm_certificates SET status = 'REVOKED', revoked_reason = ?, revoked_case_id = ?, revoked_at = ? WHERE certificate_id = ?",
          str(d, 'reason'),
          d.caseId ?? null,
          str(d, 'revokedAt'),
          str(d, 'certificateId'),
        );
        break;
      default:
        assertNever(event.type as never);
    }
  },
};

/** A type the projection follows but does not handle is a programming error, caught at compile time. */
const assertNever = (value: never): never => {
  throw new Error(`ledger projection does not handle ${String(value)}`);
};
