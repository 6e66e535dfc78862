import { Injectable } from '@nestjs/common';
import { invalid } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import type { AuditEventsQuery } from './audit.dto';
import { AuditLog } from './audit-log.service';

/** At most this many events are scanned per page; the answer then says where to continue. */
const SCAN_LIMIT = 50_000;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The audit views over the log: filtered history with leaf indexes, and proofs. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly store: EventStore,
    private readonly audit: AuditLog,
  ) {}

  async events(query: AuditEventsQuery) {
    const limit = query.limit ?? 100;
    const fromTime = query.from ? Date.parse(query.from) : undefined;
    const toTime = query.to ? Date.parse(query.to) : undefined;
    const streamPrefixes = query.stream
      ? [query.stream]
      : query.streamPrefix
        ? [query.streamPrefix]
        : undefined;
    const items = [];
    let scanned = 0;
    let nextPosition: string | null = null;
    for await (const event of this.store.readAll({
      fromPosition: query.fromPosition ? BigInt(query.fromPosition) : 'start',
      filter: {
        ...(streamPrefixes ? { streamPrefixes } : {}),
        ...(query.type ? { eventTypeRegex: `^${escapeRegex(query.type)}$` } : {}),
      },
    })) {
      scanned += 1;
      if (items.length === limit || scanned > SCAN_LIMIT) {
        nextPosition = String(event.position);
        break;
      }
      if (query.stream && event.streamId !== query.stream) {
        continue;
      }
      const metadata = event.metadata as { actorId?: string; opdId?: string };
      const data = event.data as { opdId?: string; fromOpdId?: string; toOpdId?: string };
      if (query.actorId && metadata.actorId !== query.actorId) {
        continue;
      }
      if (
        query.opdId &&
        ![data.opdId, data.fromOpdId, data.toOpdId, metadata.opdId].includes(query.opdId)
      ) {
        continue;
      }
      const recorded = event.created.getTime();
      if (
        (fromTime !== undefined && recorded < fromTime) ||
        (toTime !== undefined && recorded >= toTime)
      ) {
        continue;
      }
      items.push({
        position: String(event.position),
        leafIndex: this.audit.log.indexOfPosition(event.position) ?? null,
        streamId: event.streamId,
        revision: String(event.revision),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recorded: event.created.toISOString(),
      });
    }
    return { items, nextPosition };
  }

  inclusion(index: number, treeSize: number) {
    this.checkTree(treeSize);
    if (index >= treeSize) {
      throw invalid('INDEX_OUTSIDE_TREE', `Indeks ${index} di luar pohon berukuran ${treeSize}.`, [
        {
          field: 'index',
          reason: `harus kurang dari treeSize (${treeSize})`,
          code: 'INDEX_OUTSIDE_TREE',
        },
      ]);
    }
    return {
      index,
      treeSize,
      leafHash: this.audit.log.leafHash(index).toString('base64'),
      hashes: this.audit.log.inclusion(index, treeSize).map((h) => h.toString('base64')),
    };
  }

  consistency(from: number, to: number) {
    this.checkTree(to);
    if (from > to) {
      throw invalid('SIZES_OUT_OF_ORDER', 'from harus kurang dari atau sama dengan to.', [
        { field: 'from', reason: 'harus ≤ to', code: 'SIZES_OUT_OF_ORDER' },
      ]);
    }
    return {
      from,
      to,
      hashes: this.audit.log.consistency(from, to).map((h) => h.toString('base64')),
    };
  }

  private checkTree(treeSize: number): void {
    if (treeSize > this.audit.log.size) {
      throw invalid(
        'TREE_SIZE_UNKNOWN',
        `Log baru berisi ${this.audit.log.size} event; ukuran ${treeSize} belum ada.`,
        [
          {
            field: 'treeSize',
            reason: `maksimal ${this.audit.log.size}`,
            code: 'TREE_SIZE_UNKNOWN',
          },
        ],
      );
    }
  }
}
