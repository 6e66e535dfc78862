import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; otherwise a line every 10% so logs stay readable. */
export const progress = (label: string, total: number): Progress => {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      increment: (by = 1) => bar.increment(by),
      setTotal: (t) => bar.setTotal(t),
      stop: () => bar.stop(),
    };
  }
  let value = 0;
  let nextReport = 0.1;
  let max = total;
  const report = () =>
    process.stderr.write(
      `${label}: ${value}/${max} (${Math.floor((value / Math.max(max, 1)) * 100)}%)\n`,
    );
  return {
    increment: (by = 1) => {
      value += by;
      if (max > 0 && value / max >= nextReport) {
        report();
        nextReport = Math.floor((value / max) * 10) / 10 + 0.1;
      }
    },
    setTotal: (t) => {
      max = t;
    },
    stop: () => {
      if (nextReport <= 1) {
        report();
      }
    },
  };
};
