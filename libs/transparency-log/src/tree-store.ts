import type { RecordedEvent } from '@netral/event-store';
import Database from 'better-sqlite3';
import { type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Checkpoint, signCheckpoint } from './checkpoint';
import { leafBytes } from './leaf';
import {
  CompactRange,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootHash,
  type SubtreeSource,
  verifyConsistency,
} from './merkle';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: string; // base64
  note: string;
  createdAt: string;
}

export interface LogSigner {
  origin: string;
  keyName: string;
  privateKey: KeyObject;
}

/** Levels at and above this are cached in memory: few nodes, read by every proof. */
const CACHED_LEVEL = 10;

/** The log's own file in the data directory (kept from the first release so existing logs are reused). */
export const TRANSPARENCY_LOG_FILE = 'tlog.sqlite';

/**
 * The log refuses to go on: events out of order, a store whose history no longer matches the logged leaves,
 * or a tree that contradicts a checkpoint it signed. Never retried automatically: a person must look.
 */
export class TransparencyLogIntegrityError extends Error {
  override readonly name = 'TransparencyLogIntegrityError';
  constructor(
    message: string,
    /** The first leaf concerned, when known. */
    readonly index?: number,
  ) {
    super(message);
  }
}

export interface StoredLeaf {
  index: number;
  position: bigint;
  hash: Buffer;
}

/**
 * The transparency log of one ledger: leaf hashes and every complete subtree (the hashes proofs need),
 * the leaf ↔ store position map, and every signed checkpoint, in its own SQLite file. It is a function of
 * the event store's global order, so it can be rebuilt from position 0 at any time (and every instance
 * computes the same roots).
 */
export class TransparencyLog implements SubtreeSource {
  private readonly db: Database.Database;
  private readonly range = new CompactRange();
  private readonly cache = new Map<string, Buffer>();
  private lastPosition: bigint | null = null;
  private readonly statements;

