import type { TestApp } from '@netral/testing';

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
  /** Expected status for each caller; every caller must be listed. */
  expect: Record<Who, number>;
}

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
];
