import type { CertificateEvent, CertificateIssued } from '../events';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict, notFound } from '../shared/domain-error';

export type IssueCertificate = {
  type: 'IssueCertificate';
  data: Omit<CertificateIssued['data'], 'issuedAt'>;
  /** Whether the subject qualifies now (OPD: PATUH; ASN: pledged, no confirmed violation), and why not. */
  context: { reasons: string[] };
  metadata: CommandMetadata;
};
export type RevokeCertificate = {
  type: 'RevokeCertificate';
  data: { reason: string; caseId?: string };
  metadata: CommandMetadata;
};
export type CertificateCommand = IssueCertificate | RevokeCertificate;

export type Certificate =
  { status: 'none' } | ({ status: 'valid' | 'revoked' } & CertificateIssued['data']);

const decide = (command: CertificateCommand, state: Certificate): CertificateEvent[] => {
  switch (command.type) {
    case 'IssueCertificate': {
      if (state.status !== 'none') {
        throw conflict(
          'CERTIFICATE_ALREADY_EXISTS',
          `Sertifikat ${command.data.certificateId} sudah ada.`,
        );
      }
      if (command.context.reasons.length > 0) {
        throw conflict(
          'CERTIFICATE_NOT_QUALIFIED',
          `Sertifikat tidak dapat diterbitkan: ${command.context.reasons.join('; ')}.`,
          command.context.reasons.map((reason) => ({
            field: 'subjectId',
            reason,
            code: 'CERTIFICATE_NOT_QUALIFIED',
          })),
        );
      }
      return [
        { type: 'CertificateIssued', data: { ...command.data, issuedAt: command.metadata.now } },
      ];
    }
    case 'RevokeCertificate': {
      if (state.status === 'none') {
        throw notFound('CERTIFICATE_NOT_FOUND', 'Sertifikat tidak ditemukan.');
      }
      if (state.status === 'revoked') {
        throw conflict(
          'CERTIFICATE_ALREADY_REVOKED',
          `Sertifikat ${state.certificateId} sudah dicabut.`,
        );
      }
      return [
        {
          type: 'CertificateRevoked',
          data: {
            certificateId: state.certificateId,
            reason: command.data.reason,
            ...(command.data.caseId ? { caseId: command.data.caseId } : {}),
            revokedAt: command.metadata.now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: Certificate, event: CertificateEvent): Certificate => {
  switch (event.type) {
    case 'CertificateIssued':
      return { status: 'valid', ...event.data };
    case 'CertificateRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    default:
      return assertNever(event);
  }
};

export const certificateDecider: Decider<Certificate, CertificateCommand, CertificateEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
