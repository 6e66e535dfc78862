import canonicalize from 'canonicalize';
import type { RecordedEvent } from '@netral/event-store';

/** The leaf format version: a change is a new version, never an edit (outside verifiers depend on it). */
export const LEAF_VERSION = 1;

export interface LeafDocument {
  v: 1;
  index: number;
  streamId: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded: string;
}

export const leafDocument = (event: RecordedEvent, index: number): LeafDocument => ({
  v: LEAF_VERSION,
  index,
  streamId: event.streamId,
  revision: event.revision.toString(),
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recorded: event.created.toISOString(),
});

/**
 * Leaf i is the i-th event of the global log as RFC 8785 canonical JSON (UTF-8): exactly the bytes that are
 * hashed, and exactly line i of the export.
 */
export const leafBytes = (event: RecordedEvent, index: number): Buffer => {
  const text = canonicalize(leafDocument(event, index));
  if (text === undefined) {
    throw new Error(`event at position ${event.position} cannot be serialised canonically`);
  }
  return Buffer.from(text, 'utf8');
};
