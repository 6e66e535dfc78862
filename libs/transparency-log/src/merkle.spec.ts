import { createHash } from 'node:crypto';
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  splitPoint,
  type SubtreeSource,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/** The leaf inputs of transparency-dev/merkle's RFC 6962 test vectors. */
const VECTOR_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => Buffer.from(hex, 'hex'));

/** The naive definition (RFC 9162 §2.1.1), straight from the leaves. */
const naiveRoot = (leaves: Buffer[]): Buffer => {
  if (leaves.length === 0) {
    return createHash('sha256').digest();
  }
  if (leaves.length === 1) {
    return leafHash(leaves[0]);
  }
  const k = splitPoint(leaves.length);
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
};

/** An in-memory store of complete subtrees built with CompactRange (what the SQLite store keeps). */
const treeOf = (leaves: Buffer[]): SubtreeSource & { range: CompactRange } => {
  const nodes = new Map<string, Buffer>();
  const range = new CompactRange();
  for (const leaf of leaves) {
    range.push(leafHash(leaf), (level, index, hash) => nodes.set(`${level}/${index}`, hash));
  }
  return {
    range,
    complete: (level, index) => {
      const hash = nodes.get(`${level}/${index}`);
      if (!hash) {
        throw new Error(`missing ${level}/${index}`);
      }
      return hash;
    },
  };
};

const randomLeaves = (n: number, seed: number): Buffer[] =>
  Array.from({ length: n }, (_, i) =>
    createHash('sha256')
      .update(`${seed}:${i}`)
      .digest()
      .subarray(0, (i % 7) + 1),
  );

