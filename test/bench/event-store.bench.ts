import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BenchRow, type BenchSuite, formatNumber, median } from './bench-kit';
import {
  type Contender,
  openEmmett,
  openNetral,
  openRaw,
  type Sync,
} from './event-store/contenders';

/**
 * `npm run bench -- event-store [--seconds=2] [--rounds=3] [--events=100000] [--sync=FULL|NORMAL]
 * [--dir=PATH]`: sequential appends, 64 concurrent appenders and readAll for our SQLite adapter, raw
 * better-sqlite3 (the ceiling) and emmett-sqlite, all in this process, on the real disk. Contenders run
 * interleaved, round after round, and the median round counts, so drift on a shared machine hits all alike.
 */

interface Args {
  seconds: number;
  rounds: number;
  events: number;
  sync: Sync;
  dir: string | undefined;
}

const parseArgs = (args: string[]): Args => {
  const value = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sync = (value('sync') ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') {
    throw new Error(`--sync must be FULL or NORMAL, got ${sync}`);
  }
  return {
    seconds: Number(value('seconds') ?? 2),
    rounds: Number(value('rounds') ?? 3),
    events: Number(value('events') ?? 100_000),
    sync,
    dir: value('dir'),
  };
};

/** fsync on tmpfs costs nothing and would flatter every contender: insist on a disk-backed directory. */
const fileSystemOf = (path: string): string | undefined => {
  try {
    const real = realpathSync(path);
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(
        (f) => f.length > 2 && (real === f[1] || real.startsWith(f[1] === '/' ? '/' : `${f[1]}/`)),
      )
      .sort((a, b) => b[1].length - a[1].length);
    return mounts[0]?.[2];
  } catch {
    return undefined;
  }
};

const workDir = (requested: string | undefined): string => {
  const base = requested ? resolve(requested) : tmpdir();
  const fs = fileSystemOf(base);
  const onDisk = fs !== 'tmpfs' && fs !== 'ramfs';
  const parent = onDisk ? base : resolve('bench-results');
  return mkdtempSync(join(parent, 'netral-event-store-bench-'));
};

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs `step` back to back for `ms` after a warm-up; returns completed steps per second. */
const rate = async (ms: number, step: () => Promise<number>): Promise<number> => {
  const warmUntil = now() + Math.min(500, ms / 4);
  while (now() < warmUntil) {
    await step();
  }
  let done = 0;
  const start = now();
  const end = start + ms;
  while (now() < end) {
    done += await step();
  }
  return (done * 1000) / (now() - start);
};

const sequential = (contender: Contender, ms: number, tag: string): Promise<number> => {
  const stream = `seq-${tag}`;
  let expected: bigint | undefined;
  const { appendSync } = contender;
  if (appendSync) {
    // The ceiling: a plain synchronous loop, nothing between transactions.
    return rate(ms, () => {
      for (let i = 0; i < 50; i++) {
        expected = appendSync(stream, expected);
      }
      return Promise.resolve(50);
    });
  }
  return rate(ms, async () => {
    expected = await contender.append(stream, expected);
    return 1;
  });
};

