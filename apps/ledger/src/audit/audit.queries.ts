import { Injectable } from '@nestjs/common';
import { invalid, type Role } from '@netral/domain';
import { EventStore, type RecordedEvent } from '@netral/event-store';
import type { ActorContext } from '../identity/actor';
import { assertRole } from '../identity/opd-scope';
import type { AuditEventsQuery } from './audit.dto';
import { AuditLog } from './audit-log.service';
import { escapeRegex } from '../common/regex';

/** At most this many events are scanned per page; the answer then says where to continue. */
const SCAN_LIMIT = 50_000;

/** Streams whose OPD is set by their first event and never changes: a case (the ASN's OPD when reported)
 * and a certificate (the OPD concerned when issued). */
const OPD_FIXED_AT_OPENING = /^(case|certificate)-/;

/** Who may read the full history and take the export: Bawaslu and administrators (the public verification
 * material, checkpoints, proofs and the key, is everyone's). */
export const AUDIT_ROLES = ['BAWASLU', 'ADMIN'] as const satisfies readonly Role[];

/** The largest position a store can hold (a signed 64-bit integer, in SQLite as in EventStoreDB). */
const MAX_POSITION = 2n ** 63n - 1n;

/** The audit views over the log: filtered history with leaf indexes, and proofs. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly store: EventStore,
    private readonly audit: AuditLog,
  ) {}

  async events(query: AuditEventsQuery, actor: ActorContext) {
    assertRole(actor, AUDIT_ROLES);
    if (query.stream && query.streamPrefix) {
      throw invalid(
        'FILTER_CONFLICT',
        'Pilih salah satu: stream atau streamPrefix, tidak keduanya.',
        [
          {
            field: 'streamPrefix',
            reason: 'tidak dapat dipakai bersama stream',
            code: 'FILTER_CONFLICT',
          },
        ],
      );
    }
    if (query.fromPosition && BigInt(query.fromPosition) > MAX_POSITION) {
      throw invalid('POSITION_TOO_LARGE', `fromPosition paling besar ${MAX_POSITION}.`, [
        {
          field: 'fromPosition',
          reason: `paling besar ${MAX_POSITION}`,
          code: 'POSITION_TOO_LARGE',
        },
      ]);
    }
    const limit = query.limit ?? 100;
    const fromTime = query.from ? Date.parse(query.from) : undefined;
    const toTime = query.to ? Date.parse(query.to) : undefined;
    // `to` is "recorded before": a range ending where or before it starts can hold nothing, and an empty
    // answer would read as "nothing happened then".
    if (fromTime !== undefined && toTime !== undefined && toTime <= fromTime) {
      throw invalid('DATE_RANGE_REVERSED', 'to harus sesudah from: rentang waktunya terbalik.', [
        { field: 'to', reason: 'harus sesudah from', code: 'DATE_RANGE_REVERSED' },
      ]);
    }
    const streamPrefixes = query.stream
      ? [query.stream]
      : query.streamPrefix
        ? [query.streamPrefix]
        : undefined;
    const belongsTo = this.opdMembership();
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
      const metadata = event.metadata as { actorId?: string };
      if (query.actorId && metadata.actorId !== query.actorId) {
        continue;
      }
      if (query.opdId && !(await belongsTo(event, query.opdId))) {
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

  /**
   * Whether an event concerns an OPD: the OPDs it names itself, or, for a case or certificate stream whose
   * later events name none (CaseVerified, ViolationConfirmed, SanctionImposed, CertificateRevoked…), the OPD
   * its stream was opened for (ViolationReported / CertificateIssued). That opening event is read from the
   * store, once per stream and request, so a page that starts after it (fromPosition) still finds them.
   */
  private opdMembership() {
    const openedFor = new Map<string, Promise<string | undefined>>();
    const streamOpd = async (streamId: string): Promise<string | undefined> => {
      for await (const first of this.store.readStream(streamId, { maxCount: 1 })) {
        return (first.data as { opdId?: string }).opdId;
      }
      return undefined;
    };
    return async (event: RecordedEvent, opdId: string): Promise<boolean> => {
      const data = event.data as { opdId?: string; fromOpdId?: string; toOpdId?: string };
      const metadata = event.metadata as { opdId?: string };
      const named = [data.opdId, data.fromOpdId, data.toOpdId, metadata.opdId];
      if (named.includes(opdId)) {
        return true;
      }
      if (named.some((id) => id !== undefined) || !OPD_FIXED_AT_OPENING.test(event.streamId)) {
        return false;
      }
      let opened = openedFor.get(event.streamId);
      if (!opened) {
        opened = streamOpd(event.streamId);
        openedFor.set(event.streamId, opened);
      }
      return (await opened) === opdId;
    };
  }

  /**
   * The export range [from, to), checked against the log: a range that is not within it is a 400 naming the
   * parameter, never an empty or silently shortened 200 (an auditor archiving `?to=5000` must not receive
   * 4,000 lines that look complete). Without `to`, the whole log as it is now. Only audit roles may ask.
   */
  exportRange(actor: ActorContext, from = 0, to?: number): { from: number; to: number } {
    assertRole(actor, AUDIT_ROLES);
    this.checkTree(from, 'from');
    if (to !== undefined) {
      this.checkTree(to, 'to', 'pakai to yang lebih kecil, atau tanpa to untuk seluruh log');
    }
    if (to !== undefined && from > to) {
      throw invalid(
        'RANGE_OUT_OF_ORDER',
        `from (${from}) lebih besar dari to (${to}): ekspor berisi daun from sampai sebelum to, jadi from harus ≤ to.`,
        [{ field: 'from', reason: `harus ≤ to (${to})`, code: 'RANGE_OUT_OF_ORDER' }],
      );
    }
    return { from, to: to ?? this.audit.log.size };
  }

  inclusion(index: number, treeSize: number) {
    this.checkTree(treeSize, 'treeSize');
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
    this.checkTree(to, 'to');
    if (from > to) {
      throw invalid(
        'SIZES_OUT_OF_ORDER',
        `from (${from}) harus kurang dari atau sama dengan to (${to}).`,
        [{ field: 'from', reason: `harus ≤ to (${to})`, code: 'SIZES_OUT_OF_ORDER' }],
      );
    }
    return {
      from,
      to,
      hashes: this.audit.log.consistency(from, to).map((h) => h.toString('base64')),
    };
  }

  /** A size (or an index bound) the log does not have yet: a 400 naming `field`, the query parameter that
   * carried it, so the answer names what the caller sent. */
  private checkTree(treeSize: number, field: 'treeSize' | 'to' | 'from', hint?: string): void {
    const size = this.audit.log.size;
    if (treeSize > size) {
      throw invalid(
        'TREE_SIZE_UNKNOWN',
        `Log baru berisi ${size} daun; ${field}=${treeSize} belum ada (maksimal ${size})${hint ? `: ${hint}` : ''}.`,
        [{ field, reason: `maksimal ${size} (ukuran pohon sekarang)`, code: 'TREE_SIZE_UNKNOWN' }],
      );
    }
  }
}
