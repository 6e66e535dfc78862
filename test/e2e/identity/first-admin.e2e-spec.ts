import { Logger } from '@nestjs/common';
import { EventStore } from '@netral/event-store';
import { createTestApp, type TestApp } from '@netral/testing';
import { Command } from 'commander';
import request from 'supertest';
import { registerUserCommands } from '../../../apps/cli/src/commands/users';
import { UserDirectory } from '../../../apps/ledger/src/identity/user-directory';

/** Runs `netral <args>` in this process against the test app's data directory. */
const cli = async (dataDir: string, env: Record<string, string>, ...args: string[]) => {
  const saved = { ...process.env };
  Object.assign(process.env, { NETRAL_DATA_DIR: dataDir, ...env });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const program = new Command('netral').exitOverride();
    registerUserCommands(program);
    await program.parseAsync(['node', 'netral', ...args]);
    return log.mock.calls.flat().join('\n');
  } finally {
    log.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
};

describe('the first administrator', () => {
  let t: TestApp;
  let warnings: string[];

  beforeAll(async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      // No user and no NETRAL_BOOTSTRAP_ADMIN_PASSWORD: the service starts anyway.
      t = await createTestApp();
      warnings = warn.mock.calls.map((call) => String(call[0]));
    } finally {
      warn.mockRestore();
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('starts with no user and logs how to create the first administrator', async () => {
    expect(warnings).toContainEqual(expect.stringContaining('npm run cli -- users create-admin'));
    expect(t.app.get(UserDirectory).size).toBe(0);
    expect(await t.app.get(EventStore).headPosition()).toBeNull();
    await request(t.server).get('/health').expect(200);
  });

  it('creates it with `users create-admin`, recorded as the system, and the running service lets it sign in', async () => {
    const password = 'admin-pertama-bangli';
    const out = await cli(t.dataDir, { NETRAL_NEW_PASSWORD: password }, 'users', 'create-admin');
    expect(out).toMatch(/Pengguna admin \(ADMIN\) dibuat pada posisi \d+/);
    const events = [];
    for await (const event of t.app.get(EventStore).readStream('user-admin')) {
      events.push(event);
    }
    const [registered] = events;
    expect(registered).toMatchObject({
      type: 'UserRegistered',
      data: { username: 'admin', role: 'ADMIN' },
      metadata: { actorId: 'system', actorRole: 'SYSTEM' },
    });
    expect(JSON.stringify([registered.data, registered.metadata])).not.toContain(password);
    // The service picks up the other process's commit within its poll interval.
    await t.app.get(UserDirectory).waitFor(registered.position);
    const login = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password })
      .expect(200);
    expect(login.body.user).toMatchObject({ username: 'admin', role: 'ADMIN' });
  });

  it('refuses a weak password and a second account of the same name, naming why', async () => {
    await expect(
      cli(
        t.dataDir,
        { NETRAL_NEW_PASSWORD: 'pendek' },
        'users',
        'create-admin',
        '--username',
        'admin2',
      ),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('password') });
    await expect(
      cli(t.dataDir, { NETRAL_NEW_PASSWORD: 'admin-kedua-bangli' }, 'users', 'create-admin'),
    ).rejects.toMatchObject({ exitCode: 4 });
  });
});
