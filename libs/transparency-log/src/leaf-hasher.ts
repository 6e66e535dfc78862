import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HASH_SIZE, leafHash } from './merkle';

/*
 * The leaf hashes of an export's lines on a second core, for the offline verifier: leaf hashing (the
 * longer SHA-256 input of each line) is about half of a verification, the node hashes and the line
 * splitting the other half. The thread's code is this string, plain JavaScript with nothing to load, so it
 * runs the same from the TypeScript sources and from the build; leaf-hasher.spec checks it against
 * merkle.ts's leafHash.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
let scratch = Buffer.alloc(4096);
parentPort.on('message', ({ id, bytes, ends }) => {
  const data = Buffer.from(bytes);
  const out = Buffer.alloc(ends.length * ${HASH_SIZE});
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const line = data.subarray(start, ends[i]);
    start = ends[i];
    let digest;
    if (oneShot) {
      if (scratch.length < line.length + 1) scratch = Buffer.alloc(Math.max(line.length + 1, scratch.length * 2));
      scratch[0] = 0;
      scratch.set(line, 1);
      digest = oneShot('sha256', scratch.subarray(0, line.length + 1), 'buffer');
    } else {
      digest = crypto.createHash('sha256').update(Buffer.from([0])).update(line).digest();
    }
    digest.copy(out, i * ${HASH_SIZE});
  }
  parentPort.postMessage({ id, hashes: out.buffer }, [out.buffer]);
});
`;

/** The verifier's default: the second thread only where there is a second core to run it. */
export const defaultHashThreads = (): 0 | 1 => (availableParallelism() > 1 ? 1 : 0);

/** Batches of lines on their way to the thread at most at once: enough to keep it busy, memory bounded. */
const IN_FLIGHT = 4;

export interface HashedBatch {
  lines: Buffer[];
  hashes: Buffer[];
}

const slices = (hashes: Buffer, count: number): Buffer[] =>
  Array.from({ length: count }, (_, i) => hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));

/** The same batches of lines, each with its lines' leaf hashes, in order; `threads` 0 hashes inline. */
export async function* withLeafHashes(
  batches: AsyncIterable<Buffer[]>,
  threads: 0 | 1,
): AsyncGenerator<HashedBatch> {
  if (threads === 0) {
    for await (const lines of batches) {
      yield { lines, hashes: lines.map(leafHash) };
    }
    return;
  }
  const worker = new Worker(SOURCE, { eval: true });
  const waiting = new Map<number, { resolve: (hashes: Buffer) => void }>();
  let failure: Error | undefined;
  worker.on('message', ({ id, hashes }: { id: number; hashes: ArrayBuffer }) => {
    waiting.get(id)?.resolve(Buffer.from(hashes));
    waiting.delete(id);
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => undefined); // observed through `failure` and the race below
  const send = (id: number, lines: Buffer[]): Promise<Buffer> => {
    const ends = new Uint32Array(lines.length);
    // Not from Buffer's shared pool: the whole ArrayBuffer is handed to the thread.
    const bytes = Buffer.allocUnsafeSlow(lines.reduce((n, line) => n + line.length, 0));
    let offset = 0;
    lines.forEach((line, i) => {
      bytes.set(line, offset);
      offset += line.length;
      ends[i] = offset;
    });
    const hashed = new Promise<Buffer>((resolve) => waiting.set(id, { resolve }));
    worker.postMessage({ id, bytes: bytes.buffer, ends }, [bytes.buffer, ends.buffer]);
    return Promise.race([hashed, failed]);
  };
  const queue: { lines: Buffer[]; hashes: Promise<Buffer> }[] = [];
  let next = 0;
  try {
    for await (const lines of batches) {
      if (failure) {
        throw failure;
      }
      queue.push({ lines, hashes: send(next++, lines) });
      if (queue.length >= IN_FLIGHT) {
        const oldest = queue.shift()!;
        yield { lines: oldest.lines, hashes: slices(await oldest.hashes, oldest.lines.length) };
      }
    }
    for (const batch of queue.splice(0)) {
      yield { lines: batch.lines, hashes: slices(await batch.hashes, batch.lines.length) };
    }
  } finally {
    await worker.terminate();
  }
}
