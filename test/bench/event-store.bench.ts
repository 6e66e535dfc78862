import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import {
  type BenchRow,
  type BenchSuite,
  diskWorkDir,
  fileSystemOf,
  formatNumber,
  median,
} from './bench-kit';
import {
  type Contender,
  openEmmett,
  openNetral,
  openRaw,
  type Sync,
} from './event-store/contenders';
import { type ConcurrentResult, concurrent, readAllOnce, sequential } from './event-store/measure';

/**
 * `npm run bench -- event-store [--seconds=2] [--rounds=5] [--events=100000] [--sync=FULL|NORMAL]
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
    rounds: Number(value('rounds') ?? 5),
    events: Number(value('events') ?? 100_000),
    sync,
    dir: value('dir'),
  };
};

const workDir = (requested: string | undefined): string =>
  diskWorkDir('netral-event-store-bench-', requested);

/** How long after its window an emmett child may still take to report before it is killed. */
const EMMETT_GRACE_MS = 30_000;

/** emmett under 64 concurrent appenders runs in its own process (see emmett-concurrent.ts). A child still
 * busy EMMETT_GRACE_MS after its window is killed, and reported from what it told at the window's end. */
const concurrentEmmett = (
  dir: string,
  ms: number,
  tag: string,
): Promise<ConcurrentResult & { busyLogs: number; killed: boolean }> =>
  new Promise((resolvePromise, reject) => {
    const child = fork(
      join(__dirname, 'event-store', 'emmett-concurrent.js'),
      [dir, String(ms), tag],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const told: Partial<Record<'window' | 'settled', ConcurrentResult & { busyLogs: number }>> = {};
    const timer = setTimeout(() => child.kill('SIGKILL'), ms + EMMETT_GRACE_MS);
    child.on('message', (message) => {
      const { phase, result } = message as {
        phase: 'window' | 'settled';
        result: ConcurrentResult & { busyLogs: number };
      };
      told[phase] = result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const result = told.settled ?? told.window;
      if (result) {
        resolvePromise({ ...result, killed: !told.settled });
      } else {
        reject(new Error(`emmett child exited (${signal ?? code}) without a result`));
      }
    });
  });

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
    try {
      // Sequential: contenders alternate order every round; the netral/raw ratio is taken per round
      // (measured minutes apart from nothing else) and its median reported.
      const seq: Record<Name, number[]> = { netral: [], raw: [], emmett: [] };
      const seqVsRaw: number[] = [];
      const seqVsEmmett: number[] = [];
      for (let round = 0; round < args.rounds; round++) {
        const order = round % 2 === 0 ? names : [...names].reverse();
        const measured = {} as Record<Name, number>;
        for (const name of order) {
          const c = await open(name, round, 'seq');
          measured[name] = await sequential(c, ms, `${round}`);
          await c.close();
        }
        for (const name of names) {
          seq[name].push(measured[name]);
        }
        seqVsRaw.push(measured.netral / measured.raw);
        seqVsEmmett.push(measured.netral / measured.emmett);
        console.log(
          `  round ${round + 1} sequential appends/s: ${names.map((n) => `${n} ${formatNumber(measured[n])}`).join(', ')}`,
        );
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
      }
      console.log(
        `  readAll events/s (median of ${readSamples.netral.length}): ${names.map((n) => `${n} ${formatNumber(reads[n])}`).join(', ')}`,
      );

      const conc: Record<Name, number[]> = { netral: [], raw: [], emmett: [] };
      const problems: Record<Name, { errors: number; stalled: number; killed: number }> = {
        netral: { errors: 0, stalled: 0, killed: 0 },
        raw: { errors: 0, stalled: 0, killed: 0 },
        emmett: { errors: 0, stalled: 0, killed: 0 },
      };
      const batches: number[] = [];
      for (let round = 0; round < args.rounds; round++) {
        for (const name of names) {
          let result: ConcurrentResult & { killed?: boolean };
          if (name === 'emmett') {
            result = await concurrentEmmett(
              mkdtempSync(join(dir, `conc-${name}-${round}-`)),
              ms,
              `${round}`,
            );
          } else {
            const c = await open(name, round, 'conc');
            result = await concurrent(c, ms, `${round}`);
            const mean = c.batchSize?.();
            if (mean !== undefined) {
              batches.push(mean);
            }
            await c.close();
          }
          conc[name].push(result.rate);
          problems[name].errors += result.errors;
          problems[name].stalled = Math.max(problems[name].stalled, result.stalled);
          problems[name].killed += result.killed ? 1 : 0;
          console.log(
            `  round ${round + 1} 64 concurrent ${name}: ${formatNumber(result.rate)} events/s${result.errors ? `, ${result.errors} failed appends` : ''}${result.stalled ? `, ${result.stalled} appends never settled` : ''}${result.killed ? ' (killed: its thread stayed blocked)' : ''}`,
          );
        }
      }

      const s = { netral: median(seq.netral), raw: median(seq.raw), emmett: median(seq.emmett) };
      const k = { netral: median(conc.netral), raw: median(conc.raw), emmett: median(conc.emmett) };
      const vsRaw = median(seqVsRaw);
      const vsEmmett = median(seqVsEmmett);
      const noteOf = (name: Name): Partial<BenchRow> => {
        const { errors, stalled, killed } = problems[name];
        const parts = [
          errors ? `${errors} appends failed` : '',
          stalled ? `${stalled} of 64 never settled (SQLITE_BUSY; a connection per append)` : '',
          killed
            ? `${killed} round(s) killed ${EMMETT_GRACE_MS / 1000} s after the window, its thread blocked`
            : '',
        ].filter(Boolean);
        return parts.length ? { note: parts.join('; ') } : {};
      };
      // A contender that moved nothing (emmett stalling under 64 appenders) leaves no ratio: said, not hidden.
      const ratio = (metric: string, a: number, b: number): BenchRow =>
        b > 0
          ? row(metric, a / b, '×')
          : row(metric, Number.NaN, '×', { note: 'n/a: the other side moved 0 events/s' });
      const spread = (ratios: number[]) =>
        `rounds ${formatNumber(Math.min(...ratios))}–${formatNumber(Math.max(...ratios))}×; the medians above come from different rounds`;
      return [
        row('sequential appends: netral', s.netral, 'appends/s', {
          note: `synchronous=${args.sync}`,
        }),
        row('sequential appends: raw better-sqlite3', s.raw, 'appends/s', {
          note: 'ceiling for one commit per append',
        }),
        row('sequential appends: emmett-sqlite', s.emmett, 'appends/s'),
        row('sequential netral / raw (median of per-round ratios)', vsRaw, '×', {
          target: '≥ 0.8',
          met: vsRaw >= 0.8,
          note: spread(seqVsRaw),
        }),
        row('sequential netral / emmett (median of per-round ratios)', vsEmmett, '×', {
          target: '≥ 8',
          met: vsEmmett >= 8,
          note: spread(seqVsEmmett),
        }),
        row('64 concurrent appenders: netral', k.netral, 'events/s', {
          target: '≥ 20,000',
          met: k.netral >= 20_000,
          note: `mean group commit ${formatNumber(median(batches))} events`,
          ...(problems.netral.errors ? noteOf('netral') : {}),
        }),
        row('64 concurrent appenders: raw better-sqlite3', k.raw, 'events/s', noteOf('raw')),
        row('64 concurrent appenders: emmett-sqlite', k.emmett, 'events/s', noteOf('emmett')),
        ratio('64 concurrent netral / raw', k.netral, k.raw),
        ratio('64 concurrent netral / emmett', k.netral, k.emmett),
        row('readAll: netral', reads.netral, 'events/s', {
          target: '≥ 200,000',
          met: reads.netral >= 200_000,
        }),
        row('readAll: raw better-sqlite3', reads.raw, 'events/s', {
          note: 'one cursor over the table, no paging: a reference, not a ceiling for a paged reader',
        }),
        row('readAll: emmett-sqlite', reads.emmett, 'events/s'),
        ratio('readAll netral / raw', reads.netral, reads.raw),
        ratio('readAll netral / emmett', reads.netral, reads.emmett),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
