import { closedPort, tempDir } from '@netral/testing';
import { rmSync } from 'node:fs';
import { withLedger } from './app-context';
import { CliError, EXIT_CODES } from './cli-error';

describe('withLedger', () => {
  const saved = { ...process.env };
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives up with exit 69 and the store’s reason when EventStoreDB does not answer, doing nothing', async () => {
    process.env.NETRAL_DATA_DIR = dataDir;
    process.env.EVENTSTORE_CONNECTION_STRING = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const work = jest.fn(async () => 'done');
    const failure = await withLedger(work, { storeWaitMs: 1500 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).exitCode).toBe(EXIT_CODES.unavailable);
    expect((failure as CliError).message).toMatch(
      /^Penyimpanan event \(eventstoredb\) tidak dapat dihubungi dalam 2 detik: .*ECONNREFUSED.*Tidak ada yang dikerjakan/s,
    );
    expect(work).not.toHaveBeenCalled();
  });

  it('waits however long catching up takes while the store answers, then runs the work', async () => {
    process.env.NETRAL_DATA_DIR = dataDir;
    delete process.env.EVENTSTORE_CONNECTION_STRING;
    // A wait far shorter than startup: each time it runs out the store is up, so it keeps waiting.
    await expect(withLedger(async () => 'done', { storeWaitMs: 1 })).resolves.toBe('done');
  });
});