describe('RFC 9162 Merkle tree', () => {
  it('matches the published vectors', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(leafHash(VECTOR_LEAVES[0]).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(naiveRoot(VECTOR_LEAVES.slice(0, 3)).toString('hex')).toBe(
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    );
    expect(naiveRoot(VECTOR_LEAVES).toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
    const tree = treeOf(VECTOR_LEAVES);
    expect(rootHash(tree, 3).toString('hex')).toBe(
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    );
    expect(tree.range.root().toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
  });

  it('verifies every inclusion and consistency proof of the vector tree', () => {
    const tree = treeOf(VECTOR_LEAVES);
    for (let size = 1; size <= 8; size++) {
      const root = rootHash(tree, size);
      for (let i = 0; i < size; i++) {
        expect(
          verifyInclusion(i, size, leafHash(VECTOR_LEAVES[i]), inclusionProof(tree, i, size), root),
        ).toBe(true);
      }
      for (let m = 1; m <= size; m++) {
        expect(
          verifyConsistency(m, size, consistencyProof(tree, m, size), rootHash(tree, m), root),
        ).toBe(true);
      }
    }
  });

  it('cross-checks every proof of every tree up to 300 leaves against the naive definition', () => {
    const leaves = randomLeaves(300, 1);
    const tree = treeOf(leaves);
    const roots = [EMPTY_ROOT];
    for (let n = 1; n <= 300; n++) {
      roots.push(naiveRoot(leaves.slice(0, n)));
      expect(rootHash(tree, n)).toEqual(roots[n]);
    }
    for (let n = 1; n <= 300; n++) {
      for (let i = 0; i < n; i += n > 64 ? 7 : 1) {
        expect(
          verifyInclusion(i, n, leafHash(leaves[i]), inclusionProof(tree, i, n), roots[n]),
        ).toBe(true);
      }
      for (let m = 1; m <= n; m += n > 64 ? 5 : 1) {
        expect(verifyConsistency(m, n, consistencyProof(tree, m, n), roots[m], roots[n])).toBe(
          true,
        );
      }
    }
  });

  describe('adversarial proofs are rejected', () => {
    const leaves = randomLeaves(40, 2);
    const tree = treeOf(leaves);
    const n = 37;
    const root = rootHash(tree, n);
    // A size is only meaningful with its root (a checkpoint signs both): a wrong size comes with that size's root.
    const rootOf = (size: number) => rootHash(tree, size);
    const i = 13;
    const proof = inclusionProof(tree, i, n);
    const leaf = leafHash(leaves[i]);

    it('inclusion: wrong index, size, sibling, root, leaf, proof length', () => {
      expect(verifyInclusion(i, n, leaf, proof, root)).toBe(true);
      expect(verifyInclusion(i + 1, n, leaf, proof, root)).toBe(false);
      expect(verifyInclusion(i, n + 1, leaf, proof, rootOf(n + 1))).toBe(false);
      expect(verifyInclusion(i, n - 1, leaf, proof, rootOf(n - 1))).toBe(false);
      expect(verifyInclusion(i, 16, leaf, proof, rootOf(16))).toBe(false);
      expect(verifyInclusion(n, n, leaf, proof, root)).toBe(false);
      expect(verifyInclusion(-1, n, leaf, proof, root)).toBe(false);
      for (let k = 0; k < proof.length; k++) {
        const tampered = proof.map((p, j) =>
          j === k ? Buffer.from(p.map((b, x) => (x === 0 ? b ^ 1 : b))) : p,
        );
        expect(verifyInclusion(i, n, leaf, tampered, root)).toBe(false);
      }
      expect(verifyInclusion(i, n, leaf, proof, leafHash(Buffer.from('x')))).toBe(false);
      expect(verifyInclusion(i, n, leafHash(leaves[i + 1]), proof, root)).toBe(false);
      expect(verifyInclusion(i, n, leaf, proof.slice(1), root)).toBe(false);
      expect(verifyInclusion(i, n, leaf, [...proof, proof[0]], root)).toBe(false);
      expect(verifyInclusion(i, n, leaf, [proof[0].subarray(1), ...proof.slice(1)], root)).toBe(
        false,
      );
    });

    it('consistency: wrong sizes, hashes, roots, proof length', () => {
      const m = 20;
      const old = rootHash(tree, m);
      const cproof = consistencyProof(tree, m, n);
      expect(verifyConsistency(m, n, cproof, old, root)).toBe(true);
      expect(verifyConsistency(m + 1, n, cproof, rootOf(m + 1), root)).toBe(false);
      expect(verifyConsistency(m, n - 1, cproof, old, rootOf(n - 1))).toBe(false);
      expect(verifyConsistency(m, n + 1, cproof, old, rootOf(n + 1))).toBe(false);
      expect(verifyConsistency(m, n, cproof, root, root)).toBe(false);
      expect(verifyConsistency(m, n, cproof, old, old)).toBe(false);
      expect(verifyConsistency(m, n, cproof.slice(1), old, root)).toBe(false);
      expect(verifyConsistency(m, n, [...cproof, cproof[0]], old, root)).toBe(false);
      expect(verifyConsistency(m, n, [], old, root)).toBe(false);
      expect(verifyConsistency(n, m, cproof, root, old)).toBe(false);
      for (let k = 0; k < cproof.length; k++) {
        const tampered = cproof.map((p, j) =>
          j === k ? Buffer.from(p.map((b, x) => (x === 5 ? b ^ 0x80 : b))) : p,
        );
        expect(verifyConsistency(m, n, tampered, old, root)).toBe(false);
      }
    });

    it('refuses to build proofs outside the tree', () => {
      expect(() => inclusionProof(tree, n, n)).toThrow(RangeError);
      expect(() => consistencyProof(tree, n + 1, n)).toThrow(RangeError);
    });
  });

  it('resumes a compact range from stored subtrees', () => {
    const leaves = randomLeaves(77, 3);
    const tree = treeOf(leaves);
    for (const size of [0, 1, 2, 5, 64, 77]) {
      const resumed = new CompactRange();
      resumed.restore(size, tree);
      expect(resumed.root()).toEqual(naiveRoot(leaves.slice(0, size)));
    }
  });
});
