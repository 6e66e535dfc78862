import type { EventStore, RecordedEvent } from '@netral/event-store';
import { leafBytes } from './leaf';
import { leafHash } from './merkle';
import type { LogBuilder } from './log-builder';
import type { StoredCheckpoint, TransparencyLog } from './tree-store';

/**
 * A request the audit API must refuse. The HTTP layer maps `kind` to 400/404 and passes `code`, `message`
 * (Bahasa Indonesia: officials read it) and `details` through unchanged.
 */
export class AuditRequestError extends Error {
  override readonly name = 'AuditRequestError';
  constructor(
    readonly kind: 'INVALID' | 'NOT_FOUND',
    readonly code: string,
    message: string,
    readonly details: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

export interface InclusionProofBody {
  index: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
}

export interface ConsistencyProofBody {
  from: number;
  to: number;
  hashes: string[];
}

export interface AuditEventsQuery {
  /** Exact stream name. */
  stream?: string;
  streamPrefix?: string;
  /** Exact event type. */
  type?: string;
  /** Inclusive store position to start from (as a string: positions cross JSON as strings). */
  fromPosition?: string | bigint;
  limit?: number;
}

export interface AuditEventItem {
  position: string;
  /** Null while the builder has not logged it yet. */
  leafIndex: number | null;
  streamId: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded: string;
}

export interface AuditExport {
  /** The log size when the export began: lines cover leaves [from, to). */
  treeSize: number;
  from: number;
  to: number;
  /** Each chunk is one line: the canonical leaf bytes and '\n'. Pull-driven, constant memory. */
  lines: AsyncIterable<Buffer>;
}

export interface StoreComparison {
  ok: boolean;
  leaves: number;
  firstBadIndex?: number;
  reason?: string;
}

const MAX_EVENTS_PAGE = 1000;
/** Events scanned per page at most when filters skip most of them; the answer says where to go on. */
const SCAN_LIMIT = 50_000;
const NEWLINE = Buffer.from('\n');

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A non-negative integer from a number or a query-string value, or an INVALID error naming the field. */
const count = (value: number | string | undefined, field: string, fallback?: number): number => {
  if (value === undefined || value === '') {
    if (fallback !== undefined) {
      return fallback;
    }
    throw new AuditRequestError('INVALID', 'FIELD_REQUIRED', `${field} wajib diisi.`, [
      { field, reason: 'wajib diisi' },
    ]);
  }
  const n =
    typeof value === 'number' ? value : /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AuditRequestError(
      'INVALID',
      'NOT_A_COUNT',
      `${field} harus bilangan bulat tidak negatif.`,
      [{ field, reason: 'harus bilangan bulat tidak negatif' }],
    );
  }
  return n;
};

/**
 * What the audit routes answer, without Nest: each route is one call. Proofs come from stored subtree
 * hashes (O(log n)); the export and the history stream from the store in constant memory.
 */
export class TransparencyLogService {
  constructor(
    private readonly store: EventStore,
    private readonly log: TransparencyLog,
    private readonly builder: LogBuilder,
    private readonly publicVerifierKey: string,
  ) {}

  /** GET /audit/checkpoint — the latest signed checkpoint, text/plain. */
  latestCheckpoint(): string {
    const latest = this.log.latestCheckpoint();
    if (!latest) {
      throw new AuditRequestError(
        'NOT_FOUND',
        'NO_CHECKPOINT',
        'Belum ada checkpoint: log transparansi masih kosong.',
      );
    }
    return latest.note;
  }

  /** GET /audit/checkpoints — every signed checkpoint, newest first. */
  checkpoints(query: { limit?: number | string; offset?: number | string } = {}): {
    items: StoredCheckpoint[];
  } {
    const limit = count(query.limit, 'limit', 100);
    if (limit < 1 || limit > MAX_EVENTS_PAGE) {
      throw new AuditRequestError('INVALID', 'LIMIT_OUT_OF_RANGE', 'limit harus 1–1000.', [
        { field: 'limit', reason: 'harus 1–1000' },
      ]);
    }
    return { items: this.log.checkpoints(limit, count(query.offset, 'offset', 0)) };
  }

