import { SqliteEventStore } from '@netral/event-store';
import { closedPort, ELECTION, tempDir } from '@netral/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TS_REGISTER } from '../../apps/ledger/src/infrastructure/ts-register';

const MAIN = join(__dirname, '..', '..', 'apps', 'ledger', 'src', 'main.ts');
const ADMIN_PASSWORD = 'sandi-admin-proses-2024';

interface Service {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The service as `npm start` runs it (main.ts, its own process), from the sources, on `env`. */
const start = (env: Record<string, string>): Service => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(NETRAL_|NODE_ENV$|PORT$)/.test(name)),
  );
  const child = spawn(process.execPath, ['-r', TS_REGISTER, MAIN], {
    env: { ...inherited, NODE_ENV: 'development', NETRAL_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
};

const until = async (check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** The service on a free port of 127.0.0.1, once /health answers 200 (killed if it never does). */
const startReady = async (
  env: Record<string, string>,
): Promise<Service & { port: number; base: string }> => {
  const port = await closedPort();
  const base = `http://127.0.0.1:${port}`;
  const service = start({ PORT: String(port), HOST: '127.0.0.1', ...env });
  try {
    await until(
      async () => (await fetch(`${base}/health`)).status === 200,
      'the service to be ready',
    );
  } catch (error) {
    service.child.kill('SIGKILL');
    throw error;
  }
  return { ...service, port, base };
};

describe('the service as a process', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir('netral-process-');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each([
    [
      'a key file that does not exist',
      { NETRAL_SIGNER_P12_PATH: '/tidak/ada/penanda-tangan.p12' },
      /NETRAL_SIGNER_P12_PATH="\/tidak\/ada\/penanda-tangan\.p12": names no file/,
    ],
    [
      'a data directory under a file',
      { NETRAL_DATA_DIR: '{file}/data' },
      /NETRAL_DATA_DIR=".*\/berkas\/data": must be a directory, but .* cannot be created: .*\/berkas is a file/,
    ],
    [
      'a misspelled setting',
      { NETRAL_SQLITE_SYNCH: 'NORMAL' },
      /NETRAL_SQLITE_SYNCH: is not a Netral setting; did you mean NETRAL_SQLITE_SYNC\?/,
    ],
    [
      'half a PEM signing key',
      { NETRAL_SIGNER_CERT_PATH: '{file}' },
      /NETRAL_SIGNER_KEY_PATH: must be set too/,
    ],
  ])(
    'stops on %s with exit code 78 and the variable to fix, creating nothing',
    async (_, env, message) => {
      const dataDir = dir();
      const file = join(dataDir, 'berkas');
      writeFileSync(file, 'bukan direktori');
      const service = start({
        NETRAL_DATA_DIR: join(dataDir, 'data'),
        PORT: String(await closedPort()),
        ...Object.fromEntries(
          Object.entries(env).map(([name, value]) => [name, value.replace('{file}', file)]),
        ),
      });
      expect(await service.exited).toEqual({ code: 78, signal: null });
      expect(service.stderr()).toMatch(/^Netral cannot start\. Invalid configuration:\n/);
      expect(service.stderr()).toMatch(message);
      expect(service.stderr()).not.toMatch(/\bat .*\.ts:\d+/); // a message, not a stack trace
      expect(service.stdout()).toBe('');
    },
    60_000,
  );

  it("logs JSON lines that carry each request's correlation id, and on SIGTERM finishes the writes it took, closes the store and ends as SIGTERM asked", async () => {
    const dataDir = dir();
    const service = await startReady({
      NETRAL_DATA_DIR: dataDir,
      NETRAL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NETRAL_SQLITE_SYNC: 'NORMAL',
    });
    const { base, port } = service;
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': 'korelasi-masuk-1' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      // A multipart form's CSRF token rides in its action's query; it must not reach the log.
      const form = await fetch(`${base}/opd/staf?_csrf=token-rahasia-123&electionId=pilkada`, {
        method: 'POST',
        headers: { 'X-Correlation-Id': 'korelasi-formulir-1' },
        redirect: 'manual',
      });
      expect(form.status).toBeGreaterThanOrEqual(300);

      // Writes in flight when the signal comes: each one answered 201 must be in the store afterwards.
      const writes = Array.from({ length: 30 }, (_, i) =>
        fetch(`${base}/api/v1/elections`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${accessToken}`,
            'X-Correlation-Id': `korelasi-tulis-${i}`,
          },
          body: JSON.stringify({ ...ELECTION, electionId: `pemilu-proses-${i}` }),
        }).then(
          (res) => ({ i, status: res.status }),
          () => ({ i, status: 0 }), // refused once the server stopped accepting: never acknowledged
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      service.child.kill('SIGTERM');
      const answers = await Promise.all(writes);
      // Nest's shutdown hooks close the application, then end the process with the signal it received:
      // what a supervisor (systemd, Docker) expects of a process it stopped, and no error exit code.
      expect(await service.exited).toEqual({ code: null, signal: 'SIGTERM' });

      const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.i);
      expect(answers.every((a) => a.status === 201 || a.status === 0 || a.status === 503)).toBe(
        true,
      );
      expect(acknowledged.length).toBeGreaterThan(0);
      const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
      try {
        for (const i of acknowledged) {
          const events = [];
          for await (const event of store.readStream(`election-pemilu-proses-${i}`)) {
            events.push(event);
          }
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({
            type: 'ElectionScheduled',
            metadata: expect.objectContaining({ correlationId: `korelasi-tulis-${i}` }),
          });
        }
      } finally {
        await store.close();
      }

      // Every stdout line is a JSON log record (the banner goes to stderr), and a request's lines carry
      // the correlation id it came with.
      const lines = service
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const ofLogin = lines.filter((line) => line.correlationId === 'korelasi-masuk-1');
      // The request's own line and the lines the code logs while serving it.
      expect(ofLogin.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['login succeeded', 'request completed']),
      );
      expect(lines.some((line) => /event store \(sqlite\) closed/.test(String(line.msg)))).toBe(
        true,
      );
      expect(service.stderr()).toContain(`Netral berjalan di http://localhost:${port}`);
      expect(JSON.stringify(lines)).not.toContain(ADMIN_PASSWORD);
      expect(JSON.stringify(lines)).not.toContain('token-rahasia-123');
      expect(lines.find((line) => line.correlationId === 'korelasi-formulir-1')).toMatchObject({
        msg: 'request completed',
        req: { method: 'POST', url: '/opd/staf?_csrf=[redacted]&electionId=pilkada' },
        res: { statusCode: form.status },
      });
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 90_000);

  it('in the pretty format for humans too, the lines of a graceful stop reach stdout before the process ends', async () => {
    const service = await startReady({ NETRAL_DATA_DIR: dir(), NETRAL_LOG_FORMAT: 'pretty' });
    try {
      service.child.kill('SIGTERM');
      expect(await service.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(service.stdout()).toMatch(/INFO.*: ready in \d+ ms/);
      expect(service.stdout()).toMatch(/INFO.*: event store \(sqlite\) closed/);
      expect(service.stdout()).not.toMatch(/^\{/m); // human lines, not JSON
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 90_000);
});
