import canonicalize from 'canonicalize';
import type { Checkpoint } from './checkpoint';
import { LEAF_VERSION } from './leaf';
import { defaultHashThreads, withLeafHashes } from './leaf-hasher';
import { CompactRange } from './merkle';

/** Why a line is wrong; the CLI words each kind for the auditor. */
export type LineProblemKind =
  'EMPTY' | 'NOT_JSON' | 'NOT_CANONICAL' | 'WRONG_INDEX' | 'WRONG_VERSION';

/**
 * Where the export first differs from an archived export (`reference`). Not a verdict by itself: neither
 * file is trusted, so whoever reads it must check which one matches a signed checkpoint.
 */
export type ReferenceDifference =
  | { index: number; kind: 'DIFFERS' }
  /** The export ended at `index` while the reference goes on. */
  | { index: number; kind: 'REFERENCE_LONGER' };

export interface ExportProblem {
  /** Leaf index = 0-based line number of the export. */
  index: number;
  kind: LineProblemKind;
  reason: string;
  /** WRONG_INDEX: the index the line claims; WRONG_VERSION: the version it claims. */
  found?: unknown;
}

export interface CheckpointResult {
  treeSize: number;
  /** True when the root of the first `treeSize` lines is the signed root. */
  ok: boolean;
  /** The export is shorter than the checkpoint. */
  missingLines?: number;
}

export interface ExportVerification {
  ok: boolean;
  lines: number;
  /** Root of every line, base64. */
  root: string;
  /** Root of the first `treeSize` lines of the largest checkpoint, base64 (null if the export is shorter). */
  rootAtCheckpoint: string | null;
  /** Every checkpoint given, smallest first. */
  checkpoints: CheckpointResult[];
  /** The smallest checkpoint the export does not match. */
  firstFailingCheckpoint?: number;
  /**
   * Where the first altered leaf must lie when only roots tell: at or after `from` (the largest matching
   * checkpoint below the failing one) and before `to` (the failing checkpoint's size).
   */
  suspectRange?: { from: number; to: number };
  /** The first line found wrong by itself (form, `v`, index), if any; only with `checkLines`. */
  firstBadLine?: ExportProblem;
  /** With `reference`: the first line where the two exports differ. It does not affect `ok`. */
  referenceDifference?: ReferenceDifference;
  /**
   * Lines after the largest checkpoint's tree size: no signature covers them, so only their form is checked
   * (always, whatever `checkLines`). They do not affect `ok`.
   */
  uncovered: { lines: number; firstBadLine?: ExportProblem };
  /** English one-liners for logs; the CLI prints its own wording. */
  problems: string[];
}

/** A line's bytes without a trailing CR (an export saved with Windows line endings still verifies). */
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
    // Copy the tail: a subarray would keep the whole chunk alive until the next newline.
    rest = Buffer.from(data.subarray(start));
    yield batch;
  }
  if (rest.length > 0) {
    yield [rest];
  }
}

