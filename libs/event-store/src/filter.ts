import type { EventFilter } from './event-store.port';

/** In-memory evaluation of an EventFilter, shared by adapters that cannot push a filter to the server. */
export const compileFilter = (
  filter: EventFilter | undefined,
): ((event: { streamId: string; type: string }) => boolean) => {
  if (!filter) {
    return () => true;
  }
  const typePrefixes = filter.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const typeRegex = filter.eventTypeRegex ? new RegExp(filter.eventTypeRegex) : undefined;
  const streamPrefixes = filter.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  return ({ streamId, type }) =>
    (!typePrefixes || typePrefixes.some((p) => type.startsWith(p))) &&
    (!typeRegex || typeRegex.test(type)) &&
    (!streamPrefixes || streamPrefixes.some((p) => streamId.startsWith(p)));
};

export const isEmptyFilter = (filter: EventFilter | undefined): boolean =>
  !filter ||
  (!filter.eventTypePrefixes?.length && !filter.eventTypeRegex && !filter.streamPrefixes?.length);
