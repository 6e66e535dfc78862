import { nipFor, type TestApp } from '@netral/testing';
import { ElectionCommands } from '../../../apps/ledger/src/elections/election.commands';
import { systemActor } from '../../../apps/ledger/src/identity/user.commands';
import { AsnCommands, OpdCommands } from '../../../apps/ledger/src/registry/registry.commands';

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

/** The OPD the matrix's data belongs to (OPD_HEAD heads it, OPD_HEAD_OTHER heads `MATRIX_OTHER_OPD`). */
export const MATRIX_OPD = 'dinas-kesehatan';
export const MATRIX_OTHER_OPD = 'dinas-pendidikan';
const MATRIX_NIP = '198503122010011002';

export interface MatrixContext {
  t: TestApp;
  /** A fresh suffix per request, for bodies that create something unique. */
  unique: () => string;
}

export interface MatrixRoute {
  method: 'get' | 'post';
  /** For a computed path: how the row is named in the test output. */
  name?: string;
  path: string | ((ctx: MatrixContext) => string | Promise<string>);
  body?: (ctx: MatrixContext) => object | Promise<object>;
  /**
   * A page, not the API: callers sign in through the login form (session cookie; pages ignore bearer
   * tokens) and posts carry a valid CSRF token, so the row tests the role check and not the CSRF check.
   */
  web?: true;
  /** Expected status for each caller; every caller must be listed. */
  expect: Record<Who, number>;
}

const MATRIX_ELECTION = 'matrix-2024';
let matrixLedger: Promise<void> | undefined;
let matrixNips = 0;

/** An ASN enrolled just now in MATRIX_OPD (with the matrix's election and OPD written once): a write row
 * for it answers 201 to its own OPD head and HR, 403 OPD_SCOPE to the head of another OPD. */
const freshMatrixAsn = async ({ t }: MatrixContext): Promise<string> => {
  const actor = systemActor();
  matrixLedger ??= (async () => {
    await t.app.get(ElectionCommands).schedule(
      {
        electionId: MATRIX_ELECTION,
        name: 'Pilkada Matriks',
        kind: 'PILKADA',
        votingDay: '2024-11-27',
        monitoringFrom: '2024-09-25',
        monitoringUntil: '2024-12-15',
      },
      actor,
    );
    for (const [opdId, code] of [
      [MATRIX_OPD, '9.01.01'],
      [MATRIX_OTHER_OPD, '9.01.02'],
    ]) {
      await t.app.get(OpdCommands).register({ opdId, code, name: opdId, kind: 'DINAS' }, actor);
    }
  })();
  await matrixLedger;
  const nip = nipFor(7_000 + (matrixNips += 1));
  await t.app
    .get(AsnCommands)
    .enroll(
      { nip, name: 'ASN Matriks', position: 'Pelaksana', employmentType: 'PNS', opdId: MATRIX_OPD },
      actor,
    );
  return nip;
};

const allowOnly = (allowed: Partial<Record<Who, number>>, denied = 403): Record<Who, number> => ({
  anonymous: 401,
  ADMIN: denied,
  OPD_HEAD: denied,
  OPD_HEAD_OTHER: denied,
  BAWASLU: denied,
  HR: denied,
  ...allowed,
});

/**
 * The one table of who may call what. Every feature adds its routes here; the spec runs each row for
 * every caller against the real app.
 */
