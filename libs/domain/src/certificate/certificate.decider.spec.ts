import type { CertificateEvent } from '../events';
import { meta } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { certificateDecider, type IssueCertificate } from './certificate.decider';

const data = {
  certificateId: 'SK-2024-AAAA0000',
  subjectType: 'OPD' as const,
  subjectId: 'dinas-kesehatan',
  opdId: 'dinas-kesehatan',
  electionId: 'pilkada-2024',
  checkpoint: { treeSize: 10, rootHash: 'cm9vdA==' },
  pdfSha256: 'a'.repeat(64),
  signerFingerprint: 'b'.repeat(64),
};
const issue = (reasons: string[] = []): IssueCertificate => ({
  type: 'IssueCertificate',
  data,
  context: { reasons },
  metadata: meta(),
});
const issued: CertificateEvent = {
  type: 'CertificateIssued',
  data: { ...data, issuedAt: meta().now },
};

describe('certificate decider', () => {
  it('issues a certificate for a qualifying subject', () => {
    given(certificateDecider, []).when(issue()).then([issued]);
  });
  it('refuses a subject that does not qualify, listing the reasons', () => {
    const error = given(certificateDecider, [])
      .when(issue(['status OPD: TIDAK_PATUH']))
      .thenFails('CERTIFICATE_NOT_QUALIFIED', 'CONFLICT');
    expect(error.details?.[0].reason).toBe('status OPD: TIDAK_PATUH');
  });
  it('revokes once, with the case that caused it', () => {
    given(certificateDecider, [issued])
      .when({
        type: 'RevokeCertificate',
        data: { reason: 'pelanggaran terbukti', caseId: 'K-1' },
        metadata: meta(),
      })
      .then([
        {
          type: 'CertificateRevoked',
          data: {
            certificateId: data.certificateId,
            reason: 'pelanggaran terbukti',
            caseId: 'K-1',
            revokedAt: meta().now,
          },
        },
      ]);
    const revoked: CertificateEvent = {
      type: 'CertificateRevoked',
      data: { certificateId: data.certificateId, reason: 'x', revokedAt: 'x' },
    };
    given(certificateDecider, [issued, revoked])
      .when({ type: 'RevokeCertificate', data: { reason: 'lagi' }, metadata: meta() })
      .thenFails('CERTIFICATE_ALREADY_REVOKED');
    given(certificateDecider, [])
      .when({ type: 'RevokeCertificate', data: { reason: 'x' }, metadata: meta() })
      .thenFails('CERTIFICATE_NOT_FOUND', 'NOT_FOUND');
  });
});
