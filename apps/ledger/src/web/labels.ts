import { CASE_STATUS_LABELS, ROLE_LABELS as USER_ROLE_LABELS } from '@netral/domain';

/** A role as officials call it: on the pages and in the logins `npm start` prints (the domain's labels,
 * which its messages use too). */
export const ROLE_LABELS: Record<string, string> = {
  ...USER_ROLE_LABELS,
  // Events the service writes itself (bootstrap, demo seeding, revocations), never a login.
  SYSTEM: 'Sistem',
};

/** Every status code a page may show (cases, ASN, OPDs, certificates, compliance) and the kinds of
 * election, in Bahasa Indonesia. */
const STATUS_LABELS: Record<string, string> = {
  ...CASE_STATUS_LABELS,
  ACTIVE: 'aktif',
  LEFT: 'sudah keluar',
  DISSOLVED: 'dibubarkan',
  VALID: 'berlaku',
  REVOKED: 'dicabut',
  // An OPD's compliance (the API answers the codes).
  PATUH: 'Patuh',
  PERLU_TINDAK_LANJUT: 'Perlu tindak lanjut',
  TIDAK_PATUH: 'Tidak patuh',
  PILKADA: 'Pilkada',
  PEMILU: 'Pemilu',
};

/** The label of a status code; an unknown code is shown as it is rather than hidden. */
export const statusLabel = (code: unknown): string => STATUS_LABELS[String(code)] ?? String(code);
