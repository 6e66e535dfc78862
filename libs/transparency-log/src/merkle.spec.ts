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

  /** transparency-dev/merkle proof/verify_test.go: roots of sizes 1…8 and the published proofs. */
  const VECTOR_ROOTS = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  // The Go vectors number leaves from 1; here indexes are 0-based.
  const INCLUSION_VECTORS: { index: number; size: number; proof: string[] }[] = [
    {
      index: 0,
      size: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      index: 5,
      size: 8,
      proof: [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    {
      index: 2,
      size: 3,
      proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
    },
    {
      index: 1,
      size: 5,
      proof: [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
  ];
  const CONSISTENCY_VECTORS: { from: number; to: number; proof: string[] }[] = [
    { from: 1, to: 1, proof: [] },
    {
      from: 1,
      to: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      from: 6,
      to: 8,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    {
      from: 2,
      to: 5,
      proof: [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
    {
      from: 6,
      to: 7,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
  ];
  const hex = (h: string) => Buffer.from(h, 'hex');
  const flip = (proof: Buffer[], k: number, mask: number) =>
    proof.map((p, j) => (j === k ? Buffer.from(p.map((b, x) => (x === 0 ? b ^ mask : b))) : p));
  const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

  it('has the published root of every size 1…8', () => {
    const tree = treeOf(VECTOR_LEAVES);
    VECTOR_ROOTS.forEach((root, i) => expect(rootHash(tree, i + 1).toString('hex')).toBe(root));
  });

  it.each(INCLUSION_VECTORS)(
    'generates and verifies the published inclusion proof of leaf $index in $size',
    ({ index, size, proof }) => {
      const tree = treeOf(VECTOR_LEAVES);
      const root = hex(VECTOR_ROOTS[size - 1]);
      const leaf = leafHash(VECTOR_LEAVES[index]);
      const expected = proof.map(hex);
      expect(inclusionProof(tree, index, size).map((h) => h.toString('hex'))).toEqual(proof);
      expect(verifyInclusion(index, size, leaf, expected, root)).toBe(true);
      // The probes of transparency-dev/merkle's corruptInclusionProof: every one must fail.
      const probes: [number, number, Buffer, Buffer, Buffer[]][] = [
        [index - 1, size, root, leaf, expected],
        [index + 1, size, root, leaf, expected],
        [index ^ 2, size, root, leaf, expected],
        [index, size * 2, root, leaf, expected],
        [index, Math.floor(size / 2), root, leaf, expected],
        [index, size, root, Buffer.from('WrongLeaf'), expected],
        [index, size, EMPTY_ROOT, leaf, expected],
        [index, size, SOME_HASH, leaf, expected],
        [index, size, root, leaf, [...expected, Buffer.alloc(0)]],
        [index, size, root, leaf, [...expected, root]],
        [index, size, root, leaf, [Buffer.alloc(0), ...expected]],
        [index, size, root, leaf, [root, ...expected]],
        [index, size, root, leaf, expected.slice(0, -1)],
        ...expected.map((_, k): [number, number, Buffer, Buffer, Buffer[]] => [
          index,
          size,
          root,
          leaf,
          flip(expected, k, 8),
        ]),
      ];
      if (expected.length > 1) {
        probes.push([index, size, root, leaf, [expected[0], SOME_HASH, ...expected.slice(1)]]);
      }
      for (const [i, n, r, l, p] of probes) {
        expect(verifyInclusion(i, n, l, p, r)).toBe(false);
      }
    },
  );

  it.each(CONSISTENCY_VECTORS)(
    'generates and verifies the published consistency proof $from → $to',
    ({ from, to, proof }) => {
      const tree = treeOf(VECTOR_LEAVES);
      const root1 = hex(VECTOR_ROOTS[from - 1]);
      const root2 = hex(VECTOR_ROOTS[to - 1]);
      const expected = proof.map(hex);
      expect(consistencyProof(tree, from, to).map((h) => h.toString('hex'))).toEqual(proof);
      expect(verifyConsistency(from, to, expected, root1, root2)).toBe(true);
      if (expected.length === 0) {
        return;
      }
      // corruptConsistencyProof's probes.
      const probes: [number, number, Buffer, Buffer, Buffer[]][] = [
        [from - 1, to, root1, root2, expected],
        [from + 1, to, root1, root2, expected],
        [from ^ 2, to, root1, root2, expected],
        [from, to * 2, root1, root2, expected],
        [from, Math.floor(to / 2), root1, root2, expected],
        [from, to, Buffer.from('WrongRoot'), root2, expected],
        [from, to, root1, Buffer.from('WrongRoot'), expected],
        [from, to, root2, root1, expected],
        [from, to, root1, root2, []],
        [from, to, root1, root2, [...expected, Buffer.alloc(0)]],
        [from, to, root1, root2, [...expected, root1]],
        [from, to, root1, root2, [...expected, root2]],
        [from, to, root1, root2, [Buffer.alloc(0), ...expected]],
        [from, to, root1, root2, [root1, ...expected]],
        [from, to, root1, root2, [root2, ...expected]],
        [from, to, root1, root2, [expected[0], ...expected]],
        [from, to, root1, root2, expected.slice(0, -1)],
        ...expected.map((_, k): [number, number, Buffer, Buffer, Buffer[]] => [
          from,
          to,
          root1,
          root2,
          flip(expected, k, 16),
        ]),
      ];
      for (const [m, n, r1, r2, p] of probes) {
        expect(verifyConsistency(m, n, p, r1, r2)).toBe(false);
      }
    },
  );

  it('handles the edge cases of the published consistency tests', () => {
    const root1 = Buffer.from("don't care 1");
    const root2 = Buffer.from("don't care 2");
    expect(verifyConsistency(0, 0, [], root1, root2)).toBe(false);
    expect(verifyConsistency(1, 1, [], root1, root2)).toBe(false);
    expect(verifyConsistency(0, 0, [], root1, root1)).toBe(true);
    expect(verifyConsistency(0, 1, [], root1, root2)).toBe(true);
    expect(verifyConsistency(1, 1, [], root2, root2)).toBe(true);
    expect(verifyConsistency(1, 0, [], root1, root2)).toBe(false);
    expect(verifyConsistency(2, 1, [], root1, root2)).toBe(false);
    expect(verifyConsistency(1, 2, [], root1, root2)).toBe(false);
    expect(verifyConsistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(1, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    const one = leafHash(Buffer.from('data'));
    expect(verifyInclusion(0, 1, one, [], one)).toBe(true);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], one)).toBe(false);
    expect(verifyInclusion(0, 1, one, [], Buffer.alloc(0))).toBe(false);
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
    ]) {
      expect(verifyInclusion(index, size, SOME_HASH, [], EMPTY_ROOT)).toBe(false);
    }
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
    const seed = Math.floor(Math.random() * 1e9);
    const leaves = randomLeaves(300, seed);
    const tree = treeOf(leaves);
    // MTH(D[start:start+size]) straight from the leaves (RFC 9162 §2.1.1), memoised: independent of the
    // stored complete subtrees the proofs under test are built from.
    const memo = new Map<string, Buffer>();
    const mth = (start: number, size: number): Buffer => {
      const key = `${start}:${size}`;
      let hash = memo.get(key);
      if (!hash) {
        hash =
          size === 1
            ? leafHash(leaves[start])
            : nodeHash(
                mth(start, splitPoint(size)),
                mth(start + splitPoint(size), size - splitPoint(size)),
              );
        memo.set(key, hash);
      }
      return hash;
    };
    const naivePath = (m: number, start: number, n: number): Buffer[] => {
      if (n === 1) {
        return [];
      }
      const k = splitPoint(n);
      return m < k
        ? [...naivePath(m, start, k), mth(start + k, n - k)]
        : [...naivePath(m - k, start + k, n - k), mth(start, k)];
    };
    const naiveSubproof = (m: number, start: number, n: number, b: boolean): Buffer[] => {
      if (m === n) {
        return b ? [] : [mth(start, n)];
      }
      const k = splitPoint(n);
      return m <= k
        ? [...naiveSubproof(m, start, k, b), mth(start + k, n - k)]
        : [...naiveSubproof(m - k, start + k, n - k, false), mth(start, k)];
    };
    expect(naiveRoot(leaves.slice(0, 300))).toEqual(mth(0, 300));
    // One expectation at the end: Jest's deep equality on 90,000 Buffer arrays would take minutes.
    const same = (a: Buffer[], b: Buffer[]) =>
      a.length === b.length && a.every((h, k) => h.equals(b[k]));
    const failures: string[] = [];
    let checked = 0;
    for (let n = 1; n <= 300; n++) {
      const root = mth(0, n);
      if (!rootHash(tree, n).equals(root)) {
        failures.push(`root ${n}`);
      }
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i, n);
        if (!same(proof, naivePath(i, 0, n))) {
          failures.push(`inclusion proof ${i}/${n} differs`);
        } else if (!verifyInclusion(i, n, leafHash(leaves[i]), proof, root)) {
          failures.push(`inclusion proof ${i}/${n} does not verify`);
        }
        checked += 1;
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(tree, m, n);
        if (!same(proof, m === n ? [] : naiveSubproof(m, 0, n, true))) {
          failures.push(`consistency proof ${m}→${n} differs`);
        } else if (!verifyConsistency(m, n, proof, mth(0, m), root)) {
          failures.push(`consistency proof ${m}→${n} does not verify`);
        }
        checked += 1;
      }
    }
    expect({ seed, failures: failures.slice(0, 10) }).toEqual({ seed, failures: [] });
    expect(checked).toBe(300 * 301);
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
