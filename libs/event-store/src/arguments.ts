import { randomUUID } from 'node:crypto';
import { EventStoreArgumentError } from './errors';
import { compileRegex } from './filter';
import {
  MAX_APPEND_BYTES,
  type Direction,
  type EventData,
  type EventFilter,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from './event-store.port';

/**
 * Argument rules shared by both adapters, so code that works against the embedded store cannot fail later
 * on EventStoreDB (which requires UUID event ids and reserves `$` names for itself).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CheckedEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /** The serialised forms, computed once: the SQLite adapter stores them as they are. */
  dataJson: string;
  metadataJson: string;
}

export interface CheckedAppend {
  streamId: string;
  events: CheckedEvent[];
  expected: ExpectedRevision;
}

const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const serialise = (value: JsonObject, argument: string): string => {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new EventStoreArgumentError(
      argument,
      `not serialisable as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return json;
};

export const checkStreamId = (streamId: unknown, argument = 'streamId'): string => {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new EventStoreArgumentError(argument, 'must be a non-empty string');
  }
  return streamId;
};

export const checkExpectedRevision = (expected: unknown): ExpectedRevision => {
  if (expected === undefined) {
    return 'any';
  }
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') {
    return expected;
  }
  if (typeof expected === 'bigint' && expected >= 0n) {
    return expected;
  }
  throw new EventStoreArgumentError(
    'expectedRevision',
    "must be 'any', 'no_stream', 'stream_exists' or a bigint revision ≥ 0",
  );
};

const checkEvent = (event: EventData, index: number): CheckedEvent => {
  const at = `events[${index}]`;
  if (!isPlainObject(event)) {
    throw new EventStoreArgumentError(at, 'must be an object {type, data, metadata?, id?}');
  }
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new EventStoreArgumentError(`${at}.type`, 'must be a non-empty string');
  }
  if (event.type.startsWith('$')) {
    throw new EventStoreArgumentError(`${at}.type`, "must not start with '$' (reserved)");
  }
  if (event.id !== undefined && (typeof event.id !== 'string' || !UUID.test(event.id))) {
    throw new EventStoreArgumentError(`${at}.id`, 'must be a UUID');
  }
  if (!isPlainObject(event.data)) {
    throw new EventStoreArgumentError(`${at}.data`, 'must be a JSON object');
  }
  const metadata = event.metadata ?? {};
  if (!isPlainObject(metadata)) {
    throw new EventStoreArgumentError(`${at}.metadata`, 'must be a JSON object');
  }
  const dataJson = serialise(event.data, `${at}.data`);
  const metadataJson = serialise(metadata, `${at}.metadata`);
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    data: event.data,
    metadata,
    dataJson,
    metadataJson,
  };
};

/**
 * Refuses a batch a default EventStoreDB would refuse (MAX_APPEND_BYTES: the server sums data bytes +
 * metadata bytes + twice the type's length over the whole append, `Event.SizeOnDisk`, against its
 * MaxAppendSize). Checked up front by both adapters, so an append that works on the embedded store cannot
 * fail on a default server, and a refused one writes nothing.
 */
const checkAppendSize = (events: readonly CheckedEvent[]): void => {
  let chars = 0;
  let types = 0;
  for (const event of events) {
    chars += event.dataJson.length + event.metadataJson.length;
    types += event.type.length * 2;
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: only measure bytes when the cheap bound is not enough.
  if (chars * 3 + types <= MAX_APPEND_BYTES) {
    return;
  }
  let bytes = types;
  for (const event of events) {
    bytes += Buffer.byteLength(event.dataJson) + Buffer.byteLength(event.metadataJson);
  }
  if (bytes > MAX_APPEND_BYTES) {
    throw new EventStoreArgumentError(
      'events',
      `${bytes} bytes in one append (data + metadata + 2 × type length, as EventStoreDB counts them), more than the ${MAX_APPEND_BYTES} one append may hold (EventStoreDB's default MaxAppendSize): split the events or keep large documents outside the store`,
    );
  }
};

