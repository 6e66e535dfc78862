import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { StreamNotFoundError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';
import { SqliteEventStore } from '../sqlite-event-store';

/**
 * Child process for the crash and cross-process tests: `crash-appender.ts <file> <appends per worker |
 * forever> [stream prefix]`. Eight workers each own a stream and append one to three events at a time with
 * an exact expected revision. Only after an append is acknowledged is `stream lastRevision position count`
 * written to stdout, synchronously: every line the parent reads is an acknowledged append.
 */
const WORKERS = 8;

const main = async (): Promise<void> => {
  const [file, limit, prefix = 'crash'] = process.argv.slice(2);
  const perWorker = limit === 'forever' ? Number.POSITIVE_INFINITY : Number(limit);
  const store = new SqliteEventStore({ file });
  const run = randomUUID();
  const worker = async (w: number): Promise<void> => {
    const stream = `${prefix}-${w}`;
    let expected: ExpectedRevision = 'no_stream';
    try {
      for await (const last of store.readStream(stream, { direction: 'backwards', maxCount: 1 })) {
        expected = last.revision;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) {
        throw error;
      }
    }
    for (let i = 0; i < perWorker; i++) {
      const count = 1 + (i % 3);
      const result = await store.appendToStream(
        stream,
        Array.from({ length: count }, (_, k) => ({
          type: 'CrashTested',
          data: { run, w, i, k, pad: 'netralitas '.repeat(20) },
        })),
        { expectedRevision: expected },
      );
      expected = result.nextExpectedRevision;
      writeSync(1, `${stream} ${result.nextExpectedRevision} ${result.position} ${count}\n`);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  await store.close();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
