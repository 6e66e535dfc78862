import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent, SubscriptionMessage } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Crash safety with real processes: a child appends through the adapter and prints each acknowledged
 * append; it is killed with SIGKILL at a random moment; after reopening, every acknowledged event must be
 * there, in order, atomically, and the file must pass PRAGMA integrity_check.
 */

const ROUNDS = 24;
const REGISTER = join(__dirname, 'testing', 'register-ts.js');
const APPENDER = join(__dirname, 'testing', 'crash-appender.ts');

interface Ack {
  stream: string;
  revision: bigint;
  position: bigint;
  count: number;
}

const parseAck = (line: string): Ack => {
  const [stream, revision, position, count] = line.split(' ');
  return { stream, revision: BigInt(revision), position: BigInt(position), count: Number(count) };
};

const startAppender = (file: string, limit: number | 'forever', prefix?: string): ChildProcess =>
  spawn(
    process.execPath,
    ['-r', REGISTER, APPENDER, file, String(limit), ...(prefix ? [prefix] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

/** Longer than any round takes (a fraction of a second), short of stalling the whole test run. */
const ROUND_DEADLINE_MS = 30_000;

/** Collects acknowledgement lines; `onAck` may kill the child. Resolves when the child has exited. A child
 * still running after ROUND_DEADLINE_MS (an appender that stopped acknowledging, which would otherwise
 * append for ever and keep Jest from exiting) is killed and the round fails, saying so. */
const run = (
  child: ChildProcess,
  onAck: (acks: Ack[]) => void = () => undefined,
): Promise<{ acks: Ack[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    let stalled = false;
    const deadline = setTimeout(() => {
      stalled = true;
      child.kill('SIGKILL');
    }, ROUND_DEADLINE_MS);
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      // A line is complete only once its newline arrived; the child writes each line in one write().
      buffered = lines.pop()!;
      for (const line of lines) {
        acks.push(parseAck(line));
      }
      onAck(acks);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (stalled) {
        reject(
          new Error(
            `the child was still running after ${ROUND_DEADLINE_MS} ms (${acks.length} acks)`,
          ),
        );
      } else {
        resolve({ acks, code, signal, stderr });
      }
    });
  });

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
  }
  return out;
};

