/**
 * The event store port. It mirrors EventStoreDB's semantics exactly so that the embedded SQLite adapter and
 * the EventStoreDB adapter are interchangeable: stream revisions count from 0, positions are bigints that
 * strictly increase in commit order, and the same contract suite runs against both.
 */

/** `any` never fails; `no_stream` requires the stream not to exist; `stream_exists` requires at least one
 * event; a bigint requires the stream's last revision to be exactly that value. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type JsonObject = { [key: string]: unknown };

/** What a caller appends. `id` defaults to a random UUID (EventStoreDB requires UUIDs). Types and stream
 * names starting with `$` are reserved (EventStoreDB's system events) and refused by both adapters. */
export interface EventData<
  TData extends JsonObject = JsonObject,
  TMeta extends JsonObject = JsonObject,
> {
  id?: string;
  type: string;
  data: TData;
  metadata?: TMeta;
}

/** Together, the events of one append may hold at most 1,048,576 bytes, counted as EventStoreDB counts
 * them: UTF-8 bytes of the JSON data and metadata plus twice the length of each type (EventStoreDB's
 * default `MaxAppendSize`, a whole-batch limit). Both adapters refuse more with EventStoreArgumentError. */
export const MAX_APPEND_BYTES = 1_048_576;

export interface RecordedEvent<TData = JsonObject, TMeta = JsonObject> {
  id: string;
  streamId: string;
  /** Revision within its stream, from 0. */
  revision: bigint;
  /** Global commit position: strictly increasing in commit order across all streams. Opaque: on
   * EventStoreDB it is a byte offset in the log, so `position - 1n` is no position at all. Start reads and
   * subscriptions only from positions the store handed out (or `start`/`end`); anything else may be
   * refused with EventStoreArgumentError. */
  position: bigint;
  type: string;
  data: TData;
  metadata: TMeta;
  /** When the store recorded it (the store's clock, not the caller's). */
  created: Date;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event written: pass it as `expectedRevision` for the next append. */
  nextExpectedRevision: bigint;
  /** The global position of the last event written. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to `start` forwards and `end` backwards. */
  fromRevision?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
}

/** Filters are ANDed. Event types match by any prefix or by the regex; streams by any prefix. */
export interface EventFilter {
  eventTypePrefixes?: readonly string[];
  eventTypeRegex?: string;
  streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Inclusive, as EventStoreDB's readAll. Defaults to `start` forwards and `end` backwards. */
  fromPosition?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: the subscription delivers events strictly after this position. Defaults to `start`.
   * `end` is the head of the log at the moment the subscription is established, which may be after the
   * call returns (EventStoreDB resolves it with a round trip): an event appended between the call and the
   * subscription's first message may or may not be delivered. To be sure to receive an append, make it
   * after that first message (the `caughtUp` signal, when nothing matching was appended in between).
   */
  fromPosition?: bigint | 'start' | 'end';
  filter?: EventFilter;
}

/**
 * A subscription delivers past events, then exactly one `caughtUp` message, then live events as they
 * commit. `caughtUp.position` is a position up to which everything matching the filter has been delivered
 * (resuming from it, exclusively, misses nothing); null when the store held nothing yet.
 */
export type SubscriptionMessage =
  { kind: 'event'; event: RecordedEvent } | { kind: 'caughtUp'; position: bigint | null };

/** Iterate it once. Delivery is pull-driven: a slow consumer holds the producer back (memory stays
 * bounded). A dropped connection (EventStoreDB) is re-established from the last delivered position. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Ends the iteration; pending `next()` calls resolve as done. */
  unsubscribe(): Promise<void>;
}

export interface StoreHealth {
  status: 'up' | 'down';
  adapter: 'sqlite' | 'eventstoredb';
  details?: Record<string, unknown>;
}

/** Abstract class rather than interface so it can serve directly as a Nest injection token. */
export abstract class EventStore {
  abstract readonly adapter: 'sqlite' | 'eventstoredb';
  abstract appendToStream(
    streamId: string,
    events: EventData | readonly EventData[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  abstract subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the last committed (non-system) event; null when the store is empty. */
  abstract headPosition(): Promise<bigint | null>;
  abstract health(): Promise<StoreHealth>;
  abstract close(): Promise<void>;
}
