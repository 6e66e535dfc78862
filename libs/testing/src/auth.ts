import type { Role } from '@netral/domain';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { systemActor, UserCommands } from '../../../apps/ledger/src/identity/user.commands';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'kata-sandi-uji-2024';

export interface TestUser {
  userId: string;
  username: string;
  role: Role;
  opdId?: string;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

let counter = 0;

/** Registers a user through the real command service (events and all) and logs in over HTTP; with
 * `temporaryPassword`, as an administrator would have (to be replaced before anything else opens). */
export const createUser = async (
  t: TestApp,
  role: Role,
  options: { opdId?: string; username?: string; password?: string; temporaryPassword?: true } = {},
): Promise<TestUser> => {
  counter += 1;
  const username = options.username ?? `${role.toLowerCase().replace('_', '-')}-${counter}`;
  const password = options.password ?? TEST_PASSWORD;
  const opdId = role === 'OPD_HEAD' ? (options.opdId ?? 'dinas-kesehatan') : undefined;
  await t.app.get(UserCommands).register(
    {
      username,
      displayName: `Pengguna ${username}`,
      password,
      role,
      ...(opdId ? { opdId } : {}),
    },
    systemActor(),
    { temporary: options.temporaryPassword === true },
  );
  const token = await login(t, username, password);
  return {
    userId: username,
    username,
    role,
    ...(opdId ? { opdId } : {}),
    token,
    auth: `Bearer ${token}`,
  };
};

export const login = async (t: TestApp, username: string, password: string): Promise<string> => {
  const res = await request(t.server).post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) {
    throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return (res.body as { accessToken: string }).accessToken;
};

/** The CSRF token of the last page an agent loaded (hidden `_csrf` field). */
export const csrfFrom = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) {
    throw new Error('no CSRF token in page');
  }
  return match[1];
};

/** A browser-like agent (keeps cookies) signed in through the login form. */
export const webLogin = async (
  t: TestApp,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<TestAgent> => {
  const agent = request.agent(t.server);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text), next: '/' });
  if (res.status !== 303) {
    throw new Error(`web login of ${username} failed: ${res.status}`);
  }
  return agent;
};
