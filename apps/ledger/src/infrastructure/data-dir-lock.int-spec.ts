import { tempDir } from '@netral/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { configFor } from '@netral/config';
import { holdDataDirOrExit } from '../boot';
import { DataDirLock } from './data-dir-lock';
import { TS_REGISTER } from './ts-register';

/** Holders still running: a test that fails before killing its holder must not leave it behind, or Jest
 * never exits (the child's pipe keeps this process alive). */
const holders = new Set<ChildProcess>();

/** Another process that takes the lock, says so on stdout, and holds it until killed. */
const holder = (dataDir: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        TS_REGISTER,
        '-e',
        `const { DataDirLock } = require(${JSON.stringify(join(__dirname, 'data-dir-lock.ts'))});
         const lock = DataDirLock.tryAcquire(${JSON.stringify(dataDir)});
         console.log(lock ? 'held' : 'busy');
         setInterval(() => lock, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holders.add(child);
    child.once('exit', () => holders.delete(child));
    child.stdout.once('data', (chunk: Buffer) =>
      chunk.toString().trim() === 'held' ? resolve(child) : reject(new Error(chunk.toString())),
    );
    child.once('error', reject);
  });

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describe('DataDirLock', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => {
    for (const child of holders) {
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has one holder at a time in a process, and is free again once released', () => {
    const first = DataDirLock.tryAcquire(dataDir);
    expect(first).toBeDefined();
    expect(DataDirLock.tryAcquire(dataDir)).toBeUndefined();
    first!.release();
    const second = DataDirLock.tryAcquire(dataDir);
    expect(second).toBeDefined();
    second!.release();
  });

  it('is refused while another process holds it, and free as soon as that process is killed', async () => {
    const other = await holder(dataDir);
    try {
      expect(DataDirLock.tryAcquire(dataDir)).toBeUndefined();
    } finally {
      other.kill('SIGKILL');
      await exited(other);
    }
    // No stale lock to clean up after a crash: the kernel dropped it with the process.
    const mine = DataDirLock.tryAcquire(dataDir);
    expect(mine).toBeDefined();
    mine!.release();
  }, 30_000);

  it('stops a second service on the same data directory before it touches anything: exit 75, and why', () => {
    const running = holdDataDirOrExit(configFor({ NETRAL_DATA_DIR: dataDir }));
    const reported: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() =>
      holdDataDirOrExit(configFor({ NETRAL_DATA_DIR: dataDir }), exit, (m) => reported.push(m)),
    ).toThrow('exit 75');
    expect(reported.join('')).toMatch(
      new RegExp(
        `^Netral tidak dapat dimulai\\. Direktori data ${dataDir} sedang dipakai .*NETRAL_DATA_DIR lain\\.$`,
      ),
    );
    running.release();
  });
});