export const routes: MatrixRoute[] = [
  {
    method: 'get',
    path: '/health',
    expect: {
      anonymous: 200,
      ADMIN: 200,
      OPD_HEAD: 200,
      OPD_HEAD_OTHER: 200,
      BAWASLU: 200,
      HR: 200,
    },
  },
  {
    method: 'get',
    path: '/api/v1/auth/me',
    expect: allowOnly({ ADMIN: 200, OPD_HEAD: 200, OPD_HEAD_OTHER: 200, BAWASLU: 200, HR: 200 }),
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
    body: ({ unique }) => ({
      opdId: `opd-${unique()}`,
      code: '9.99',
      name: 'Uji',
      kind: 'LAINNYA',
    }),
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
    path: `/api/v1/asn/${'198503122010011002'}/transfer`,
    body: () => ({ toOpdId: 'tidak-ada' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: `/api/v1/asn/${'198503122010011002'}/departure`,
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ ADMIN: 404, HR: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/pledges',
    // A real ASN of MATRIX_OPD: the other OPD's head is refused by the OPD scope, not by missing data.
    body: async (ctx) => ({
      electionId: MATRIX_ELECTION,
      nip: await freshMatrixAsn(ctx),
      signedAt: '2024-09-20',
      place: 'Bangli',
    }),
    expect: allowOnly({ OPD_HEAD: 201, HR: 201 }),
  },
  {
    method: 'post',
    path: `/api/v1/pledges/tidak-ada/${'198503122010011002'}/voiding`,
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ HR: 409 }),
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
  ].map((path): MatrixRoute => ({
    method: 'get',
    path,
    expect: {
      anonymous: 200,
      ADMIN: 200,
      OPD_HEAD: 200,
      OPD_HEAD_OTHER: 200,
      BAWASLU: 200,
      HR: 200,
    },
  })),
  // Read side. The matrix app has no election: an allowed caller gets the rule's 404, a refused one 401/403;
  // OPD heads asking about another OPD are refused (OPD scope).
  {
    method: 'get',
    path: '/api/v1/compliance?electionId=tidak-ada',
    expect: allowOnly({ ADMIN: 404, OPD_HEAD: 404, OPD_HEAD_OTHER: 404, BAWASLU: 404, HR: 404 }),
  },
  {
    method: 'get',
    path: '/api/v1/compliance/summary?electionId=tidak-ada',
    expect: allowOnly({ ADMIN: 404, BAWASLU: 404, HR: 404 }),
  },
  {
    method: 'get',
    path: '/api/v1/compliance/export?electionId=tidak-ada',
    expect: allowOnly({ ADMIN: 404, BAWASLU: 404, HR: 404 }),
  },
  {
    method: 'get',
    path: `/api/v1/opds/${MATRIX_OPD}/compliance?electionId=tidak-ada`,
    expect: allowOnly({ ADMIN: 404, OPD_HEAD: 404, BAWASLU: 404, HR: 404 }),
  },
  {
    method: 'get',
    path: `/api/v1/pledges?electionId=tidak-ada&opdId=${MATRIX_OPD}`,
    expect: allowOnly({ ADMIN: 404, OPD_HEAD: 404, BAWASLU: 404, HR: 404 }),
  },
  {
    method: 'get',
    path: '/api/v1/pledges/missing?electionId=tidak-ada',
    expect: allowOnly({ ADMIN: 404, BAWASLU: 404, HR: 404 }),
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
    path: '/api/v1/cases/K-0000-TIDAKADA',
    expect: allowOnly({ ADMIN: 404, OPD_HEAD: 404, OPD_HEAD_OTHER: 404, BAWASLU: 404, HR: 404 }),
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
    path: '/api/v1/certificates/SK-0000-TIDAKADA/pdf',
    expect: allowOnly({ HR: 404, OPD_HEAD: 404, OPD_HEAD_OTHER: 404 }),
  },
  {
    method: 'post',
    path: '/api/v1/certificates/SK-0000-TIDAKADA/revocation',
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ HR: 404 }),
  },
  ...[
    '/api/v1/certificates/root-ca.pem',
    '/api/v1/certificates/SK-0000-TIDAKADA/verification',
    '/v/SK-0000-TIDAKADA',
    '/verifikasi',
  ].map((path): MatrixRoute => {
    const status = path.includes('TIDAKADA') ? 404 : 200;
    return {
      method: 'get',
      path,
      expect: {
        anonymous: status,
        ADMIN: status,
        OPD_HEAD: status,
        OPD_HEAD_OTHER: status,
        BAWASLU: status,
        HR: status,
      },
    };
  }),
  {
    method: 'post',
    path: '/api/v1/certificates/verify',
    expect: {
      anonymous: 400,
      ADMIN: 400,
      OPD_HEAD: 400,
      OPD_HEAD_OTHER: 400,
      BAWASLU: 400,
      HR: 400,
    },
  },
  // HR's registry pages. Posts without a file answer the form's 400 (nothing is written); the certificate
  // does not exist, so HR gets the 404 page.
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
    expect: allowOnly({ ADMIN: 200, HR: 200 }),
  })),
  ...['/registri/impor/asn', '/registri/impor/opd'].map((path): MatrixRoute => ({
    method: 'post',
    web: true,
    path,
    expect: allowOnly({ ADMIN: 400, HR: 400 }),
  })),
  {
    method: 'get',
    web: true,
    path: '/sertifikat/SK-0000-TIDAKADA/cabut',
    expect: allowOnly({ HR: 404 }),
  },
  {
    method: 'post',
    web: true,
    path: '/sertifikat/SK-0000-TIDAKADA/pencabutan',
    body: () => ({ reason: 'uji' }),
    expect: allowOnly({ HR: 404 }),
  },
];
