import { counter, progress } from './progress';

/** What the progress helpers write to stderr, on a terminal or not. */
const stderrOf = (tty: boolean, work: () => void): string => {
  const saved = { isTTY: process.stderr.isTTY, write: process.stderr.write.bind(process.stderr) };
  let written = '';
  process.stderr.isTTY = tty;
  process.stderr.write = (chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  };
  try {
    work();
  } finally {
    process.stderr.isTTY = saved.isTTY;
    process.stderr.write = saved.write;
  }
  return written;
};

describe('counter (rows read, no known end)', () => {
  const count = (tty: boolean, rows: number) =>
    stderrOf(tty, () => {
      const c = counter('memeriksa');
      for (let done = 1; done <= rows; done++) {
        c.update(done);
      }
      c.stop();
    });

  it('piped or logged: a full line every 10,000 rows, never a carriage return', () => {
    const out = count(false, 50_500);
    expect(out).not.toContain('\r');
    expect(out.split('\n').filter(Boolean)).toEqual(
      [10_000, 20_000, 30_000, 40_000, 50_000].map((n) => `memeriksa: ${n} baris`),
    );
    expect(count(false, 999)).toBe('');
  });

  it('on a terminal: one line rewritten in place, cleared when done', () => {
    const out = count(true, 2_500);
    expect(out).toBe('\rmemeriksa: 1000 baris\rmemeriksa: 2000 baris\r\x1b[2K');
    expect(count(true, 10)).toBe('');
  });
});

describe('progress (known total), piped', () => {
  it('reports every 10% and the last figure once, never twice', () => {
    const out = stderrOf(false, () => {
      const bar = progress('memverifikasi', 1311);
      bar.increment(742); // a batch: the export ends there
      bar.stop();
    });
    expect(out).toBe('memverifikasi: 742/1311 (56%)\n');
    const whole = stderrOf(false, () => {
      const bar = progress('menyimpan', 4);
      for (let i = 0; i < 4; i++) {
        bar.increment();
      }
      bar.stop();
    });
    expect(whole.split('\n').filter(Boolean)).toEqual([
      'menyimpan: 1/4 (25%)',
      'menyimpan: 2/4 (50%)',
      'menyimpan: 3/4 (75%)',
      'menyimpan: 4/4 (100%)',
    ]);
  });

  it('update takes a running total: the same lines as the increments it stands for', () => {
    const out = stderrOf(false, () => {
      const bar = progress('memeriksa', 10);
      for (const done of [3, 6, 10]) {
        bar.update(done);
      }
      bar.stop();
    });
    expect(out.split('\n').filter(Boolean)).toEqual([
      'memeriksa: 3/10 (30%)',
      'memeriksa: 6/10 (60%)',
      'memeriksa: 10/10 (100%)',
    ]);
  });
});
