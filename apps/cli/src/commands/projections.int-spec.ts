import { ELECTION, tempDir } from '@netral/testing';
import { rmSync } from 'node:fs';
import { DataDirLock } from '../../../ledger/src/infrastructure/data-dir-lock';
import { ElectionCommands } from '../../../ledger/src/elections/election.commands';
import { systemActor } from '../../../ledger/src/identity/user.commands';
import { withLedger } from '../app-context';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerProjectionCommands } from './projections';

const projections = runCommand(registerProjectionCommands);
const cli = (...args: string[]) => projections('projections', ...args);

describe('netral projections', () => {
  const saved = { ...process.env };
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir();
    process.env.NETRAL_DATA_DIR = dataDir;
    delete process.env.EVENTSTORE_CONNECTION_STRING;
    await withLedger((app) => app.get(ElectionCommands).schedule(ELECTION, systemActor()));
  }, 60_000);
  afterAll(() => {
    process.env = { ...saved };
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('status: a table of each read model, its position and how far it is behind, without quotes', async () => {
    const { code, output } = await cli('status');
    expect(code).toBe(0);
    const [header, rule, ...rows] = output.split('\n');
    expect(header).toMatch(/^tampilan\s+versi\s+posisi\s+tertinggal \(event\)$/);
    expect(rule).toMatch(/^[─ ]+$/);
    expect(rows).toEqual([expect.stringMatching(/^ledger\s+\d+\s+1\s+0$/)]);
    expect(output).not.toMatch(/['│]/);
  }, 60_000);

  it('rebuild: replays every event from position 0 and says how many', async () => {
    const { code, output } = await cli('rebuild');
    expect(code).toBe(0);
    expect(output).toMatch(/^1 event diputar ulang dalam [\d.]+ s \(\d+ event\/s\): ledger\.$/);
  }, 60_000);

  it('rebuild of an unknown read model: exit 2, naming the ones there are, and nothing done', async () => {
    const { code, output } = await cli('rebuild', 'kepatuhan');
    expect(code).toBe(EXIT_CODES.usage);
    expect(output).toContain('Tampilan "kepatuhan" tidak dikenal. Yang ada: ledger');
  }, 60_000);

  it('rebuild while the service holds the data directory: exit 75, saying to stop it, nothing done', async () => {
    const service = DataDirLock.tryAcquire(dataDir)!;
    try {
      const { code, output } = await cli('rebuild');
      expect(code).toBe(EXIT_CODES.busy);
      expect(output).toContain(`Direktori data ${dataDir} sedang dipakai`);
      expect(output).toContain('Hentikan layanan lebih dulu');
      expect(output).not.toContain('diputar ulang');
      // The status (a read) runs beside the service.
      expect((await cli('status')).code).toBe(0);
    } finally {
      service.release();
    }
  }, 60_000);
});