describe('SQLite adapter under SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-es-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged append across ${ROUNDS} kills at random moments`, async () => {
    const file = join(dir, 'crash.sqlite');
    const acknowledged: Ack[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const child = startAppender(file, 'forever');
      // Most rounds die after a random number of acknowledgements (mid group commit); every fourth dies
      // at a random instant after spawning, possibly while opening or recovering the file.
      const killAfterAcks = round % 4 === 3 ? undefined : 1 + Math.floor(Math.random() * 300);
      const timer =
        killAfterAcks === undefined
          ? setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 200)
          : undefined;
      const outcome = await run(child, (acks) => {
        if (killAfterAcks !== undefined && acks.length >= killAfterAcks) {
          child.kill('SIGKILL');
        }
      });
      clearTimeout(timer);
      expect({ round, signal: outcome.signal, stderr: outcome.stderr }).toEqual({
        round,
        signal: 'SIGKILL',
        stderr: '',
      });
      acknowledged.push(...outcome.acks);

      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const store = new SqliteEventStore({ file });
      try {
        const all = await collect(store.readAll());
        // Gap-free global order: position n is the n-th event, whatever was killed mid-flight.
        const gaps = all.filter((e, i) => e.position !== BigInt(i + 1));
        expect({ round, gaps }).toEqual({ round, gaps: [] });
        // Each stream's revisions are contiguous from 0 in global order.
        const lastRevision = new Map<string, bigint>();
        const disorder = all.filter((e) => {
          const expected = (lastRevision.get(e.streamId) ?? -1n) + 1n;
          lastRevision.set(e.streamId, e.revision);
          return e.revision !== expected;
        });
        expect({ round, disorder }).toEqual({ round, disorder: [] });
        // Appends are atomic, acknowledged or not: an append of n events left all n or none.
        const parts = new Map<string, number>();
        for (const e of all) {
          const key = `${String(e.data.run)}#${String(e.data.i)}#${e.streamId}`;
          parts.set(key, (parts.get(key) ?? 0) + 1);
        }
        const torn = [...parts].filter(([key, n]) => n !== 1 + (Number(key.split('#')[1]) % 3));
        expect({ round, torn }).toEqual({ round, torn: [] });
        // Every event of every append acknowledged so far is present, where it was acknowledged.
        const byPosition = new Map(all.map((e) => [e.position, e]));
        const lost = acknowledged.filter((ack) =>
          Array.from({ length: ack.count }, (_, k) =>
            byPosition.get(ack.position - BigInt(k)),
          ).some(
            (event, k) =>
              event?.streamId !== ack.stream || event.revision !== ack.revision - BigInt(k),
          ),
        );
        expect({ round, lost }).toEqual({ round, lost: [] });
      } finally {
        await store.close();
      }
    }
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);
  }, 120_000);

  it('refuses UPDATE, DELETE and a second event at a taken revision through a raw connection', async () => {
    const file = join(dir, 'immutable.sqlite');
    const store = new SqliteEventStore({ file });
    await store.appendToStream('opd-1', {
      type: 'OpdRegistered',
      data: { name: 'Dinas Pendidikan' },
    });
    await store.close();

    const raw = new Database(file);
    try {
      expect(() => raw.prepare("UPDATE events SET data = '{}'").run()).toThrow(/UPDATE refused/);
      expect(() => raw.prepare("UPDATE events SET stream_id = 'opd-2'").run()).toThrow(
        /UPDATE refused/,
      );
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/DELETE refused/);
      // UNIQUE(stream_id, revision): the database itself, not only the adapter's check, keeps one event
      // per revision of a stream.
      expect(() =>
        raw
          .prepare(
            "INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES ('x', 'opd-1', 0, 'OpdRegistered', '{}', '{}', 0)",
          )
          .run(),
      ).toThrow(/UNIQUE constraint failed: events\.stream_id, events\.revision/);
      expect(raw.prepare('SELECT stream_id, data FROM events').all()).toEqual([
        { stream_id: 'opd-1', data: '{"name":"Dinas Pendidikan"}' },
      ]);
    } finally {
      raw.close();
    }
  });
});

describe('SQLite adapter with another process appending', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-es-xproc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers events committed by another process to a live subscription, in order, without gaps', async () => {
    const file = join(dir, 'shared.sqlite');
    const store = new SqliteEventStore({ file, pollIntervalMs: 10 });
    try {
      await store.appendToStream('service-0', { type: 'ServiceWrote', data: { n: 0 } });
      const iterator = store.subscribeToAll()[Symbol.asyncIterator]();
      const messages: SubscriptionMessage[] = [];
      const next = async (): Promise<SubscriptionMessage> => {
        const result = await iterator.next();
        if (result.done) {
          throw new Error('subscription ended');
        }
        messages.push(result.value);
        return result.value;
      };
      expect((await next()).kind).toBe('event');
      expect((await next()).kind).toBe('caughtUp');

      // The CLI's shape: another process appending to the same file while the service runs and writes too.
      const child = run(startAppender(file, 25, 'cli'));
      const ours: bigint[] = [];
      for (let n = 1; n <= 20; n++) {
        ours.push(
          (await store.appendToStream('service-0', { type: 'ServiceWrote', data: { n } })).position,
        );
      }
      const { acks, code, stderr } = await child;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const childEvents = acks.reduce((sum, a) => sum + a.count, 0);

      const live: RecordedEvent[] = [];
      while (live.length < childEvents + ours.length) {
        const message = await next();
        if (message.kind === 'event') {
          live.push(message.event);
        }
      }
      expect(live.map((e) => e.position)).toEqual(live.map((_, i) => BigInt(i + 2)));
      expect(live.filter((e) => e.streamId === 'service-0').map((e) => e.position)).toEqual(ours);
      for (const ack of acks) {
        const last = live.find((e) => e.position === ack.position);
        expect(last && { stream: last.streamId, revision: last.revision }).toEqual({
          stream: ack.stream,
          revision: ack.revision,
        });
      }
      expect(messages.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 30_000);
});
