import type { TestApp } from '@netral/testing';
import { freshMatrixAsn, MATRIX_ELECTION, MATRIX_OPD, type MatrixData } from './matrix-data';

/** Who calls: nobody signed in, each role, and an OPD head of another OPD than the data concerns. */
export type Who = 'anonymous' | 'ADMIN' | 'OPD_HEAD' | 'OPD_HEAD_OTHER' | 'BAWASLU' | 'HR';
export const EVERYONE: readonly Who[] = [
  'anonymous',
  'ADMIN',
  'OPD_HEAD',
  'OPD_HEAD_OTHER',
  'BAWASLU',
  'HR',
];

const MATRIX_NIP = '198503122010011002';

export interface MatrixContext {
  t: TestApp;
  /** Real records of MATRIX_OPD, written before the rows run. */
  data: MatrixData;
  /** A fresh suffix per request, for bodies that create something unique. */
  unique: () => string;
}

/** A literal path, or one computed from the context, then named as the route it calls. */
type MatrixPath =
  { path: string; name?: never } | { name: string; path: (ctx: MatrixContext) => string };

export type MatrixRoute = MatrixPath & {
  method: 'get' | 'post';
  body?: (ctx: MatrixContext) => object | Promise<object>;
  /**
   * A page, not the API: callers sign in through the login form (session cookie; pages ignore bearer
   * tokens), ask for HTML as a browser does, and posts carry a valid CSRF token and a form body, so the
   * row tests the role check and not the CSRF check.
   */
  web?: true;
  /** The row ends the caller's session (logout): it runs in a browser signed in for it alone, so the
   * rows after it keep theirs. */
  endsSession?: true;
  /** Expected status for each caller; every caller must be listed. */
  expect: Record<Who, number>;
  /** The route is open to a user whose password is temporary (@WithTemporaryPassword()): their own
   * account and its password change. See `expectedWithTemporaryPassword`. */
  withTemporaryPassword?: true;
};

/**
 * An HR user whose password an administrator set, not yet replaced: a column of its own, derived from each
 * row rather than written in it. A public route (nobody signed in is neither refused nor sent to sign
 * in), or one open to a temporary password (logout too), answers as it answers HR; so does a route HR's
 * role may not call (the role is checked first). Every other route is refused before it runs: the API with 403
 * (PASSWORD_CHANGE_REQUIRED), a page with 303 to `/akun` (the one page open to them), a form post with 403.
 */
export const TEMPORARY = 'HR_TEMPORARY' as const;
export type Caller = Who | typeof TEMPORARY;

export const expectedWithTemporaryPassword = (route: MatrixRoute): number => {
  const { anonymous, HR } = route.expect;
  const isPublic = ![401, 303].includes(anonymous);
  if (isPublic || route.withTemporaryPassword || HR === 403) {
    return HR;
  }
  return route.web && route.method === 'get' ? 303 : 403;
};

/** An API route: the listed callers get their status, other roles 403, nobody signed in 401. */
const allowOnly = (allowed: Partial<Record<Who, number>>, denied = 403): Record<Who, number> => ({
  anonymous: 401,
  ADMIN: denied,
  OPD_HEAD: denied,
  OPD_HEAD_OTHER: denied,
  BAWASLU: denied,
  HR: denied,
  ...allowed,
});

/** A page: as allowOnly, but a browser without a session is sent to sign in (303 to /login?next=…). */
const allowPage = (allowed: Partial<Record<Who, number>>): Record<Who, number> => ({
  ...allowOnly(allowed),
  anonymous: 303,
  ...allowed,
});

/** The same answer for every caller, signed in or not: a public route. */
const everyone = (status: number): Record<Who, number> => ({
  anonymous: status,
  ADMIN: status,
  OPD_HEAD: status,
  OPD_HEAD_OTHER: status,
  BAWASLU: status,
  HR: status,
});

/**
 * The one table of who may call what. Every feature adds its routes here; the spec runs each row for
 * every caller against the real app, and fails when a route the app registers has no row.
 */
