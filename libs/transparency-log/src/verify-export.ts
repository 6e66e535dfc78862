import canonicalize from 'canonicalize';
import type { Checkpoint } from './checkpoint';
import { CompactRange, leafHash } from './merkle';

export interface ExportProblem {
  /** Leaf index = 0-based line number of the export. */
  index: number;
  reason: string;
}

export interface ExportVerification {
  ok: boolean;
  lines: number;
  /** Root of the first `checkpoint.treeSize` lines, base64 (null without a checkpoint or if too short). */
  rootAtCheckpoint: string | null;
  /** Root of every line, base64. */
  root: string;
  /** The first line that is malformed or differs from the reference export. */
  firstBadLine?: ExportProblem;
  problems: string[];
}

const asText = (line: string | Buffer): string =>
  typeof line === 'string' ? line : line.toString('utf8');

/** A line's bytes without a trailing CR. */
const toBytes = (line: string | Buffer): Buffer => {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d
    ? bytes.subarray(0, bytes.length - 1)
    : bytes;
};

/** Splits a byte stream into lines (Buffers without the newline), a chunk's worth at a time: much faster
 * than readline (one await per chunk, not per line). */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer[]> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const data = rest.length > 0 ? Buffer.concat([rest, Buffer.from(chunk)]) : Buffer.from(chunk);
    const batch: Buffer[] = [];
    let start = 0;
    let newline = data.indexOf(0x0a, start);
    while (newline >= 0) {
      batch.push(data.subarray(start, newline));
      start = newline + 1;
      newline = data.indexOf(0x0a, start);
    }
    rest = data.subarray(start);
    yield batch;
  }
  if (rest.length > 0) {
    yield [rest];
  }
}

/** Lines one by one, whether the source yields single lines or batches of them. */
async function* eachLine(
  input: AsyncIterable<string | Buffer | Buffer[]>,
): AsyncGenerator<string | Buffer> {
  for await (const item of input) {
    if (Array.isArray(item)) {
      yield* item;
    } else {
      yield item;
    }
  }
}

/**
 * Verifies an export offline (NDJSON, line i = the canonical leaf bytes of leaf i): every line is canonical
 * JSON whose `index` is its line number; the Merkle root of the first checkpoint-size lines equals the
 * signed root. With an earlier export the auditor archived (`reference`), it also names the first line that
 * changed. Streams: memory stays O(log n) whatever the export size.
 */
export const verifyExport = async (
  input: AsyncIterable<string | Buffer | Buffer[]>,
  options: {
    checkpoint?: Checkpoint;
    reference?: AsyncIterable<string | Buffer | Buffer[]>;
    onProgress?: (lines: number) => void;
    /** Parse every line to check its form and index (slower; names the first bad line). When the root
     * matches the signed one the bytes are exactly those committed to, so a first pass may skip this and
     * run it only to explain a mismatch. Default true. */
    checkLines?: boolean;
  } = {},
): Promise<ExportVerification> => {
  const range = new CompactRange();
  const problems: string[] = [];
  let firstBadLine: ExportProblem | undefined;
  let rootAtCheckpoint: Buffer | null = null;
  const reference = options.reference ? eachLine(options.reference) : undefined;
  let referenceEnded = !reference;
  const bad = (index: number, reason: string) => {
    if (!firstBadLine) {
      firstBadLine = { index, reason };
    }
  };
  const target = options.checkpoint?.treeSize;
  if (target === 0) {
    rootAtCheckpoint = range.root();
  }
  const checkLines = options.checkLines !== false;
  // Batches are walked synchronously: an await per line would cost more than hashing it.
  for await (const item of input) {
    for (const raw of Array.isArray(item) ? item : [item]) {
      const bytes = toBytes(raw);
      if (bytes.length === 0) {
        continue;
      }
      const index = range.size;
      // Decoding to text is only needed to inspect the line; hashing works on the bytes as they are.
      const line = checkLines || reference ? bytes.toString('utf8') : '';
      let document: { index?: unknown } | undefined;
      if (checkLines) {
        try {
          document = JSON.parse(line) as { index?: unknown };
        } catch {
          bad(index, 'not JSON');
        }
      }
      if (document !== undefined) {
        if (canonicalize(document) !== line) {
          bad(index, 'not in RFC 8785 canonical form (bytes differ from what was hashed)');
        } else if (document.index !== index) {
          bad(
            index,
            `its index is ${JSON.stringify(document.index)}, expected ${index} (a line is missing, added or moved)`,
          );
        }
      }
      if (reference && !referenceEnded) {
        const theirs = await reference.next();
        if (theirs.done) {
          referenceEnded = true;
        } else if (asText(theirs.value).replace(/\r$/, '') !== line) {
          bad(index, 'differs from the archived reference export');
        }
      }
      range.push(leafHash(bytes));
      if (target !== undefined && range.size === target) {
        rootAtCheckpoint = range.root();
      }
      if (range.size % 10_000 === 0) {
        options.onProgress?.(range.size);
      }
    }
  }
  if (reference && !referenceEnded) {
    const theirs = await reference.next();
    if (!theirs.done) {
      bad(range.size, 'the archived reference export has more lines: events were removed');
    }
  }
  if (options.checkpoint) {
    if (rootAtCheckpoint === null) {
      problems.push(
        `the export has ${range.size} lines but the checkpoint covers ${target}: events are missing`,
      );
    } else if (!rootAtCheckpoint.equals(options.checkpoint.rootHash)) {
      problems.push(
        `the Merkle root of the first ${target} lines does not match the signed checkpoint: the history was altered`,
      );
    }
  }
  if (firstBadLine) {
    problems.push(
      `line ${firstBadLine.index + 1} (leaf ${firstBadLine.index}): ${firstBadLine.reason}`,
    );
  }
  return {
    ok: problems.length === 0,
    lines: range.size,
    rootAtCheckpoint: rootAtCheckpoint ? rootAtCheckpoint.toString('base64') : null,
    root: range.root().toString('base64'),
    ...(firstBadLine ? { firstBadLine } : {}),
    problems,
  };
};
