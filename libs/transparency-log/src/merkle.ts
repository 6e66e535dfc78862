import * as crypto from 'node:crypto';

/** RFC 9162 §2.1.1 hashing: domain-separated leaves and nodes, SHA-256. */
export const HASH_SIZE = 32;

/*
 * One-shot crypto.hash (Node ≥ 20.12) over a reused scratch buffer holding prefix and input: about twice
 * the rate of a Hash object per call, which is what lets the offline verifier and the builder keep up with
 * millions of leaves. The scratch is only touched synchronously, so concurrent callers cannot interleave.
 */
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
let scratch = Buffer.alloc(4096);

const prefixed = (prefix: number, parts: readonly Uint8Array[]): Buffer => {
  const length = 1 + parts.reduce((n, p) => n + p.length, 0);
  if (!oneShot) {
    const hash = crypto.createHash('sha256').update(Buffer.from([prefix]));
    parts.forEach((p) => hash.update(p));
    return hash.digest();
  }
  if (scratch.length < length) {
    scratch = Buffer.alloc(Math.max(length, scratch.length * 2));
  }
  scratch[0] = prefix;
  let offset = 1;
  for (const p of parts) {
    scratch.set(p, offset);
    offset += p.length;
  }
  return oneShot('sha256', scratch.subarray(0, length), 'buffer');
};

export const leafHash = (bytes: Uint8Array): Buffer => prefixed(0x00, [bytes]);

export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer =>
  prefixed(0x01, [left, right]);

export const EMPTY_ROOT: Buffer = crypto.createHash('sha256').update(Buffer.alloc(0)).digest();

/** The largest power of two strictly smaller than n (n ≥ 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
};

/**
 * Where a tree's hashes come from: `complete(level, index)` is the hash of the complete subtree of 2^level
 * leaves starting at leaf index·2^level (level 0: leaf hashes). Any store of complete subtrees answers
 * proofs in O(log n) lookups.
 */
export interface SubtreeSource {
  complete(level: number, index: number): Buffer;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
const log2 = (n: number): number => 31 - Math.clz32(n);

/** MTH(D[start : start+size]) (RFC 9162 §2.1.1), from complete subtrees: O(log size) lookups. */
export const rangeHash = (source: SubtreeSource, start: number, size: number): Buffer => {
  if (size === 0) {
    return EMPTY_ROOT;
  }
  if (isPowerOfTwo(size) && start % size === 0) {
    return source.complete(log2(size), start / size);
  }
  const k = splitPoint(size);
  return nodeHash(rangeHash(source, start, k), rangeHash(source, start + k, size - k));
};

export const rootHash = (source: SubtreeSource, size: number): Buffer => rangeHash(source, 0, size);

/** PATH(m, D[start : start+n]) (RFC 9162 §2.1.3.1): the inclusion proof of leaf m, leaf side first. */
const path = (source: SubtreeSource, m: number, start: number, n: number): Buffer[] => {
  if (n <= 1) {
    return [];
  }
  const k = splitPoint(n);
  return m < k
    ? [...path(source, m, start, k), rangeHash(source, start + k, n - k)]
    : [...path(source, m - k, start + k, n - k), rangeHash(source, start, k)];
};

export const inclusionProof = (
  source: SubtreeSource,
  index: number,
  treeSize: number,
): Buffer[] => {
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(treeSize) ||
    index < 0 ||
    index >= treeSize
  ) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${treeSize} leaves`);
  }
  return path(source, index, 0, treeSize);
};

/** SUBPROOF(m, D[start : start+n], b) (RFC 9162 §2.1.4.1). */
const subproof = (
  source: SubtreeSource,
  m: number,
  start: number,
  n: number,
  complete: boolean,
): Buffer[] => {
  if (m === n) {
    return complete ? [] : [rangeHash(source, start, n)];
  }
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(source, m, start, k, complete), rangeHash(source, start + k, n - k)]
    : [...subproof(source, m - k, start + k, n - k, false), rangeHash(source, start, k)];
};

export const consistencyProof = (source: SubtreeSource, from: number, to: number): Buffer[] => {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RangeError(`no consistency proof from ${from} to ${to} leaves`);
  }
  if (from === 0 || from === to) {
    return [];
  }
  return subproof(source, from, 0, to, true);
};

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: does `proof` prove `leaf` at `index` in the tree of `treeSize` with `root`? */
export const verifyInclusion = (
  index: number,
  treeSize: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean => {
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(treeSize) ||
    index < 0 ||
    index >= treeSize
  ) {
    return false;
  }
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (p.length !== HASH_SIZE || sn === 0) {
      return false;
    }
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
};

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (`to`, `newRoot`) extends (`from`, `oldRoot`)? */
export const verifyConsistency = (
  from: number,
  to: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean => {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    return false;
  }
  if (from === to) {
    return proof.length === 0 && equal(oldRoot, newRoot);
  }
  if (from === 0) {
    return proof.length === 0;
  }
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) {
    return false;
  }
  const path = isPowerOfTwo(from) ? [Buffer.from(oldRoot), ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while ((fn & 1) === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) {
      return false;
    }
    if ((fn & 1) === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, oldRoot) && equal(sr, newRoot) && sn === 0;
};

/**
 * Builds a tree leaf by leaf keeping only the right edge (one hash per level): the root of a stream of
 * leaves in O(log n) memory, as the offline verifier needs for exports of any size. Also yields the
 * complete subtrees it closes, which is what a persistent store keeps.
 */
export class CompactRange {
  /** stack[level] = hash of the pending complete subtree of 2^level leaves, or undefined. */
  private readonly stack: (Buffer | undefined)[] = [];
  size = 0;

  /** Appends one leaf hash; calls `closed(level, index, hash)` for every complete subtree it finishes. */
  push(leaf: Buffer, closed?: (level: number, index: number, hash: Buffer) => void): void {
    let hash = leaf;
    let level = 0;
    let index = this.size;
    closed?.(0, index, hash);
    while (this.stack[level] !== undefined) {
      hash = nodeHash(this.stack[level]!, hash);
      this.stack[level] = undefined;
      level += 1;
      index = Math.floor(index / 2);
      closed?.(level, index, hash);
    }
    this.stack[level] = hash;
    this.size += 1;
  }

  /** Resumes from a stored tree of `size` leaves: the pending subtrees are one per set bit of the size. */
  restore(size: number, source: SubtreeSource): void {
    this.stack.length = 0;
    for (let level = 0; 2 ** level <= size; level++) {
      this.stack[level] =
        Math.floor(size / 2 ** level) % 2 === 1
          ? source.complete(level, Math.floor(size / 2 ** level) - 1)
          : undefined;
    }
    this.size = size;
  }

  /** The root of the leaves pushed so far: the pending subtrees merged right to left. */
  root(): Buffer {
    let acc: Buffer | undefined;
    for (const hash of this.stack) {
      if (hash !== undefined) {
        acc = acc === undefined ? hash : nodeHash(hash, acc);
      }
    }
    return acc ?? EMPTY_ROOT;
  }
}
