import {
  closedPort,
  createTestApp,
  createUser,
  seedLedger,
  TEST_PASSWORD,
  tempDir,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { ElectionCommands } from '../../../ledger/src/elections/election.commands';
import { systemActor } from '../../../ledger/src/identity/user.commands';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerAuditCommands } from './audit';

/**
 * `audit archive` against a running service, as Bawaslu's auditor runs it every week: a checkpoint signed
 * on demand, that checkpoint, an export of exactly its size and the key saved in the archive folder, and
 * the export verified against every checkpoint archived so far, so a second run proves the log only grew.
 */
describe('netral audit archive', () => {
  let t: TestApp;
  let url: string;
  let auditor: TestUser;
  let hr: TestUser;
  let archive: string;
  const archiveAs = (password = TEST_PASSWORD) =>
    runCommand(registerAuditCommands, { NETRAL_AUDIT_PASSWORD: password });
  const run = (username: string, password?: string, folder = archive, base = url) =>
    archiveAs(password)('audit', 'archive', folder, '--url', base, '--username', username);
  const scheduleElection = (electionId: string) =>
    t.app.get(ElectionCommands).schedule(
      {
        electionId,
        name: electionId,
        kind: 'PILKADA',
        votingDay: '2025-08-27',
        monitoringFrom: '2025-06-27',
        monitoringUntil: '2025-09-27',
      },
      systemActor(),
    );

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    const admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    auditor = await createUser(t, 'BAWASLU');
    await seedLedger(t, { admin, hr });
    archive = join(tempDir('netral-arsip-'), 'arsip bawaslu');
  }, 60_000);

  afterAll(async () => {
    await t.close();
    rmSync(join(archive, '..'), { recursive: true, force: true });
  });

  it('first run: the checkpoint, an export of its size and the key, verified', async () => {
    const { code, output } = await run(auditor.username);
    expect(code).toBe(0);
    const size = Number(/checkpoint-(\d+)\.txt \(\1 daun\)/.exec(output)?.[1]);
    expect(size).toBeGreaterThan(10);
    expect(output).toContain(`export-${size}.ndjson`);
    expect(output).toContain('netral.key (baru: bandingkan dengan kunci yang diumumkan resmi)');
    expect(output).toMatch(new RegExp(`OK: ${size} baris pertama dari ${size} baris ekspor`));
    const served = await request(t.server).get('/api/v1/audit/public-key').expect(200);
    expect(readFileSync(join(archive, 'netral.key'), 'utf8').trim()).toBe(served.text.trim());
    expect(readFileSync(join(archive, `export-${size}.ndjson`), 'utf8').split('\n')).toHaveLength(
      size + 1,
    );
  });

  it('a later run adds the new checkpoint and export, and checks the old checkpoints against it', async () => {
    const before = readdirSync(archive);
    const first = Number(/checkpoint-(\d+)\.txt/.exec(before.join(' '))?.[1]);
    await scheduleElection('pilkada-ulang-2025');
    const { code, output } = await run(auditor.username);
    expect(code).toBe(0);
    const second = Number(/checkpoint-(\d+)\.txt \(\1 daun\)/.exec(output)?.[1]);
    expect(second).toBeGreaterThan(first);
    expect(output).toContain('netral.key sama dengan yang diarsipkan.');
    expect(output).toContain(`(checkpoint ${first}, ${second}; akar`);
    expect(readdirSync(archive).sort()).toEqual(
      [...before, `checkpoint-${second}.txt`, `export-${second}.ndjson`].sort(),
    );
  });

  it('run again with nothing new: the same export is kept once', async () => {
    const before = readdirSync(archive).sort();
    expect((await run(auditor.username)).code).toBe(0);
    expect(readdirSync(archive).sort()).toEqual(before);
  });

  it('a key other than the archived one stops the run (exit 1) and saves nothing', async () => {
    const folder = join(archive, '..', 'arsip-kunci-lain');
    expect((await run(auditor.username, undefined, folder)).code).toBe(0);
    const other = readFileSync(join(folder, 'netral.key'), 'utf8').replace(/.{8}$/m, 'AAAAAAAA');
    writeFileSync(join(folder, 'netral.key'), other);
    await scheduleElection('pilkada-ulang-2026');
    const before = readdirSync(folder).sort();
    const { code, output } = await run(auditor.username, undefined, folder);
    expect(code).toBe(EXIT_CODES.failed);
    expect(output).toContain('GAGAL: kunci verifikasi yang disajikan layanan');
    expect(output).toContain('Tidak ada yang disimpan.');
    expect(readdirSync(folder).sort()).toEqual(before);
  });

  /** Something else at the address: a proxy's page for every path, or a service that is starting. */
  const impostor = async (
    status: number,
    body: string,
  ): Promise<{ base: string; server: Server }> => {
    const server = createServer((req, res) => {
      const login = req.url === '/api/v1/auth/login';
      res.writeHead(login ? 200 : status, {
        'content-type': login ? 'application/json' : 'text/html',
      });
      res.end(login ? JSON.stringify({ accessToken: 'x' }) : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
  };

  it.each([
    [
      'a web page (a proxy in front)',
      200,
      '<html>Portal</html>',
      EXIT_CODES.usage,
      'tidak menyajikan checkpoint',
    ],
    [
      '503 (a service starting)',
      503,
      '{"message":"Layanan sedang memulai"}',
      EXIT_CODES.unavailable,
      '503 Layanan sedang memulai',
    ],
  ])(
    'an address answering with %s instead of a checkpoint: its exit code, nothing saved',
    async (_case, status, body, exit, words) => {
      const { base, server } = await impostor(status, body);
      try {
        const before = readdirSync(archive).sort();
        const { code, output } = await run(auditor.username, undefined, archive, base);
        expect(code).toBe(exit);
        expect(output).toContain(words);
        expect(readdirSync(archive).sort()).toEqual(before);
      } finally {
        server.close();
      }
    },
  );

  it.each([
    ['a wrong password', () => run(auditor.username, 'bukan-sandinya'), 'ditolak: 401'],
    ['an account that may not sign (HR)', () => run(hr.username), 'harus Bawaslu atau admin'],
    [
      'a service that does not answer',
      async () =>
        run(auditor.username, undefined, archive, `http://127.0.0.1:${await closedPort()}`),
      'tidak menjawab',
    ],
    [
      'an address that is no URL',
      () => run(auditor.username, undefined, archive, 'localhost:3000'),
      'bukan alamat http(s)',
    ],
  ])('%s: exit 2, nothing saved', async (_case, attempt, words) => {
    const before = readdirSync(archive).sort();
    const { code, output } = await attempt();
    expect(code).toBe(EXIT_CODES.usage);
    expect(output).toContain(words);
    expect(readdirSync(archive).sort()).toEqual(before);
  });
});
