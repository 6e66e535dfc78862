import type { EventStore } from '@netral/event-store';
import { leafBytes } from './leaf';
import { leafHash } from './merkle';
import type { TransparencyLog } from './tree-store';

export interface StoreComparison {
  ok: boolean;
  leaves: number;
  firstBadIndex?: number;
  reason?: string;
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
        reason: `daun ${index} adalah event di posisi ${leaf.position}, kini di tempatnya ada posisi ${event.position}: ada event yang dihapus atau disisipkan`,
      };
    }
    if (!leafHash(leafBytes(event, index)).equals(leaf.hash)) {
      return {
        ok: false,
        leaves: total,
        firstBadIndex: index,
        reason: `event di posisi ${leaf.position} berbeda dari yang tercatat`,
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
      reason: `penyimpanan hanya memuat ${index} dari ${total} event yang tercatat`,
    };
  }
  return { ok: true, leaves: total };
};
