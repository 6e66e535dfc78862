import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  /** The work done so far, as a running total (what a callback reporting `done` items gives). */
  update(done: number): void;
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
      update: (done) => bar.update(done),
      setTotal: (t) => bar.setTotal(t),
      stop: () => bar.stop(),
    };
  }
  let value = 0;
  let nextReport = 0.1;
  let max = total;
  let reported = -1;
  const report = () => {
    reported = value;
    process.stderr.write(
      `${label}: ${value}/${max} (${Math.floor((value / Math.max(max, 1)) * 100)}%)\n`,
    );
  };
  const increment = (by = 1) => {
    value += by;
    if (max > 0 && value / max >= nextReport) {
      report();
      nextReport = Math.floor((value / max) * 10) / 10 + 0.1;
    }
  };
  return {
    increment,
    update: (done) => increment(done - value),
    setTotal: (t) => {
      max = t;
    },
    stop: () => {
      // The last figure once: a batch that ends the work may already have been reported.
      if (value !== reported) {
        report();
      }
    },
  };
};

export interface Counter {
  /** `done` items so far. */
  update(done: number): void;
  stop(): void;
}

/**
 * Progress with no known end (rows of a file being read): on a terminal one line rewritten every `every`
 * items and cleared at the end; otherwise (a pipe, a log) a line every `every × 10` items, so a large file
 * gives a few readable lines instead of thousands of carriage returns.
 */
export const counter = (label: string, every = 1000): Counter => {
  if (process.stderr.isTTY) {
    let shown = false;
    return {
      update: (done) => {
        if (done % every === 0) {
          shown = true;
          process.stderr.write(`\r${label}: ${done} baris`);
        }
      },
      stop: () => {
        if (shown) {
          process.stderr.write('\r\x1b[2K');
          shown = false;
        }
      },
    };
  }
  return {
    update: (done) => {
      if (done % (every * 10) === 0) {
        process.stderr.write(`${label}: ${done} baris\n`);
      }
    },
    stop: () => undefined,
  };
};