export const checkAppend = (
  streamId: unknown,
  events: EventData | readonly EventData[],
  expectedRevision: unknown,
): CheckedAppend => {
  const id = checkStreamId(streamId);
  if (id.startsWith('$')) {
    throw new EventStoreArgumentError('streamId', "must not start with '$' (reserved)");
  }
  const list = Array.isArray(events) ? (events as readonly EventData[]) : [events as EventData];
  if (list.length === 0) {
    throw new EventStoreArgumentError('events', 'must contain at least one event');
  }
  const checked = list.map(checkEvent);
  checkAppendSize(checked);
  return {
    streamId: id,
    events: checked,
    expected: checkExpectedRevision(expectedRevision),
  };
};

export const checkDirection = (direction: unknown): Direction => {
  if (direction === undefined || direction === 'forwards') {
    return 'forwards';
  }
  if (direction === 'backwards') {
    return 'backwards';
  }
  throw new EventStoreArgumentError('direction', "must be 'forwards' or 'backwards'");
};

export const checkMaxCount = (maxCount: unknown): number => {
  if (maxCount === undefined) {
    return Number.POSITIVE_INFINITY;
  }
  if (typeof maxCount !== 'number' || !Number.isSafeInteger(maxCount) || maxCount < 1) {
    throw new EventStoreArgumentError('maxCount', 'must be a positive integer');
  }
  return maxCount;
};

const checkPoint = (value: unknown, argument: string): bigint | 'start' | 'end' | undefined => {
  if (value === undefined || value === 'start' || value === 'end') {
    return value;
  }
  if (typeof value === 'bigint' && value >= 0n) {
    return value;
  }
  throw new EventStoreArgumentError(argument, "must be 'start', 'end' or a bigint ≥ 0");
};

const checkPrefixes = (value: unknown, argument: string): void => {
  if (
    value !== undefined &&
    (!Array.isArray(value) || value.some((p) => typeof p !== 'string' || p.length === 0))
  ) {
    throw new EventStoreArgumentError(argument, 'must be a list of non-empty strings');
  }
};

export const checkFilter = (filter: EventFilter | undefined): EventFilter | undefined => {
  if (filter === undefined) {
    return undefined;
  }
  if (!isPlainObject(filter)) {
    throw new EventStoreArgumentError('filter', 'must be an object');
  }
  checkPrefixes(filter.eventTypePrefixes, 'filter.eventTypePrefixes');
  checkPrefixes(filter.streamPrefixes, 'filter.streamPrefixes');
  if (filter.eventTypeRegex !== undefined) {
    if (typeof filter.eventTypeRegex !== 'string') {
      throw new EventStoreArgumentError('filter.eventTypeRegex', 'must be a string');
    }
    compileRegex(filter.eventTypeRegex);
  }
  return filter;
};

export interface CheckedReadStream {
  direction: Direction;
  from: bigint | 'start' | 'end';
  maxCount: number;
}

export const checkReadStream = (options: ReadStreamOptions): CheckedReadStream => {
  const direction = checkDirection(options.direction);
  const from =
    checkPoint(options.fromRevision, 'fromRevision') ??
    (direction === 'backwards' ? 'end' : 'start');
  return { direction, from, maxCount: checkMaxCount(options.maxCount) };
};

export interface CheckedReadAll {
  direction: Direction;
  from: bigint | 'start' | 'end';
  maxCount: number;
  filter: EventFilter | undefined;
}

export const checkReadAll = (options: ReadAllOptions): CheckedReadAll => {
  const direction = checkDirection(options.direction);
  const from =
    checkPoint(options.fromPosition, 'fromPosition') ??
    (direction === 'backwards' ? 'end' : 'start');
  return {
    direction,
    from,
    maxCount: checkMaxCount(options.maxCount),
    filter: checkFilter(options.filter),
  };
};

export const checkSubscribe = (
  options: SubscribeToAllOptions,
): { from: bigint | 'start' | 'end'; filter: EventFilter | undefined } => ({
  from: checkPoint(options.fromPosition, 'fromPosition') ?? 'start',
  filter: checkFilter(options.filter),
});