  /** GET /audit/public-key — `<name>+<hex key id>+<base64(0x01 || public key)>`, text/plain. */
  publicKey(): string {
    return this.publicVerifierKey;
  }

  /** GET /audit/proofs/inclusion?index=&treeSize= */
  inclusionProof(index: number | string, treeSize: number | string): InclusionProofBody {
    const size = this.treeSize(treeSize, 'treeSize');
    const i = count(index, 'index');
    if (i >= size) {
      throw new AuditRequestError(
        'INVALID',
        'INDEX_OUTSIDE_TREE',
        `Indeks ${i} di luar pohon berukuran ${size}.`,
        [{ field: 'index', reason: `harus kurang dari treeSize (${size})` }],
      );
    }
    return {
      index: i,
      treeSize: size,
      leafHash: this.log.leafHash(i).toString('base64'),
      hashes: this.log.inclusion(i, size).map((h) => h.toString('base64')),
    };
  }

  /** GET /audit/proofs/consistency?from=&to= */
  consistencyProof(from: number | string, to: number | string): ConsistencyProofBody {
    const newer = this.treeSize(to, 'to');
    const older = count(from, 'from');
    if (older > newer) {
      throw new AuditRequestError(
        'INVALID',
        'SIZES_OUT_OF_ORDER',
        'from harus kurang dari atau sama dengan to.',
        [{ field: 'from', reason: `harus ≤ to (${newer})` }],
      );
    }
    return {
      from: older,
      to: newer,
      hashes: this.log.consistency(older, newer).map((h) => h.toString('base64')),
    };
  }

  /**
   * GET /audit/export?from=&to= — line i is exactly the canonical bytes of leaf i, read from the store in
   * order. Validation happens here, before the first byte is sent, so a bad range is a 400, not a cut stream.
   */
  export(query: { from?: number | string; to?: number | string } = {}): AuditExport {
    const treeSize = this.log.size;
    const to = count(query.to, 'to', treeSize);
    const from = count(query.from, 'from', 0);
    if (to > treeSize) {
      throw new AuditRequestError(
        'INVALID',
        'TREE_SIZE_UNKNOWN',
        `Log baru berisi ${treeSize} event; to=${to} belum ada.`,
        [{ field: 'to', reason: `maksimal ${treeSize}` }],
      );
    }
    if (from > to) {
      throw new AuditRequestError('INVALID', 'RANGE_OUT_OF_ORDER', 'from harus ≤ to.', [
        { field: 'from', reason: `harus ≤ to (${to})` },
      ]);
    }
    return { treeSize, from, to, lines: this.exportLines(from, to) };
  }

  /** The canonical leaf bytes of leaves [from, to), each followed by '\n'. */
  async *exportLines(from: number, to: number): AsyncGenerator<Buffer> {
    if (from >= to) {
      return;
    }
    const start = this.log.positionOfIndex(from);
    if (start === undefined) {
      return;
    }
    let index = from;
    for await (const event of this.store.readAll({ fromPosition: start, maxCount: to - from })) {
      yield Buffer.concat([leafBytes(event, index), NEWLINE]);
      index += 1;
    }
  }