  constructor(
    file: string,
    /** Needed to sign checkpoints; a builder that only appends leaves opens the log without it. */
    private readonly signer?: LogSigner,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    // Derived data: a crash may lose the last batch, which is rebuilt from the event store on restart.
    this.db.pragma('synchronous = NORMAL');
    this.db.defaultSafeIntegers(true);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS leaves (idx INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS checkpoints (tree_size INTEGER PRIMARY KEY, root BLOB NOT NULL,
        note TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS checkpoints_append_only BEFORE UPDATE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS checkpoints_kept BEFORE DELETE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are kept: DELETE refused'); END;
      CREATE TRIGGER IF NOT EXISTS nodes_append_only BEFORE UPDATE ON nodes
        BEGIN SELECT RAISE(ABORT, 'tree nodes are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS nodes_kept BEFORE DELETE ON nodes
        BEGIN SELECT RAISE(ABORT, 'tree nodes are kept: DELETE refused'); END;
      CREATE TRIGGER IF NOT EXISTS leaves_append_only BEFORE UPDATE ON leaves
        BEGIN SELECT RAISE(ABORT, 'leaves are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS leaves_kept BEFORE DELETE ON leaves
        BEGIN SELECT RAISE(ABORT, 'leaves are kept: DELETE refused'); END;
    `);
    this.statements = {
      node: this.db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?').pluck(),
      // A subtree is complete once and never changes: a second write of it is an error, not an update.
      insertNode: this.db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
      insertLeaf: this.db.prepare('INSERT INTO leaves (idx, position) VALUES (?, ?)'),
      indexOf: this.db.prepare('SELECT idx FROM leaves WHERE position = ?').pluck(),
      positionOf: this.db.prepare('SELECT position FROM leaves WHERE idx = ?').pluck(),
      indexAtOrAfter: this.db.prepare(
        'SELECT idx, position FROM leaves WHERE position >= ? ORDER BY position LIMIT 1',
      ),
      // Leaves are 0…n-1 without gaps; MAX of the rowid is O(1), COUNT(*) a scan.
      count: this.db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) FROM leaves').pluck(),
      leaves: this.db.prepare(
        `SELECT l.idx, l.position, n.hash FROM leaves l JOIN nodes n ON n.level = 0 AND n.idx = l.idx
         WHERE l.idx >= ? AND l.idx < ? ORDER BY l.idx`,
      ),
      last: this.db.prepare('SELECT position FROM leaves ORDER BY idx DESC LIMIT 1').pluck(),
      insertCheckpoint: this.db.prepare(
        'INSERT INTO checkpoints (tree_size, root, note, created_at) VALUES (?, ?, ?, ?)',
      ),
      latest: this.db.prepare(
        'SELECT tree_size, root, note, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1',
      ),
      before: this.db.prepare(
        'SELECT tree_size, root, note, created_at FROM checkpoints WHERE tree_size < ? ORDER BY tree_size DESC LIMIT ?',
      ),
    };
    this.restore();
  }

  /** Rebuilds the in-memory right edge from the stored subtrees. */
  private restore(): void {
    const size = Number(this.statements.count.get());
    const last = this.statements.last.get() as bigint | undefined;
    this.lastPosition = last ?? null;
    this.range.restore(size, this);
  }

  get size(): number {
    return this.range.size;
  }

  /** Store position of the last leaf (resume the subscription after it). */
  get position(): bigint | null {
    return this.lastPosition;
  }

  complete(level: number, index: number): Buffer {
    const key = `${level}:${index}`;
    const cached = level >= CACHED_LEVEL ? this.cache.get(key) : undefined;
    if (cached) {
      return cached;
    }
    const hash = this.statements.node.get(level, index) as Buffer | undefined;
    if (!hash) {
      throw new Error(`transparency log is missing subtree ${level}/${index}`);
    }
    if (level >= CACHED_LEVEL) {
      this.cache.set(key, hash);
    }
    return hash;
  }

  /**
   * Appends events as the next leaves, in one transaction (a crash keeps all of the batch or none of it).
   * Positions must strictly increase past the last leaf: an event out of order is refused, never logged.
   *
   * Several processes may build the same file (the service and the CLI on one data directory): each
   * batch first takes the write lock and re-reads the stored edge. Events another process has already
   * logged are checked against their stored leaf (same bytes, same index) and skipped, so the log stays
   * one sequence whoever wrote it.
   */
  append(events: readonly RecordedEvent[]): void {
    for (let i = 1; i < events.length; i++) {
      if (events[i].position <= events[i - 1].position) {
        throw outOfOrder(events[i].position, events[i - 1].position, this.size);
      }
    }
    if (events.length === 0) {
      return;
    }
    try {
      this.db
        .transaction(() => {
          this.refresh();
          for (const event of events) {
            if (this.lastPosition !== null && event.position <= this.lastPosition) {
              this.checkLogged(event);
              continue;
            }
            const index = this.range.size;
            this.range.push(leafHash(leafBytes(event, index)), (level, idx, hash) => {
              this.statements.insertNode.run(level, idx, hash);
            });
            this.statements.insertLeaf.run(index, event.position);
            this.lastPosition = event.position;
          }
        })
        .immediate();
    } catch (error) {
      // The in-memory right edge moved with the rolled-back rows: put it back as stored.
      this.cache.clear();
      this.restore();
      throw error;
    }
  }

  /** Adopts the leaves another process or thread (the log's builder) appended since this one last looked,
   * so reads and proofs answer for them: O(log n) reads, and none when nothing was added. */
  sync(): void {
    this.refresh();
  }

  /** Inside the write lock: adopts leaves another process appended since this one last looked. */
  private refresh(): void {
    if (Number(this.statements.count.get()) !== this.range.size) {
      this.restore();
    }
  }

  /** An event at or before the last leaf must be that leaf's event, byte for byte. */
  private checkLogged(event: RecordedEvent): void {
    const index = this.indexOfPosition(event.position);
    if (index === undefined) {
      throw outOfOrder(event.position, this.lastPosition ?? 0n, this.size);
    }
    if (!leafHash(leafBytes(event, index)).equals(this.leafHash(index))) {
      throw new TransparencyLogIntegrityError(
        `event at position ${event.position} no longer matches leaf ${index} as logged`,
        index,
      );
    }
  }

  /** Stored leaves [from, to) with their store positions, in index order (paged by the caller). */
  leaves(from: number, to: number): StoredLeaf[] {
    return (
      this.statements.leaves.all(from, to) as { idx: bigint; position: bigint; hash: Buffer }[]
    ).map((row) => ({ index: Number(row.idx), position: row.position, hash: row.hash }));
  }

  root(treeSize: number = this.size): Buffer {
    this.checkSize(treeSize);
    return treeSize === this.size ? this.range.root() : rootHash(this, treeSize);
  }

  leafHash(index: number): Buffer {
    return this.complete(0, index);
  }

  inclusion(index: number, treeSize: number): Buffer[] {
    this.checkSize(treeSize);
    return inclusionProof(this, index, treeSize);
  }

  consistency(from: number, to: number): Buffer[] {
    this.checkSize(to);
    return consistencyProof(this, from, to);
  }

  indexOfPosition(position: bigint): number | undefined {
    const idx = this.statements.indexOf.get(position) as bigint | undefined;
    return idx === undefined ? undefined : Number(idx);
  }

  positionOfIndex(index: number): bigint | undefined {
    return this.statements.positionOf.get(index) as bigint | undefined;
  }

  /** The first leaf at or after a store position. */
  firstIndexAtOrAfter(position: bigint): { index: number; position: bigint } | undefined {
    const row = this.statements.indexAtOrAfter.get(position) as
      { idx: bigint; position: bigint } | undefined;
    return row ? { index: Number(row.idx), position: row.position } : undefined;
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    const row = this.statements.latest.get() as
      { tree_size: bigint; root: Buffer; note: string; created_at: string } | undefined;
    return row ? toStored(row) : undefined;
  }

  /** Signed checkpoints, newest first: `limit` of them below tree size `before` (paging by tree size). */
  checkpoints(limit = 100, before = Number.MAX_SAFE_INTEGER): StoredCheckpoint[] {
    return (
      this.statements.before.all(before, limit) as {
        tree_size: bigint;
        root: Buffer;
        note: string;
        created_at: string;
      }[]
    ).map(toStored);
  }

  /**
   * Signs a checkpoint of the current tree, if it grew since the last one. Refuses (throws) when the tree
   * is not consistent with the last signed checkpoint: a signed history is never contradicted.
   */
  checkpoint(now: Date): StoredCheckpoint | undefined {
    // Under the write lock, on the stored tree: another process may have grown it or signed it already.
    return this.db
      .transaction(() => {
        this.refresh();
        return this.signCurrent(now);
      })
      .immediate();
  }

  private signCurrent(now: Date): StoredCheckpoint | undefined {
    const size = this.size;
    const previous = this.latestCheckpoint();
    if (previous && previous.treeSize > size) {
      throw new TransparencyLogIntegrityError(
        `refusing to sign: the log holds ${size} leaves but a checkpoint of ${previous.treeSize} was signed`,
        size,
      );
    }
    if (size === 0) {
      return undefined;
    }
    const root = this.range.root();
    if (previous && previous.treeSize === size) {
      if (!root.equals(Buffer.from(previous.rootHash, 'base64'))) {
        throw new TransparencyLogIntegrityError(
          `the log of ${size} leaves no longer has the root of the checkpoint signed at that size`,
        );
      }
      return undefined;
    }
    if (previous) {
      const proof = this.consistency(previous.treeSize, size);
      if (
        !verifyConsistency(
          previous.treeSize,
          size,
          proof,
          Buffer.from(previous.rootHash, 'base64'),
          root,
        )
      ) {
        throw new TransparencyLogIntegrityError(
          `refusing to sign: the log of ${size} leaves is not consistent with the checkpoint at ${previous.treeSize}`,
        );
      }
    }
    if (!this.signer) {
      throw new Error('this transparency log was opened without a signing key: it cannot sign');
    }
    const checkpoint: Checkpoint = { origin: this.signer.origin, treeSize: size, rootHash: root };
    const note = signCheckpoint(checkpoint, this.signer.keyName, this.signer.privateKey);
    this.statements.insertCheckpoint.run(size, root, note, now.toISOString());
    return {
      treeSize: size,
      rootHash: root.toString('base64'),
      note,
      createdAt: now.toISOString(),
    };
  }

  close(): void {
    this.db.close();
  }

  private checkSize(treeSize: number): void {
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > this.size) {
      throw new RangeError(`tree size ${treeSize} is outside the log (0…${this.size})`);
    }
  }
}

const toStored = (row: {
  tree_size: bigint;
  root: Buffer;
  note: string;
  created_at: string;
}): StoredCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root.toString('base64'),
  note: row.note,
  createdAt: row.created_at,
});

const outOfOrder = (position: bigint, previous: bigint, size: number) =>
  new TransparencyLogIntegrityError(
    `event at position ${position} arrived after position ${previous}: leaves are appended in global order only`,
    size,
  );