export const routes: MatrixRoute[] = [
  // Identity.
  {
    method: 'post',
    path: '/api/v1/auth/login',
    body: ({ data }) => data.login,
    expect: everyone(200),
  },
  {
    method: 'get',
    path: '/api/v1/auth/me',
    withTemporaryPassword: true,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
  },
  // One's own new password; an empty body answers its 400 (and changes nothing).
  {
    method: 'post',
    path: '/api/v1/auth/password',
    withTemporaryPassword: true,
    expect: allowOnly({ ADMIN: 400, OPD_HEAD: 400, OPD_HEAD_OTHER: 400, BAWASLU: 400, HR: 400 }),
  },
  { method: 'get', path: '/api/v1/users', expect: allowOnly({ ADMIN: 200 }) },
  {
    method: 'post',
    path: '/api/v1/users',
    body: ({ unique }) => ({
      username: `pengguna-${unique()}`,
      displayName: 'Uji',
      password: 'sandi-yang-panjang',
      role: 'HR',
    }),
    expect: allowOnly({ ADMIN: 201 }),
  },
  {
    method: 'post',
    name: '/api/v1/users/:userId/role',
    path: ({ unique }) => `/api/v1/users/tidak-ada-${unique()}/role`,
    body: () => ({ role: 'HR' }),
    expect: allowOnly({ ADMIN: 404 }),
  },
  {
    method: 'post',
    name: '/api/v1/users/:userId/deactivation',
    path: ({ unique }) => `/api/v1/users/tidak-ada-${unique()}/deactivation`,
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ ADMIN: 404 }),
  },
  {
    method: 'post',
    name: '/api/v1/users/:userId/password',
    path: ({ unique }) => `/api/v1/users/tidak-ada-${unique()}/password`,
    body: () => ({ password: 'sandi-yang-panjang' }),
    expect: allowOnly({ ADMIN: 404 }),
  },
  // Write side. Bodies refer to an election/OPD that does not exist, so an allowed caller gets the rule's
  // answer (404) and a refused one the guard's (401/403): the row tests the access, not the data.
  {
    method: 'post',
    path: '/api/v1/elections',
    body: ({ unique }) => ({
      electionId: `pemilu-${unique()}`,
      name: 'Uji',
      kind: 'PEMILU',
      votingDay: '2029-02-14',
      monitoringFrom: '2029-01-01',
      monitoringUntil: '2029-03-01',
    }),
    expect: allowOnly({ ADMIN: 201 }),
  },
  {
    method: 'post',
    path: '/api/v1/opds',
    body: ({ unique }) => {
      // One active OPD per code: each allowed caller registers its own.
      const id = unique();
      return { opdId: `opd-${id}`, code: `9.${id}`, name: 'Uji', kind: 'LAINNYA' };
    },
    expect: allowOnly({ ADMIN: 201, HR: 201 }),
  },
  {
    method: 'post',
    path: '/api/v1/opds/tidak-ada/head',
    body: () => ({ nip: MATRIX_NIP }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/opds/tidak-ada/renaming',
    body: () => ({ name: 'Baru' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/opds/tidak-ada/dissolution',
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/asn',
    body: () => ({
      nip: MATRIX_NIP,
      name: 'Uji',
      position: 'Uji',
      employmentType: 'PNS',
      opdId: 'tidak-ada',
    }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  // Uploads without a file: the allowed roles get the missing-file 400, the others the guard's answer.
  ...['/api/v1/asn/import', '/api/v1/opds/import'].map((path): MatrixRoute => ({
    method: 'post',
    path,
    body: () => ({}),
    expect: allowOnly({ ADMIN: 400, HR: 400 }),
  })),
  {
    method: 'post',
    path: `/api/v1/asn/${MATRIX_NIP}/transfer`,
    body: () => ({ toOpdId: 'tidak-ada' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: `/api/v1/asn/${MATRIX_NIP}/details`,
    body: () => ({ position: 'Analis', reason: 'uji' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: `/api/v1/asn/${MATRIX_NIP}/departure`,
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/pledges',
    // A real ASN of MATRIX_OPD: the other OPD's head is refused by the OPD scope, not by missing data.
    body: async ({ t }) => ({
      electionId: MATRIX_ELECTION,
      nip: await freshMatrixAsn(t),
      signedAt: '2024-09-20',
      place: 'Bangli',
    }),
    expect: allowOnly({ OPD_HEAD: 201, HR: 201 }),
  },
  {
    method: 'post',
    path: `/api/v1/pledges/tidak-ada/${MATRIX_NIP}/voiding`,
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/cases',
    body: () => ({
      electionId: 'tidak-ada',
      nip: MATRIX_NIP,
      source: 'INTERNAL',
      actCode: 'N01',
      occurredAt: '2024-09-20',
      summary: 'uji',
    }),
    expect: allowOnly({ BAWASLU: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/cases/K-0000-TIDAKADA/verification',
    body: () => ({}),
    expect: allowOnly({ BAWASLU: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/cases/K-0000-TIDAKADA/confirmation',
    body: () => ({
      findings: 'uji',
      authority: 'BKN',
      recommendation: { ethics: 'MORAL_TERTUTUP' },
    }),
    expect: allowOnly({ BAWASLU: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/cases/K-0000-TIDAKADA/dismissal',
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ BAWASLU: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/cases/K-0000-TIDAKADA/sanctions',
    body: () => ({
      track: 'ETHICS',
      kind: 'MORAL_TERTUTUP',
      decreeNumber: '1',
      decidedBy: 'Bupati',
      decidedAt: '2024-10-01',
      effectiveFrom: '2024-10-01',
    }),
    expect: allowOnly({ HR: 404 }),
  },
  // Audit: history and export for Bawaslu and admins; verification material for anyone.
  { method: 'get', path: '/api/v1/audit/events', expect: allowOnly({ ADMIN: 200, BAWASLU: 200 }) },
  { method: 'get', path: '/api/v1/audit/export', expect: allowOnly({ ADMIN: 200, BAWASLU: 200 }) },
  {
    method: 'post',
    path: '/api/v1/audit/checkpoints',
    body: () => ({}),
    expect: allowOnly({ ADMIN: 201, BAWASLU: 201 }),
  },
  ...[
    '/api/v1/audit/checkpoint',
    '/api/v1/audit/checkpoints',
    '/api/v1/audit/public-key',
    '/api/v1/audit/proofs/inclusion?index=0&treeSize=1',
    '/api/v1/audit/proofs/consistency?from=1&to=1',
  ].map((path): MatrixRoute => ({ method: 'get', path, expect: everyone(200) })),
  // Read side, over MATRIX_ELECTION and MATRIX_OPD's real data: an OPD head asking about another OPD is
  // refused (OPD scope); asking without naming an OPD, they get their own.
  {
    method: 'get',
    path: `/api/v1/compliance?electionId=${MATRIX_ELECTION}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/compliance/summary?electionId=${MATRIX_ELECTION}`,
    expect: allowOnly({ ADMIN: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/compliance/export?electionId=${MATRIX_ELECTION}`,
    expect: allowOnly({ ADMIN: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/opds/${MATRIX_OPD}/compliance?electionId=${MATRIX_ELECTION}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/pledges?electionId=${MATRIX_ELECTION}&opdId=${MATRIX_OPD}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/pledges/missing?electionId=${MATRIX_ELECTION}`,
    expect: allowOnly({ ADMIN: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: '/api/v1/cases',
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/cases?opdId=${MATRIX_OPD}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    name: '/api/v1/cases/:caseId (a case of MATRIX_OPD)',
    path: ({ data }) => `/api/v1/cases/${data.caseId}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: '/api/v1/projections/status',
    expect: allowOnly({ ADMIN: 200, BAWASLU: 200 }),
  },
  // Certificates.
  {
    method: 'post',
    path: '/api/v1/certificates',
    body: () => ({ subjectType: 'OPD', subjectId: MATRIX_OPD, electionId: 'tidak-ada' }),
    expect: allowOnly({ HR: 404 }),
  },
  {
    method: 'get',
    path: '/api/v1/certificates',
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    path: `/api/v1/certificates?opdId=${MATRIX_OPD}`,
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'get',
    name: '/api/v1/certificates/:certificateId/pdf (a certificate of MATRIX_OPD)',
    path: ({ data }) => `/api/v1/certificates/${data.certificateId}/pdf`,
    expect: allowOnly({ HR: 200, OPD_HEAD: 200 }),
  },
  {
    method: 'post',
    path: '/api/v1/certificates/SK-0000-TIDAKADA/revocation',
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ HR: 404 }),
  },
  // Verification material and the QR target: anyone, about a real certificate.
  { method: 'get', path: '/api/v1/certificates/root-ca.pem', expect: everyone(200) },
  {
    method: 'get',
    name: '/api/v1/certificates/:certificateId/verification',
    path: ({ data }) => `/api/v1/certificates/${data.certificateId}/verification`,
    expect: everyone(200),
  },
  // Without a file: the form's 400 for everyone, nobody turned away.
  { method: 'post', path: '/api/v1/certificates/verify', expect: everyone(400) },
  {
    method: 'get',
    web: true,
    name: '/v/:certificateId',
    path: ({ data }) => `/v/${data.certificateId}`,
    expect: everyone(200),
  },
  { method: 'get', web: true, path: '/verifikasi', expect: everyone(200) },
  { method: 'post', web: true, path: '/verifikasi', expect: everyone(400) },

  // Pages: signing in and out. Home sends each role to its work and a browser without a session to sign
  // in; the login page sends a signed-in browser home. An empty login form is the form's 400 for anyone.
  { method: 'get', web: true, path: '/', expect: everyone(303) },
  {
    method: 'get',
    web: true,
    path: '/login',
    expect: { ...everyone(303), anonymous: 200 },
  },
  { method: 'post', web: true, path: '/login', body: () => ({}), expect: everyone(400) },
  {
    method: 'post',
    web: true,
    endsSession: true,
    withTemporaryPassword: true,
    path: '/logout',
    expect: everyone(303),
  },

  // The OPD head's pages, always about their own OPD (the other OPD's head sees theirs). Forms posted
  // empty answer the form's 400 and write nothing.
  ...['/opd', `/opd?electionId=${MATRIX_ELECTION}`, '/opd/pakta', '/opd/staf'].map(
    (path): MatrixRoute => ({
      method: 'get',
      web: true,
      path,
      expect: allowPage({ OPD_HEAD: 200, OPD_HEAD_OTHER: 200 }),
    }),
  ),
  ...['/opd/pakta', '/opd/staf'].map((path): MatrixRoute => ({
    method: 'post',
    web: true,
    path,
    body: () => ({}),
    expect: allowPage({ OPD_HEAD: 400, OPD_HEAD_OTHER: 400 }),
  })),

  // Bawaslu's case pages, also open to HR and admins (a real case of MATRIX_OPD and its evidence file);
  // OPD heads see cases through their dashboard only.
  {
    method: 'get',
    web: true,
    path: '/kasus',
    expect: allowPage({ BAWASLU: 200, HR: 200, ADMIN: 200 }),
  },
  { method: 'get', web: true, path: '/kasus/baru', expect: allowPage({ BAWASLU: 200 }) },
  {
    method: 'post',
    web: true,
    path: '/kasus',
    body: () => ({}),
    expect: allowPage({ BAWASLU: 400 }),
  },
  {
    method: 'get',
    web: true,
    name: '/kasus/:caseId (a case of MATRIX_OPD)',
    path: ({ data }) => `/kasus/${data.caseId}`,
    expect: allowPage({ BAWASLU: 200, HR: 200, ADMIN: 200 }),
  },
  {
    method: 'get',
    web: true,
    name: '/kasus/:caseId/bukti/:sha256 (its evidence)',
    path: ({ data }) => `/kasus/${data.caseId}/bukti/${data.evidenceSha256}`,
    expect: allowPage({ BAWASLU: 200, HR: 200, ADMIN: 200 }),
  },
  // The case forms post about a case that does not exist: the allowed role gets the 404 page.
  ...['verifikasi', 'konfirmasi', 'penghentian'].map((action): MatrixRoute => ({
    method: 'post',
    web: true,
    path: `/kasus/K-0000-TIDAKADA/${action}`,
    body: () => ({}),
    expect: allowPage({ BAWASLU: 404 }),
  })),
  {
    method: 'post',
    web: true,
    path: '/kasus/K-0000-TIDAKADA/sanksi',
    body: () => ({}),
    expect: allowPage({ HR: 404 }),
  },

  // The audit explorer and its export.
  ...['/audit', '/audit/ekspor'].map((path): MatrixRoute => ({
    method: 'get',
    web: true,
    path,
    expect: allowPage({ BAWASLU: 200, ADMIN: 200 }),
  })),

  // Compliance of every OPD, and HR's certificates from it. Issuing for an election that does not exist
  // goes back to the compliance page with the refusal in a flash (Post/Redirect/Get).
  ...['/kepatuhan', `/kepatuhan?electionId=${MATRIX_ELECTION}`, '/kepatuhan.csv'].map(
    (path): MatrixRoute => ({
      method: 'get',
      web: true,
      path,
      expect: allowPage({ HR: 200, BAWASLU: 200, ADMIN: 200 }),
    }),
  ),
  {
    method: 'post',
    web: true,
    path: '/sertifikat',
    body: () => ({ subjectType: 'OPD', subjectId: MATRIX_OPD, electionId: 'tidak-ada' }),
    expect: allowPage({ HR: 303 }),
  },
  {
    method: 'get',
    web: true,
    name: '/sertifikat/:certificateId/pdf (a certificate of MATRIX_OPD)',
    path: ({ data }) => `/sertifikat/${data.certificateId}/pdf`,
    expect: allowPage({ HR: 200, OPD_HEAD: 200 }),
  },
  {
    method: 'get',
    web: true,
    name: '/sertifikat/:certificateId/cabut',
    path: ({ data }) => `/sertifikat/${data.certificateId}/cabut`,
    expect: allowPage({ HR: 200 }),
  },
  // Revoking one that does not exist: HR gets the 404 page.
  {
    method: 'post',
    web: true,
    path: '/sertifikat/SK-0000-TIDAKADA/pencabutan',
    body: () => ({ reason: 'uji' }),
    expect: allowPage({ HR: 404 }),
  },

  // HR's registry pages. Posts without a file answer the form's 400 (nothing is written).
  ...[
    '/registri',
    `/registri/asn?opdId=${MATRIX_OPD}`,
    '/registri/asn?q=198503',
    '/registri/impor',
    '/registri/contoh/asn-bangli.csv',
    '/registri/contoh/opd-bangli.csv',
  ].map((path): MatrixRoute => ({
    method: 'get',
    web: true,
    path,
    expect: allowPage({ ADMIN: 200, HR: 200 }),
  })),
  ...['/registri/impor/asn', '/registri/impor/opd'].map((path): MatrixRoute => ({
    method: 'post',
    web: true,
    path,
    expect: allowPage({ ADMIN: 400, HR: 400 }),
  })),
  { method: 'post', web: true, path: '/registri/opd', expect: allowPage({ ADMIN: 400, HR: 400 }) },
  // An OPD's forms, for an OPD that is not registered: the allowed roles get the 404 page.
  ...['asn', 'nama', 'bubar'].map((form): MatrixRoute => ({
    method: 'post',
    web: true,
    path: `/registri/opd/tidak-ada/${form}`,
    body: () => ({ name: 'uji', reason: 'uji' }),
    expect: allowPage({ ADMIN: 404, HR: 404 }),
  })),
  // One ASN's page and its forms, for a NIP that is not enrolled: the allowed roles get the 404 page.
  {
    method: 'get',
    web: true,
    path: `/registri/asn/${MATRIX_NIP}`,
    expect: allowPage({ ADMIN: 404, HR: 404 }),
  },
  ...['data', 'mutasi', 'keluar', 'kepala'].map((form): MatrixRoute => ({
    method: 'post',
    web: true,
    path: `/registri/asn/${MATRIX_NIP}/${form}`,
    body: () => ({ position: 'Analis', reason: 'uji', toOpdId: MATRIX_OPD }),
    expect: allowPage({ ADMIN: 404, HR: 404 }),
  })),

  // One's own account: every signed-in role; the password form without fields answers its 400.
  {
    method: 'get',
    web: true,
    path: '/akun',
    withTemporaryPassword: true,
    expect: allowPage({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
  },
  {
    method: 'post',
    web: true,
    path: '/akun/sandi',
    withTemporaryPassword: true,
    expect: allowPage({ ADMIN: 400, OPD_HEAD: 400, OPD_HEAD_OTHER: 400, BAWASLU: 400, HR: 400 }),
  },
  // The administrator's election and user pages. A create form with an empty body answers its 400; a user that does
  // not exist is the 404 page.
  { method: 'get', web: true, path: '/pemilihan', expect: allowPage({ ADMIN: 200 }) },
  { method: 'post', web: true, path: '/pemilihan', expect: allowPage({ ADMIN: 400 }) },
  { method: 'get', web: true, path: '/pengguna', expect: allowPage({ ADMIN: 200 }) },
  { method: 'post', web: true, path: '/pengguna', expect: allowPage({ ADMIN: 400 }) },
  { method: 'get', web: true, path: '/pengguna/tidak.ada', expect: allowPage({ ADMIN: 404 }) },
  ...['peran', 'sandi', 'nonaktif'].map((form): MatrixRoute => ({
    method: 'post',
    web: true,
    path: `/pengguna/tidak.ada/${form}`,
    body: () => ({ role: 'HR', password: 'sandi-yang-panjang', reason: 'uji' }),
    expect: allowPage({ ADMIN: 404 }),
  })),

  // Operational endpoints, public by design (README, "Operational endpoints").
  { method: 'get', path: '/health', expect: everyone(200) },
  { method: 'get', path: '/metrics', expect: everyone(200) },
];
