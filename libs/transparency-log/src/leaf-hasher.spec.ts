import { withLeafHashes } from './leaf-hasher';
import { CompactRange, leafHash } from './merkle';
import { verifyExport } from './verify-export';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    yield item;
  }
}

const collect = async (batches: Buffer[][], threads: 0 | 1) => {
  const out: { lines: Buffer[]; hashes: Buffer[] }[] = [];
  for await (const batch of withLeafHashes(from(batches), threads)) {
    out.push(batch);
  }
  return out;
};

describe('withLeafHashes', () => {
  // Lines of every kind the thread must hash as merkle.ts does: empty, longer than its first scratch
  // buffer, multi-byte UTF-8; more batches than are in flight at once, and an empty batch among them.
  const batches: Buffer[][] = [
    [Buffer.from(''), Buffer.from('{"a":1}')],
    [],
    [Buffer.from('x'.repeat(10_000)), Buffer.from('𝕏 Kabupaten Bangli ✓')],
    ...Array.from({ length: 9 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => Buffer.from(`{"index":${b * 50 + i}}`)),
    ),
  ];

  it.each([0, 1] as const)(
    'gives each line its RFC 9162 leaf hash, in order (threads %d)',
    async (threads) => {
      const out = await collect(batches, threads);
      expect(out.map((b) => b.lines)).toEqual(batches);
      out.forEach(({ lines, hashes }) => {
        expect(hashes).toHaveLength(lines.length);
        lines.forEach((line, i) => expect(hashes[i].equals(leafHash(line))).toBe(true));
      });
    },
  );
});

describe('verifyExport on one thread and on two', () => {
  const lines = Array.from({ length: 2_345 }, (_, i) => Buffer.from(`{"index":${i},"v":1}`));
  const range = new CompactRange();
  lines.forEach((line) => range.push(leafHash(line)));
  const signed = { origin: 'uji', treeSize: lines.length, rootHash: range.root() };
  const batches = () =>
    from([lines.slice(0, 1000), lines.slice(1000, 1001), lines.slice(1001)].map((b) => [...b]));

  it('agrees on a matching export, CRLF line endings included', async () => {
    const withCr = lines.map((line) => Buffer.concat([line, Buffer.from('\r')]));
    for (const hashThreads of [0, 1] as const) {
      const result = await verifyExport(from([withCr]), { checkpoint: signed, hashThreads });
      expect(result).toMatchObject({ ok: true, lines: lines.length });
    }
  });

  it('agrees on a wrong root and on the checkpoints inside the export', async () => {
    const half = new CompactRange();
    lines.slice(0, 1001).forEach((line) => half.push(leafHash(line)));
    const checkpoints = [
      { origin: 'uji', treeSize: 1001, rootHash: half.root() },
      { ...signed, rootHash: Buffer.alloc(32) },
    ];
    const [one, two] = await Promise.all(
      ([0, 1] as const).map((hashThreads) => verifyExport(batches(), { checkpoints, hashThreads })),
    );
    expect(two).toEqual(one);
    expect(one).toMatchObject({ ok: false, firstFailingCheckpoint: lines.length });
  });
});
