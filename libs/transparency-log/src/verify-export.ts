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

/**
 * Verifies an export offline (NDJSON, line i = the canonical leaf bytes of leaf i): every line is canonical
 * JSON whose `index` is its line number; the Merkle root of the first checkpoint-size lines equals the
 * signed root. With an earlier export the auditor archived (`reference`), it also names the first line that
 * changed. Streams: memory stays O(log n) whatever the export size.
 */
export const verifyExport = async (
  lines: AsyncIterable<string | Buffer>,
  options: {
    checkpoint?: Checkpoint;
    reference?: AsyncIterable<string | Buffer>;
    onProgress?: (lines: number) => void;
  } = {},
): Promise<ExportVerification> => {
  const range = new CompactRange();
  const problems: string[] = [];
  let firstBadLine: ExportProblem | undefined;
  let rootAtCheckpoint: Buffer | null = null;
  const reference = options.reference?.[Symbol.asyncIterator]();
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
  for await (const raw of lines) {
    const line = asText(raw).replace(/\r$/, '');
    if (line.length === 0) {
      continue;
    }
    const index = range.size;
    let document: { index?: unknown } | undefined;
    try {
      document = JSON.parse(line) as { index?: unknown };
    } catch {
      bad(index, 'not JSON');
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
    range.push(leafHash(Buffer.from(line, 'utf8')));
    if (target !== undefined && range.size === target) {
      rootAtCheckpoint = range.root();
    }
    if (range.size % 10_000 === 0) {
      options.onProgress?.(range.size);
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
