import { SqliteEventStore } from '@netral/event-store';
import { TransparencyLog } from '@netral/transparency-log';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuilderEvents, type BuilderSettings, LogBuilderThread } from './log-builder';

/** The transparency log's builder thread on real files: it logs what the service's store holds and what is
 * appended live, ends when told, and reports what stops it. */
describe('LogBuilderThread', () => {
  let dir: string;
  let storeFile: string;
  let store: SqliteEventStore;
  let settings: BuilderSettings;
  const threads: LogBuilderThread[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-builder-'));
    storeFile = join(dir, 'events.sqlite');
    settings = { store: { adapter: 'sqlite', file: storeFile }, logFile: join(dir, 'tlog.sqlite') };
    store = new SqliteEventStore({ file: storeFile });
  });
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((thread) => thread.stop()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (count: number, stream = 'opd-uji') => {
    for (let i = 0; i < count; i += 500) {
      const events = Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
        type: 'OpdRegistered',
        data: { opdId: `opd-${i + k}`, name: `OPD ${i + k}` },
        metadata: { actorId: 'uji', correlationId: 'uji' },
      }));
      await store.appendToStream(stream, events);
    }
    return (await store.headPosition())!;
  };
  const start = () => {
    const seen = { size: 0, position: null as bigint | null, failures: [] as Error[] };
    const events: BuilderEvents = {
      appended: (size, position) => Object.assign(seen, { size, position }),
      failed: (error) => seen.failures.push(error),
      warning: () => undefined,
    };
    const thread = new LogBuilderThread(settings, events);
    threads.push(thread);
    return { thread, seen };
  };
  const until = async (what: () => boolean, ms = 5000) => {
    for (const started = Date.now(); !what(); await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() - started > ms) {
        throw new Error('condition not met in time');
      }
    }
  };
  const logged = () => {
    const log = new TransparencyLog(settings.logFile);
    try {
      return { size: log.size, position: log.position };
    } catch {
      return undefined;
    } finally {
      log.close();
    }
  };

  it('logs what the store holds, then what is appended live, and ends when stopped', async () => {
    const head = await append(2_500);
    const { thread, seen } = start();
    await thread.caughtUp;
    expect(seen).toMatchObject({ size: 2_500, position: head, failures: [] });
    expect(logged()).toEqual({ size: 2_500, position: head });

    const live = await append(3, 'opd-baru');
    await until(() => seen.position === live);
    expect(seen.size).toBe(2_503);

    await thread.stop();
    await append(1, 'opd-sesudah');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.size).toBe(2_503);
    expect(logged()).toEqual({ size: 2_503, position: live });
  });

  it('resumes after the last leaf of the file', async () => {
    await append(10);
    const first = start();
    await first.thread.caughtUp;
    await first.thread.stop();
    const head = await append(5, 'opd-lagi');
    const second = start();
    await second.thread.caughtUp;
    expect(second.seen).toMatchObject({ size: 15, position: head, failures: [] });
  });

  it('reports what stops it and ends, leaving the log as it was', async () => {
    await append(3);
    const { thread, seen } = start();
    await thread.caughtUp;
    // Damage the log's file from outside: the next leaf's node row already exists.
    const raw = new Database(settings.logFile);
    raw.prepare('INSERT INTO nodes (level, idx, hash) VALUES (0, 3, ?)').run(Buffer.alloc(32));
    raw.close();
    await append(2, 'opd-baru');
    await until(() => seen.failures.length > 0);
    expect(seen.failures[0].message).toContain('UNIQUE');
    await thread.stop(); // already ended on its own
    expect(seen.size).toBe(3);
    expect(logged()?.size).toBe(3);
  });

  it('fails its start when the thread cannot open the store', async () => {
    settings = { ...settings, store: { adapter: 'sqlite', file: '/dev/null/events.sqlite' } };
    const { thread, seen } = start();
    await expect(thread.caughtUp).rejects.toThrow('/dev/null');
    expect(seen.failures).toHaveLength(1);
  });
});