/** 64 appenders, each on its own stream, each awaiting its previous append: events per second. */
const concurrent = async (
  contender: Contender,
  ms: number,
  tag: string,
): Promise<{ rate: number; errors: number; stalled: number }> => {
  const workers = 64;
  let errors = 0;
  let stop = false;
  let done = 0;
  let inFlight = 0;
  const work = async (w: number): Promise<void> => {
    const stream = `conc-${tag}-${w}`;
    let expected: bigint | undefined;
    while (!stop) {
      inFlight++;
      try {
        expected = await contender.append(stream, expected);
        done++;
      } catch {
        errors++;
      } finally {
        inFlight--;
      }
    }
  };
  // emmett-sqlite opens a connection per append and runs `PRAGMA journal_mode = WAL` without a callback:
  // under contention sqlite3 emits SQLITE_BUSY on an unlistened statement, which would kill this process.
  // Count those as failed appends instead; an append caught in it never settles, hence the bounded drain.
  const onUncaught = (error: unknown): void => {
    errors++;
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') {
      console.error(`  ${contender.name}: ${String(error)}`);
    }
  };
  process.on('uncaughtException', onUncaught);
  try {
    const warm = Math.min(500, ms / 4);
    const running = Array.from({ length: workers }, (_, w) => work(w));
    await sleep(warm);
    const startDone = done;
    const start = now();
    contender.batchSize?.();
    await sleep(ms);
    const measured = done - startDone;
    const elapsed = now() - start;
    stop = true;
    await Promise.race([Promise.all(running), sleep(5_000)]);
    return { rate: (measured * 1000) / elapsed, errors, stalled: inFlight };
  } finally {
    process.off('uncaughtException', onUncaught);
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One full readAll pass: events per second. */
const readAllOnce = async (contender: Contender, events: number): Promise<number> => {
  const start = now();
  const n = await contender.readAll();
  if (n !== events) {
    throw new Error(`${contender.name} read ${n} events, expected ${events}`);
  }
  return (n * 1000) / (now() - start);
};

const row = (
  metric: string,
  value: number,
  unit: string,
  extra: Partial<BenchRow> = {},
): BenchRow => ({
  metric,
  value,
  unit,
  ...extra,
});

export const eventStoreBench: BenchSuite = {
  name: 'event-store',
  description:
    'SQLite event store: sequential appends, 64 concurrent appenders, readAll — netral vs raw better-sqlite3 vs emmett-sqlite',
  run: async (argv) => {
    const args = parseArgs(argv);
    const dir = workDir(args.dir);
    const ms = args.seconds * 1000;
    console.log(
      `dir ${dir} (${fileSystemOf(dir) ?? 'unknown fs'}), synchronous=${args.sync}, ${args.rounds} rounds × ${args.seconds}s, readAll over ${args.events} events`,
    );
    const names = ['netral', 'raw', 'emmett'] as const;
    type Name = (typeof names)[number];
    const open = async (name: Name, round: number, phase: string): Promise<Contender> => {
      const sub = mkdtempSync(join(dir, `${phase}-${name}-${round}-`));
      return name === 'netral'
        ? openNetral(sub, args.sync)
        : name === 'raw'
          ? openRaw(sub, args.sync)
          : openEmmett(sub);
    };
    // emmett console.logs every failed transaction (and its stalled appends fail long after their
    // phase): count those instead of flooding the report.
    const log = console.log;
    let emmettBusyLogs = 0;
    console.log = (...items: unknown[]) => {
      if (items.length === 1 && (items[0] as { code?: string } | null)?.code === 'SQLITE_BUSY') {
        emmettBusyLogs++;
        return;
      }
      log(...items);
    };
    try {
      const seq: Record<Name, number[]> = { netral: [], raw: [], emmett: [] };
      const conc: Record<Name, number[]> = { netral: [], raw: [], emmett: [] };
      const concErrors: Record<Name, number> = { netral: 0, raw: 0, emmett: 0 };
      const concStalled: Record<Name, number> = { netral: 0, raw: 0, emmett: 0 };
      const batches: number[] = [];
      for (let round = 0; round < args.rounds; round++) {
        for (const name of names) {
          const c = await open(name, round, 'seq');
          seq[name].push(await sequential(c, ms, `${round}`));
          await c.close();
          console.log(
            `  round ${round + 1} sequential ${name}: ${formatNumber(seq[name][round])} appends/s`,
          );
        }
      }

      // readAll: load each once, warm up, then alternate full passes so noise hits all alike.
      const readers = {} as Record<Name, Contender>;
      for (const name of names) {
        readers[name] = await open(name, 0, 'read');
        await readers[name].load('load', args.events);
        await readers[name].readAll();
      }
      const readSamples: Record<Name, number[]> = { netral: [], raw: [], emmett: [] };
      for (let round = 0; round < Math.max(3, args.rounds); round++) {
        for (const name of names) {
          readSamples[name].push(await readAllOnce(readers[name], args.events));
        }
      }
      const reads = {} as Record<Name, number>;
      for (const name of names) {
        reads[name] = median(readSamples[name]);
        await readers[name].close();
        console.log(`  readAll ${name}: ${formatNumber(reads[name])} events/s (median)`);
      }

      // Last, because emmett stalls under this load and its stuck appends linger in the process.
      for (let round = 0; round < args.rounds; round++) {
        for (const name of names) {
          const c = await open(name, round, 'conc');
          const result = await concurrent(c, ms, `${round}`);
          conc[name].push(result.rate);
          concErrors[name] += result.errors;
          concStalled[name] = Math.max(concStalled[name], result.stalled);
          const mean = c.batchSize?.();
          if (mean !== undefined) {
            batches.push(mean);
          }
          await c.close();
          console.log(
            `  round ${round + 1} 64 concurrent ${name}: ${formatNumber(result.rate)} events/s${result.errors ? `, ${result.errors} failed appends` : ''}${result.stalled ? `, ${result.stalled} appends never settled` : ''}`,
          );
        }
      }

      const s = { netral: median(seq.netral), raw: median(seq.raw), emmett: median(seq.emmett) };
      const k = { netral: median(conc.netral), raw: median(conc.raw), emmett: median(conc.emmett) };
      const seqVsRaw = s.netral / s.raw;
      const seqVsEmmett = s.netral / s.emmett;
      const sync = `synchronous=${args.sync}`;
      const failed = (name: Name): Partial<BenchRow> => {
        const problems = [
          concErrors[name] ? `${concErrors[name]} appends failed` : '',
          concStalled[name]
            ? `${concStalled[name]} never settled (SQLITE_BUSY, connection per append)`
            : '',
        ].filter(Boolean);
        return problems.length ? { note: problems.join('; ') } : {};
      };
      const ratio = (metric: string, a: number, b: number): BenchRow[] =>
        b > 0 ? [row(metric, a / b, '×')] : [];
      return [
        row('sequential appends: netral', s.netral, 'appends/s', { note: sync }),
        row('sequential appends: raw better-sqlite3', s.raw, 'appends/s', { note: 'ceiling' }),
        row('sequential appends: emmett-sqlite', s.emmett, 'appends/s'),
        row('sequential netral / raw', seqVsRaw, '×', { target: '≥ 0.8', met: seqVsRaw >= 0.8 }),
        row('sequential netral / emmett', seqVsEmmett, '×', {
          target: '≥ 8',
          met: seqVsEmmett >= 8,
        }),
        row('64 concurrent appenders: netral', k.netral, 'events/s', {
          target: '≥ 20,000',
          met: k.netral >= 20_000,
          note: `mean group commit ${formatNumber(median(batches))} events`,
        }),
        row('64 concurrent appenders: raw better-sqlite3', k.raw, 'events/s', failed('raw')),
        row('64 concurrent appenders: emmett-sqlite', k.emmett, 'events/s', failed('emmett')),
        ...ratio('64 concurrent netral / raw', k.netral, k.raw),
        ...ratio('64 concurrent netral / emmett', k.netral, k.emmett),
        row('readAll: netral', reads.netral, 'events/s', {
          target: '≥ 200,000',
          met: reads.netral >= 200_000,
        }),
        row('readAll: raw better-sqlite3', reads.raw, 'events/s', { note: 'ceiling' }),
        row('readAll: emmett-sqlite', reads.emmett, 'events/s'),
        ...ratio('readAll netral / raw', reads.netral, reads.raw),
        ...ratio('readAll netral / emmett', reads.netral, reads.emmett),
      ];
    } finally {
      console.log = log;
      if (emmettBusyLogs) {
        console.log(`  (emmett-sqlite logged ${emmettBusyLogs} SQLITE_BUSY errors)`);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