/** Batches of line bytes (without a trailing CR), whether the source yields single lines or batches. */
async function* byteBatches(
  input: AsyncIterable<string | Buffer | Buffer[]>,
): AsyncGenerator<Buffer[]> {
  for await (const item of input) {
    yield Array.isArray(item) ? item.map(toBytes) : [toBytes(item)];
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

/** What is wrong with one export line by itself, if anything. */
export const checkLeafLine = (
  bytes: Buffer,
  index: number,
): Omit<ExportProblem, 'index'> | undefined => {
  if (bytes.length === 0) {
    return { kind: 'EMPTY', reason: 'empty line' };
  }
  const text = bytes.toString('utf8');
  let document: { index?: unknown; v?: unknown };
  try {
    document = JSON.parse(text) as { index?: unknown; v?: unknown };
  } catch {
    return { kind: 'NOT_JSON', reason: 'not JSON' };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { kind: 'NOT_JSON', reason: 'not a JSON object' };
  }
  if (canonicalize(document) !== text) {
    return {
      kind: 'NOT_CANONICAL',
      reason: 'not in RFC 8785 canonical form (bytes differ from what was hashed)',
    };
  }
  if (document.v !== LEAF_VERSION) {
    return {
      kind: 'WRONG_VERSION',
      reason: `leaf format version ${JSON.stringify(document.v)}`,
      found: document.v,
    };
  }
  if (document.index !== index) {
    return {
      kind: 'WRONG_INDEX',
      reason: `its index is ${JSON.stringify(document.index)}, expected ${index} (a line is missing, added or moved)`,
      found: document.index,
    };
  }
  return undefined;
};

/**
 * Verifies an export offline (NDJSON, line i = the canonical leaf bytes of leaf i) against signed
 * checkpoints: the Merkle root of the first treeSize lines must equal each signed root. With `checkLines`
 * every covered line is also parsed (canonical JSON, `v`, `index` = its line number) so the first line that
 * cannot be a signed leaf is named; lines beyond the largest checkpoint are always form-checked and reported
 * apart. With an archived earlier export (`reference`) the first line where the two differ is reported,
 * without deciding which one is right. Streams: memory stays O(log n) whatever the export size.
 */
export const verifyExport = async (
  input: AsyncIterable<string | Buffer | Buffer[]>,
  options: {
    checkpoints?: readonly Checkpoint[];
    /** One checkpoint (same as `checkpoints: [checkpoint]`). */
    checkpoint?: Checkpoint;
    reference?: AsyncIterable<string | Buffer | Buffer[]>;
    onProgress?: (lines: number) => void;
    /** Parse every line to check its form and index (slower; names the first bad line). A matching root
     * already proves the bytes are exactly those committed to, so the CLI hashes first and runs this only
     * to explain a mismatch. Default true. */
    checkLines?: boolean;
    /** 1: the leaf hashes on a second thread (about half the work); 0: all on this one. By default 1
     * where the machine has a second core. */
    hashThreads?: 0 | 1;
  } = {},
): Promise<ExportVerification> => {
  const targets = [
    ...(options.checkpoints ?? []),
    ...(options.checkpoint ? [options.checkpoint] : []),
  ]
    .slice()
    .sort((a, b) => a.treeSize - b.treeSize);
  const rootsAt = new Map<number, Buffer>();
  const range = new CompactRange();
  if (targets.some((t) => t.treeSize === 0)) {
    rootsAt.set(0, range.root());
  }
  const wanted = new Set(targets.map((t) => t.treeSize));
  const covered = targets.length > 0 ? targets[targets.length - 1].treeSize : 0;
  let firstBadLine: ExportProblem | undefined;
  let firstBadUncovered: ExportProblem | undefined;
  let referenceDifference: ReferenceDifference | undefined;
  const reference = options.reference ? eachLine(options.reference) : undefined;
  let referenceEnded = !reference;
  const checkLines = options.checkLines !== false;
  // Batches are walked synchronously: an await per line would cost more than hashing it.
  for await (const { lines, hashes } of withLeafHashes(
    byteBatches(input),
    options.hashThreads ?? defaultHashThreads(),
  )) {
    for (let k = 0; k < lines.length; k++) {
      const bytes = lines[k];
      const index = range.size;
      if (index >= covered) {
        // No signature covers this line: its form is all that can be checked.
        if (!firstBadUncovered) {
          const problem = checkLeafLine(bytes, index);
          if (problem) {
            firstBadUncovered = { index, ...problem };
          }
        }
      } else if (checkLines && !firstBadLine) {
        const problem = checkLeafLine(bytes, index);
        if (problem) {
          firstBadLine = { index, ...problem };
        }
      }
      if (reference && !referenceEnded && !referenceDifference) {
        const theirs = await reference.next();
        if (theirs.done) {
          referenceEnded = true;
        } else if (!toBytes(theirs.value).equals(bytes)) {
          referenceDifference = { index, kind: 'DIFFERS' };
        }
      }
      range.push(hashes[k]);
      if (wanted.has(range.size)) {
        rootsAt.set(range.size, range.root());
      }
      if (range.size % 10_000 === 0) {
        options.onProgress?.(range.size);
      }
    }
  }
  options.onProgress?.(range.size);
  if (reference && !referenceEnded && !referenceDifference) {
    const theirs = await reference.next();
    if (!theirs.done) {
      referenceDifference = { index: range.size, kind: 'REFERENCE_LONGER' };
    }
  }
  // Close the reference file when its comparison stopped early.
  await reference?.return(undefined);
  const problems: string[] = [];
  const results: CheckpointResult[] = [];
  let firstFailingCheckpoint: number | undefined;
  let lastGood = 0;
  let suspectRange: { from: number; to: number } | undefined;
  for (const target of targets) {
    const root = rootsAt.get(target.treeSize);
    const ok = root !== undefined && root.equals(target.rootHash);
    results.push({
      treeSize: target.treeSize,
      ok,
      ...(root === undefined ? { missingLines: target.treeSize - range.size } : {}),
    });
    if (ok && firstFailingCheckpoint === undefined) {
      lastGood = target.treeSize;
    }
    if (!ok && firstFailingCheckpoint === undefined) {
      firstFailingCheckpoint = target.treeSize;
      suspectRange = { from: lastGood, to: target.treeSize };
      problems.push(
        root === undefined
          ? `the export has ${range.size} lines but the checkpoint covers ${target.treeSize}: ${target.treeSize - range.size} signed leaves are not in it`
          : `the Merkle root of the first ${target.treeSize} lines differs from the signed root of checkpoint ${target.treeSize}`,
      );
    }
  }
  if (firstBadLine) {
    problems.push(
      `line ${firstBadLine.index + 1} (leaf ${firstBadLine.index}): ${firstBadLine.reason}`,
    );
  }
  const largest = targets[targets.length - 1];
  const atLargest = largest ? rootsAt.get(largest.treeSize) : undefined;
  return {
    ok: problems.length === 0,
    lines: range.size,
    root: range.root().toString('base64'),
    rootAtCheckpoint: atLargest ? atLargest.toString('base64') : null,
    checkpoints: results,
    ...(firstFailingCheckpoint !== undefined ? { firstFailingCheckpoint } : {}),
    ...(suspectRange ? { suspectRange } : {}),
    ...(firstBadLine ? { firstBadLine } : {}),
    ...(referenceDifference ? { referenceDifference } : {}),
    uncovered: {
      lines: Math.max(0, range.size - covered),
      ...(firstBadUncovered ? { firstBadLine: firstBadUncovered } : {}),
    },
    problems,
  };
};