  /** GET /audit/events — history with each event's leaf index; `nextPosition` continues the listing. */
  async events(query: AuditEventsQuery = {}): Promise<{
    items: AuditEventItem[];
    nextPosition: string | null;
  }> {
    const limit = count(query.limit, 'limit', 100);
    if (limit < 1 || limit > MAX_EVENTS_PAGE) {
      throw new AuditRequestError('INVALID', 'LIMIT_OUT_OF_RANGE', 'limit harus 1–1000.', [
        { field: 'limit', reason: 'harus 1–1000' },
      ]);
    }
    let fromPosition: bigint | 'start' = 'start';
    if (query.fromPosition !== undefined && query.fromPosition !== '') {
      if (typeof query.fromPosition === 'string' && !/^(0|[1-9][0-9]*)$/.test(query.fromPosition)) {
        throw new AuditRequestError(
          'INVALID',
          'NOT_A_POSITION',
          'fromPosition harus posisi (bilangan bulat tidak negatif).',
          [{ field: 'fromPosition', reason: 'harus bilangan bulat tidak negatif' }],
        );
      }
      fromPosition = BigInt(query.fromPosition);
    }
    const prefix = query.stream ?? query.streamPrefix;
    const items: AuditEventItem[] = [];
    let scanned = 0;
    let nextPosition: string | null = null;
    for await (const event of this.store.readAll({
      fromPosition,
      filter: {
        ...(prefix ? { streamPrefixes: [prefix] } : {}),
        ...(query.type ? { eventTypeRegex: `^${escapeRegex(query.type)}$` } : {}),
      },
    })) {
      if (items.length === limit || scanned === SCAN_LIMIT) {
        nextPosition = String(event.position);
        break;
      }
      scanned += 1;
      if (query.stream !== undefined && event.streamId !== query.stream) {
        continue;
      }
      items.push(this.item(event));
    }
    return { items, nextPosition };
  }

  /** Resolves once the event at `position` is a leaf (certificates: "a checkpoint covering my event"). */
  waitFor(position: bigint, timeoutMs?: number): Promise<void> {
    return this.builder.waitFor(position, timeoutMs);
  }

  /** Signs a checkpoint now (certificates call it after their event is logged). */
  checkpointNow(): StoredCheckpoint | undefined {
    return this.builder.checkpointNow();
  }

  private item(event: RecordedEvent): AuditEventItem {
    return {
      position: String(event.position),
      leafIndex: this.log.indexOfPosition(event.position) ?? null,
      streamId: event.streamId,
      revision: String(event.revision),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recorded: event.created.toISOString(),
    };
  }

  private treeSize(value: number | string, field: string): number {
    const size = count(value, field);
    if (size > this.log.size) {
      throw new AuditRequestError(
        'INVALID',
        'TREE_SIZE_UNKNOWN',
        `Log baru berisi ${this.log.size} event; ukuran ${size} belum ada.`,
        [{ field, reason: `maksimal ${this.log.size}` }],
      );
    }
    return size;
  }
}

/**
 * Re-reads the whole store and compares every event with the leaf hash logged when it was first seen:
 * names the first leaf whose event was changed, removed, inserted or reordered since (server-side check).
 */
export const compareStoreWithLog = async (
  store: EventStore,
  log: TransparencyLog,
  onProgress?: (done: number) => void,
): Promise<StoreComparison> => {
  const total = log.size;
  if (total === 0) {
    return { ok: true, leaves: 0 };
  }
  const page = 10_000;
  let stored = log.leaves(0, Math.min(page, total));
  let offset = 0;
  let index = 0;
  for await (const event of store.readAll({ fromPosition: 'start', maxCount: total })) {
    if (index - offset === stored.length) {
      offset = index;
      stored = log.leaves(index, Math.min(index + page, total));
      onProgress?.(index);
    }
    const leaf = stored[index - offset];
    if (event.position !== leaf.position) {
      return {
        ok: false,
        leaves: total,
        firstBadIndex: index,
        reason: `leaf ${index} was the event at store position ${leaf.position}, the store now has position ${event.position} there: an event was removed or inserted`,
      };
    }
    if (!leafHash(leafBytes(event, index)).equals(leaf.hash)) {
      return {
        ok: false,
        leaves: total,
        firstBadIndex: index,
        reason: `the event at store position ${leaf.position} differs from the one logged`,
      };
    }
    index += 1;
  }
  onProgress?.(index);
  if (index < total) {
    return {
      ok: false,
      leaves: total,
      firstBadIndex: index,
      reason: `the store holds only ${index} of the ${total} logged events`,
    };
  }
  return { ok: true, leaves: total };
};
