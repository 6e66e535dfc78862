import { EventStoreArgumentError } from './errors';
import type { EventFilter } from './event-store.port';

type Matcher = (event: { streamId: string; type: string }) => boolean;

/** Compiles the regex once, failing with the argument's name instead of a bare SyntaxError. */
export const compileRegex = (pattern: string): RegExp => {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new EventStoreArgumentError(
      'filter.eventTypeRegex',
      error instanceof Error ? error.message : String(error),
    );
  }
};

/** In-memory evaluation of an EventFilter, shared by adapters that cannot push a filter to the server. */
export const compileFilter = (filter: EventFilter | undefined): Matcher => {
  if (!filter) {
    return () => true;
  }
  const typePrefixes = filter.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const typeRegex = filter.eventTypeRegex ? compileRegex(filter.eventTypeRegex) : undefined;
  const streamPrefixes = filter.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  return ({ streamId, type }) =>
    (!typePrefixes || typePrefixes.some((p) => type.startsWith(p))) &&
    (!typeRegex || typeRegex.test(type)) &&
    (!streamPrefixes || streamPrefixes.some((p) => streamId.startsWith(p)));
};

export const isEmptyFilter = (filter: EventFilter | undefined): boolean =>
  !filter ||
  (!filter.eventTypePrefixes?.length && !filter.eventTypeRegex && !filter.streamPrefixes?.length);

/** EventStoreDB's own bookkeeping ($epochs, $$metadata, link events `$>` …): never part of the ledger. */
export const isSystemEvent = ({ streamId, type }: { streamId: string; type: string }): boolean =>
  streamId.startsWith('$') || type.startsWith('$');
