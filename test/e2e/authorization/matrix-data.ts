import type { Role } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { createUser, nipFor, TEST_PASSWORD, type TestApp } from '@netral/testing';
import { CaseCommands } from '../../../apps/ledger/src/cases/case.commands';
import { CertificateService } from '../../../apps/ledger/src/certificates/certificate.service';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';
import { DocumentStore } from '../../../apps/ledger/src/documents/document-store';
import { ElectionCommands } from '../../../apps/ledger/src/elections/election.commands';
import type { ActorContext } from '../../../apps/ledger/src/identity/actor';
import { systemActor } from '../../../apps/ledger/src/identity/user.commands';
import { PledgeCommands } from '../../../apps/ledger/src/pledges/pledge.commands';
import { AsnCommands, OpdCommands } from '../../../apps/ledger/src/registry/registry.commands';

/** The OPD the matrix's data belongs to (OPD_HEAD heads it, OPD_HEAD_OTHER heads `MATRIX_OTHER_OPD`). */
export const MATRIX_OPD = 'dinas-kesehatan';
export const MATRIX_OTHER_OPD = 'dinas-pendidikan';
export const MATRIX_ELECTION = 'matrix-2024';

/**
 * Real records of MATRIX_OPD, so a scoped read by the other OPD's head is refused for its scope and not
 * answered 404 for want of data (a 404 would pass even with no scoping at all).
 */
export interface MatrixData {
  /** A case about an ASN of MATRIX_OPD, reported with an evidence file that is kept. */
  caseId: string;
  evidenceSha256: string;
  /** A certificate issued for an ASN of MATRIX_OPD (its PDF is on disk). */
  certificateId: string;
  /** An existing account, for the rows that sign in. */
  login: { username: string; password: string };
}

/** Setup writes as the role that would, so the events' metadata reads as it would in production. */
const as = (role: Role): ActorContext => ({ ...systemActor(), role });

/** A minimal PDF: what a scanned document looks like to the upload check. */
const EVIDENCE = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let enrolled = 0;

/** An ASN enrolled just now in MATRIX_OPD: a write row for it answers its own OPD head and HR, and
 * refuses the head of another OPD (OPD_SCOPE). */
export const freshMatrixAsn = async (t: TestApp): Promise<string> => {
  const nip = nipFor(7_000 + (enrolled += 1));
  await t.app
    .get(AsnCommands)
    .enroll(
      { nip, name: 'ASN Matriks', position: 'Pelaksana', employmentType: 'PNS', opdId: MATRIX_OPD },
      as('HR'),
    );
  return nip;
};

/** The election, both OPDs, a case with evidence and a certificate of MATRIX_OPD, read models caught
 * up. */
export const seedMatrixData = async (t: TestApp): Promise<MatrixData> => {
  await t.app.get(ElectionCommands).schedule(
    {
      electionId: MATRIX_ELECTION,
      name: 'Pilkada Matriks',
      kind: 'PILKADA',
      votingDay: '2024-11-27',
      monitoringFrom: '2024-09-25',
      monitoringUntil: '2024-12-15',
    },
    as('ADMIN'),
  );
  for (const [opdId, code] of [
    [MATRIX_OPD, '9.01.01'],
    [MATRIX_OTHER_OPD, '9.01.02'],
  ]) {
    await t.app.get(OpdCommands).register({ opdId, code, name: opdId, kind: 'DINAS' }, as('HR'));
  }

  const pledged = await freshMatrixAsn(t);
  await t.app
    .get(PledgeCommands)
    .sign(
      { electionId: MATRIX_ELECTION, nip: pledged, signedAt: '2024-09-20', place: 'Bangli' },
      as('HR'),
    );

  const evidence = t.app.get(DocumentStore).put(EVIDENCE);
  const reported = await t.app.get(CaseCommands).report(
    {
      electionId: MATRIX_ELECTION,
      nip: await freshMatrixAsn(t),
      source: 'BAWASLU_FINDING',
      actCode: 'N06',
      occurredAt: '2024-10-02',
      summary: 'Membagikan materi kampanye di grup WhatsApp dinas',
      evidence: [{ sha256: evidence.sha256, description: 'Tangkapan layar' }],
    },
    as('BAWASLU'),
  );

  const settle = async () => {
    const head = await t.app.get(EventStore).headPosition();
    await t.app.get(ReadSide).ready(head === null ? undefined : String(head));
  };
  // Issuing judges the read models, so they must have seen the pledge first.
  await settle();
  const certificate = await t.app
    .get(CertificateService)
    .issue({ subjectType: 'ASN', subjectId: pledged, electionId: MATRIX_ELECTION }, as('HR'));
  await settle();

  const login = await createUser(t, 'HR', { username: 'matriks-masuk' });
  return {
    caseId: reported.caseId,
    evidenceSha256: evidence.sha256,
    certificateId: certificate.certificateId,
    login: { username: login.username, password: TEST_PASSWORD },
  };
};
