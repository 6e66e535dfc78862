import type { Contender } from './contenders';

/** Timing loops shared by the event-store bench and its emmett child process. */

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `step` back to back for `ms` after a warm-up; returns completed units per second. */
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

/** One appender awaiting each single-event append: appends per second. */
export const sequential = (contender: Contender, ms: number, tag: string): Promise<number> => {
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

export interface ConcurrentResult {
  rate: number;
  /** Appends that rejected. */
  errors: number;
  /** Appends still pending well after the run ended (a stalled store). */
  stalled: number;
}

/** 64 appenders, each on its own stream, each awaiting its previous append: events per second. */
export const concurrent = async (
  contender: Contender,
  ms: number,
  tag: string,
  /** Told the rate, the failures so far and the appends in flight as soon as the measured window ends,
   * before the bounded wait for stalled appends (which a store that blocks its own thread can overrun). */
  onWindowEnd?: (early: ConcurrentResult) => void,
): Promise<ConcurrentResult> => {
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
  const running = Array.from({ length: workers }, (_, w) => work(w));
  await sleep(Math.min(500, ms / 4));
  const startDone = done;
  const start = now();
  contender.batchSize?.();
  await sleep(ms);
  const rate = ((done - startDone) * 1000) / (now() - start);
  stop = true;
  onWindowEnd?.({ rate, errors, stalled: inFlight });
  // A stalled store never settles its appends: wait a bounded time, then report them.
  await Promise.race([Promise.all(running), sleep(5_000)]);
  return { rate, errors, stalled: inFlight };
};

/** One full readAll pass: events per second. */
export const readAllOnce = async (contender: Contender, events: number): Promise<number> => {
  const start = now();
  const n = await contender.readAll();
  if (n !== events) {
    throw new Error(`${contender.name} read ${n} events, expected ${events}`);
  }
  return (n * 1000) / (now() - start);
};
