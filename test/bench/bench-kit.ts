import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A benchmark suite: runs, prints its table, returns rows that are also written as JSON. */
export interface BenchSuite {
  name: string;
  description: string;
  run(args: string[]): Promise<BenchRow[]>;
}

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  /** true/false when a target applies. */
  met?: boolean;
  note?: string;
}

export const formatNumber = (n: number): string =>
  Number.isNaN(n)
    ? 'n/a'
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en-US')
      : n.toFixed(n >= 10 ? 1 : 2);

export const printTable = (title: string, rows: BenchRow[]): void => {
  const lines = rows.map((r) => [
    r.metric,
    `${formatNumber(r.value)} ${r.unit}`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const header = ['metric', 'measured', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) {
    console.log(fmt(l));
  }
};

export const writeResults = (
  suite: string,
  rows: BenchRow[],
  extra: Record<string, unknown> = {},
): string => {
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { suite, at: new Date().toISOString(), node: process.version, rows, ...extra },
      null,
      2,
    ),
  );
  return file;
};

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export const median = (values: number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** fsync on tmpfs costs nothing and would flatter every contender: insist on a disk-backed directory. */
export const fileSystemOf = (path: string): string | undefined => {
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

/** A fresh directory on a real disk (under `requested`, else the temp dir, else ./bench-results). */
export const diskWorkDir = (prefix: string, requested?: string): string => {
  const base = requested ? resolve(requested) : tmpdir();
  const fs = fileSystemOf(base);
  const onDisk = fs !== 'tmpfs' && fs !== 'ramfs';
  const parent = onDisk ? base : resolve('bench-results');
  return mkdtempSync(join(parent, prefix));
};
