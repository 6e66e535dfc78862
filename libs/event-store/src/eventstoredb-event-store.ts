import {
  AccessDeniedError,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  UnsupportedError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type AppendToStreamOptions as EsdbAppendOptions,
  type EventData as EsdbEventData,
  type Filter as EsdbFilter,
  type Position as EsdbPosition,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
  type SubscribeToAllOptions as EsdbSubscribeToAllOptions,
} from '@eventstore/db-client';
import {
  checkAppend,
  checkReadAll,
  checkReadStream,
  checkStreamId,
  checkSubscribe,
  type CheckedAppend,
} from './arguments';
import {
  EventStoreArgumentError,
  EventStoreClosedError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from './errors';
import {
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventFilter,
  EventStore,
  type ExpectedRevision,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHealth,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
} from './event-store.port';
import { compileFilter, isSystemEvent } from './filter';

/**
 * The part of `@eventstore/db-client`'s EventStoreDBClient this adapter uses. The real client satisfies it
 * as it is; the unit tests drive the adapter through a small fake of exactly this surface.
 */
export interface EventStoreDbClientLike {
  appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options?: EsdbAppendOptions,
  ): Promise<EsdbAppendResult>;
  readStream(streamName: string, options?: EsdbReadStreamOptions): EsdbRead<ResolvedEvent>;
  readAll(options?: EsdbReadAllOptions): EsdbRead<AllStreamResolvedEvent>;
  subscribeToAll(options?: EsdbSubscribeToAllOptions): EsdbSubscription;
  dispose(): Promise<void>;
}

export interface EsdbRead<E> extends AsyncIterable<E> {
  cancel(): Promise<void>;
}

/** A catch-up subscription as the client returns it: a Node Readable (object mode) plus `caughtUp`. */
export interface EsdbSubscription {
  readonly readableLength: number;
  /** The server's first answer on a subscription (every gRPC server sends it). */
  on(event: 'confirmation', listener: () => void): unknown;
  on(event: 'data', listener: (resolved: AllStreamResolvedEvent) => void): unknown;
  on(event: 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
}

export interface EventStoreLogger {
  warn(message: string): void;
}

export interface EventStoreDbEventStoreOptions {
  /** Shown in health details, credentials masked. */
  connectionString?: string;
  /** Re-subscription after a drop waits `initialDelayMs`, doubling up to `maxDelayMs`, less a random part
   * of up to half (so instances dropped together by a server restart do not come back in step), and starts
   * again from the first delay once events flow or the subscription stayed up for `maxDelayMs`. */
  resubscribe?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Messages a subscription buffers before it pauses the server stream (its consumer is slow). */
  highWaterMark?: number;
  /** How long the health probe waits for the server before reporting down (ms). */
  healthTimeoutMs?: number;
  /** How long close() waits for appends in flight before it disposes the client (ms). */
  closeTimeoutMs?: number;
  logger?: EventStoreLogger;
  /** Timer used for re-subscription delays; replaceable in tests. Returns a cancel function. */
  schedule?: (callback: () => void, delayMs: number) => () => void;
  /** The jitter's source, in [0, 1) (Math.random); 0 in tests that pin delays. */
  random?: () => number;
  /** Milliseconds now (Date.now); replaceable in tests. */
  now?: () => number;
}

const MAX_UINT64 = 18446744073709551615n;

/** The client already hands out bigints; coerce anyway, so a number or string from an older client or
 * another path can never leak past this adapter. */
const toBigInt = (value: bigint | number | string): bigint =>
  typeof value === 'bigint' ? value : BigInt(value);

/** On current servers each event has its own commit position (prepare = commit outside explicit
 * transactions, which the gRPC API no longer offers), so a single bigint identifies it. */
const toPosition = (position: bigint): EsdbPosition => ({ commit: position, prepare: position });

const positionOf = (event: EsdbRecordedEvent, commitPosition: bigint | undefined): bigint => {
  const raw = event.position?.commit ?? commitPosition;
  const position = raw === undefined ? undefined : toBigInt(raw);
  if (position === undefined || position === MAX_UINT64) {
    throw new Error(
      `EventStoreDB returned no log position for ${event.streamId}@${String(event.revision)}: the adapter needs a server from 22.10 on`,
    );
  }
  return position;
};

/** Our events are JSON objects; anything else (written by another tool) is wrapped, never dropped. */
const toJsonObject = (value: unknown): JsonObject => {
  if (value === undefined || value === null) {
    return {};
  }
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value).toString('utf8');
    try {
      return toJsonObject(JSON.parse(text));
    } catch {
      return { base64: Buffer.from(value).toString('base64') };
    }
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return value as JsonObject;
  }
  return { value };
};

const toRecorded = (event: EsdbRecordedEvent, commitPosition?: bigint): RecordedEvent => ({
  id: event.id,
  streamId: event.streamId,
  revision: toBigInt(event.revision),
  position: positionOf(event, commitPosition),
  type: event.type,
  data: toJsonObject(event.data),
  metadata: toJsonObject(event.metadata),
  created: event.created,
});

/** gRPC status INVALID_ARGUMENT (`status` of @grpc/grpc-js, which the client does not re-export). */
const GRPC_INVALID_ARGUMENT = 3;

/** The server refused a request as malformed. Client 6.x knows no class for most of these (a read from
 * a position that is not a record boundary, an event above MaxAppendEventSize, a record too big) and
 * hands them out as UnknownError carrying the status code. */
const isInvalidArgumentStatus = (error: unknown): error is UnknownError => {
  if (!(error instanceof UnknownError)) {
    return false;
  }
  const code: number | undefined = error.code;
  return code === GRPC_INVALID_ARGUMENT;
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** The server could not be reached or did not answer: the request is not at fault, a retry later may
 * succeed. A leader's refusal is certain to have written nothing; a lost connection or a deadline may
 * have come after the server had the request. */
const unavailable = (error: unknown, append: boolean): EventStoreUnavailableError | undefined => {
  if (error instanceof NotLeaderError) {
    return new EventStoreUnavailableError(messageOf(error), false);
  }
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError
  ) {
    return new EventStoreUnavailableError(messageOf(error), append);
  }
  return undefined;
};

/** Errors of reads and subscriptions on $all. */
const mapReadError = (error: unknown): unknown => {
  const down = unavailable(error, false);
  if (down) {
    return down;
  }
  if (isInvalidArgumentStatus(error)) {
    return /invalid position/i.test(error.message)
      ? new EventStoreArgumentError(
          'fromPosition',
          'not the position of an event in this store (EventStoreDB positions are log offsets: start from a position the store returned, or start/end)',
        )
      : new EventStoreArgumentError('options', `refused by EventStoreDB: ${error.message}`);
  }
  return error;
};

/** Errors of appends (`expected` given) and stream reads. */
const mapError = (error: unknown, streamId: string, expected?: ExpectedRevision): unknown => {
  if (error instanceof MaxAppendSizeExceededError) {
    return new EventStoreArgumentError(
      'events',
      `more than the ${error.maxAppendSize} bytes the server accepts in one append (its MaxAppendSize)`,
    );
  }
  if (isInvalidArgumentStatus(error)) {
    return new EventStoreArgumentError('events', `refused by EventStoreDB: ${error.message}`);
  }
  if (error instanceof EsdbWrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedVersionError(
      streamId,
      expected ?? 'any',
      actual === 'no_stream' || toBigInt(actual) < 0n ? 'no_stream' : toBigInt(actual),
    );
  }
  if (error instanceof EsdbStreamNotFoundError || error instanceof EsdbStreamDeletedError) {
    return new StreamNotFoundError(streamId);
  }
  return unavailable(error, expected !== undefined) ?? error;
};

/** Retrying cannot fix these: the subscription fails instead of looping forever. */
const isFatal = (error: unknown): boolean =>
  error instanceof AccessDeniedError ||
  error instanceof InvalidArgumentError ||
  error instanceof UnsupportedError ||
  error instanceof EventStoreArgumentError ||
  isInvalidArgumentStatus(error);

/** Client 6.x with `throwOnAppendFailure=false` resolves a failed append with `success: false` and an
 * `actual` built from `BigInt(hasCurrentStreamRevision())` (0n or 1n, not the revision): refused, so a
 * conflict always arrives as the client's WrongExpectedVersionError with the real revision. */
const assertAppendFailuresThrow = (client: EventStoreDbClientLike): void => {
  const setting = (client as { throwOnAppendFailure?: unknown }).throwOnAppendFailure;
  if (setting === false) {
    throw new EventStoreArgumentError(
      'connectionString',
      'throwOnAppendFailure=false is not supported: with it @eventstore/db-client 6.x reports a wrong actual revision for a refused append; remove the option (the adapter maps the thrown error itself)',
    );
  }
};

/** Masks the password in `esdb://user:password@host`. */
export const redactConnectionString = (connectionString: string): string =>
  connectionString.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');

/**
 * The client for a connection string, as the adapter will use it (it connects lazily, on first use):
 * KurrentDB's schemes read as the esdb spelling client 6.x knows, and a setting the adapter refuses is
 * refused here. Throws EventStoreArgumentError('connectionString', reason).
 */
export const parseConnectionString = (connectionString: string): EventStoreDBClient => {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(
      connectionString.replace(/^(kurrentdb|kurrent)(\+discover)?:\/\//, 'esdb$2://'),
    );
  } catch (error) {
    throw new EventStoreArgumentError('connectionString', messageOf(error));
  }
  try {
    assertAppendFailuresThrow(client);
  } catch (error) {
    void client.dispose().catch(() => undefined);
    throw error;
  }
  return client;
};

/**
 * A filter the server can apply, always a superset of ours (ours is re-checked on every event): stream
 * prefixes, else event-type prefixes, else just "no system events". Regexes stay client-side: the server
 * speaks .NET regex, ours are JavaScript.
 */
const serverFilter = (
  filter: EventFilter | undefined,
  checkpointReached: (subscription: unknown, position: EsdbPosition) => void,
): EsdbFilter => {
  if (filter?.streamPrefixes?.length) {
    return streamNameFilter({ prefixes: [...filter.streamPrefixes], checkpointReached });
  }
  if (filter?.eventTypePrefixes?.length) {
    return eventTypeFilter({ prefixes: [...filter.eventTypePrefixes], checkpointReached });
  }
  return excludeSystemEvents({ checkpointReached });
};

interface SubscriptionPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  highWaterMark: number;
  schedule: (callback: () => void, delayMs: number) => () => void;
  random: () => number;
  now: () => number;
  logger: EventStoreLogger | undefined;
}

/**
 * EventStoreDB (KurrentDB) through `@eventstore/db-client` 6.x, behind the same port as the embedded store.
 * Revisions and positions become bigints at this boundary, the client's errors become ours, system events
 * (`$` streams and types) never come out, and subscriptions survive dropped connections.
 */
export class EventStoreDbEventStore extends EventStore {
  readonly adapter = 'eventstoredb' as const;
  private closed = false;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly policy: SubscriptionPolicy;
  private readonly healthTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  /** Appends sent and not yet answered: close() lets them finish before disposing the client, which
   * would otherwise cancel their gRPC stream and leave their outcome unknown. */
  private readonly pendingAppends = new Set<Promise<AppendResult>>();

  /** Parses the connection string (the client connects lazily, on first use). */
  static connect(
    connectionString: string,
    options: Omit<EventStoreDbEventStoreOptions, 'connectionString'> = {},
  ): EventStoreDbEventStore {
    const client = parseConnectionString(connectionString);
    try {
      return new EventStoreDbEventStore(client, { ...options, connectionString });
    } catch (error) {
      void client.dispose().catch(() => undefined);
      throw error;
    }
  }

  constructor(
    private readonly client: EventStoreDbClientLike,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    super();
    assertAppendFailuresThrow(client);
    this.healthTimeoutMs = options.healthTimeoutMs ?? 3_000;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
    this.policy = {
      initialDelayMs: options.resubscribe?.initialDelayMs ?? 100,
      maxDelayMs: options.resubscribe?.maxDelayMs ?? 10_000,
      highWaterMark: options.highWaterMark ?? 512,
      logger: options.logger,
      schedule:
        options.schedule ??
        ((callback, delayMs) => {
          const timer = setTimeout(callback, delayMs);
          return () => clearTimeout(timer);
        }),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    };
  }

  async appendToStream(
    streamId: string,
    events: EventData | readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const input = checkAppend(streamId, events, options.expectedRevision);
    const append = this.append(input);
    this.pendingAppends.add(append);
    try {
      return await append;
    } finally {
      this.pendingAppends.delete(append);
    }
  }

  private async append(input: CheckedAppend): Promise<AppendResult> {
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(
        input.streamId,
        input.events.map((e) =>
          jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }),
        ),
        { expectedRevision: input.expected },
      );
    } catch (error) {
      throw mapError(error, input.streamId, input.expected);
    }
    if (!result.success) {
      // Only with throwOnAppendFailure=false, which the constructor refuses: the result's revision
      // cannot be trusted then, so nothing is made of it.
      throw new Error(
        `EventStoreDB client reported a refused append to ${input.streamId} without raising an error`,
      );
    }
    const next = toBigInt(result.nextExpectedRevision);
    const position = result.position
      ? toBigInt(result.position.commit)
      : await this.positionOfRevision(input.streamId, next);
    return { nextExpectedRevision: next, position };
  }

  /** Part of an append (old servers leave the position out): runs even while close() waits for it. */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    for await (const event of this.streamEvents(streamId, 'forwards', revision, 1)) {
      return event.position;
    }
    throw new Error(`EventStoreDB acknowledged ${streamId}@${revision} but cannot read it back`);
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const id = checkStreamId(streamId);
    const { direction, from, maxCount } = checkReadStream(options);
    yield* this.streamEvents(id, direction, from, maxCount);
  }

  private async *streamEvents(
    id: string,
    direction: 'forwards' | 'backwards',
    from: bigint | 'start' | 'end',
    maxCount: number,
  ): AsyncGenerator<RecordedEvent> {
    let read: EsdbRead<ResolvedEvent> | undefined;
    try {
      read = this.client.readStream(id, {
        direction: direction === 'backwards' ? BACKWARDS : FORWARDS,
        fromRevision: from === 'start' ? START : from === 'end' ? END : from,
        ...(Number.isFinite(maxCount) ? { maxCount } : {}),
      });
      for await (const resolved of read) {
        if (resolved.event) {
          yield toRecorded(resolved.event, resolved.commitPosition);
        }
      }
    } catch (error) {
      throw mapError(error, id);
    } finally {
      await read?.cancel();
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const { direction, from, maxCount, filter } = checkReadAll(options);
    const matches = compileFilter(filter);
    const backwards = direction === 'backwards';
    if (!backwards && from === 'end') {
      return;
    }
    let remaining = maxCount;
    if (backwards && typeof from === 'bigint') {
      // The port reads inclusively; EventStoreDB reads backwards from *before* a position. Fetch the
      // event at the position itself first (below, anything at or after it is skipped, so the result is
      // right whichever way the server treats the boundary).
      for await (const event of this.allEvents({ fromPosition: toPosition(from), maxCount: 1 })) {
        if (event.position === from && matches(event)) {
          yield event;
          remaining -= 1;
        }
      }
    }
    if (remaining <= 0) {
      return;
    }
    // Client 6.x reads $all unfiltered: filter here, and never let the server stop at maxCount (system
    // and non-matching events count towards it there).
    const events = this.allEvents({
      direction: backwards ? BACKWARDS : FORWARDS,
      fromPosition: from === 'start' ? START : from === 'end' ? END : toPosition(from),
    });
    for await (const event of events) {
      if (backwards && typeof from === 'bigint' && event.position >= from) {
        continue;
      }
      if (matches(event)) {
        yield event;
        remaining -= 1;
        if (remaining <= 0) {
          return;
        }
      }
    }
  }

  /** $all without system events; cancels the server read when the caller stops early. */
  private async *allEvents(options: EsdbReadAllOptions): AsyncGenerator<RecordedEvent> {
    const read = this.client.readAll(options);
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event && !isSystemEvent(event)) {
          yield toRecorded(event, resolved.commitPosition);
        }
      }
    } catch (error) {
      throw mapReadError(error);
    } finally {
      await read.cancel();
    }
  }

  /** The last position in the log, system events included: the point a new subscription catches up to. */
  private logHead(): Promise<bigint | null> {
    return this.headOf(this.headRead());
  }

  private headRead(): EsdbRead<AllStreamResolvedEvent> {
    return this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  }

  private async headOf(read: EsdbRead<AllStreamResolvedEvent>): Promise<bigint | null> {
    try {
      for await (const resolved of read) {
        if (resolved.event) {
          return positionOf(resolved.event, resolved.commitPosition);
        }
        if (resolved.commitPosition !== undefined) {
          return toBigInt(resolved.commitPosition);
        }
      }
      return null;
    } catch (error) {
      throw mapReadError(error);
    } finally {
      await read.cancel();
    }
  }

  /**
   * The log head within `healthTimeoutMs`. A deadline passed to the client would not bound it: client 6.x
   * creates streaming reads with `deadline: Infinity`, so against a hung server the read never settles.
   * When the timer wins, the read is cancelled without waiting (the client's cancel waits for the
   * channel, which on a hung server may never come).
   */
  private async probeHead(): Promise<bigint | null> {
    const read = this.headRead();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `EventStoreDB did not answer the health probe within ${this.healthTimeoutMs} ms`,
            ),
          ),
        this.healthTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.headOf(read), timedOut]);
    } catch (error) {
      void read.cancel().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const { from, filter } = checkSubscribe(options);
    const subscription = new EventStoreDbSubscription(from, filter, {
      client: this.client,
      logHead: () => this.logHead(),
      policy: this.policy,
      release: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    for await (const event of this.allEvents({ direction: BACKWARDS, fromPosition: END })) {
      return event.position;
    }
    return null;
  }

  async health(): Promise<StoreHealth> {
    const subscriptions = [...this.subscriptions];
    const details: Record<string, unknown> = {
      connection:
        this.options.connectionString === undefined
          ? undefined
          : redactConnectionString(this.options.connectionString),
      subscriptions: subscriptions.length,
      subscriptionsReconnecting: subscriptions.filter((s) => s.reconnecting).length,
    };
    const lastDrop = subscriptions.map((s) => s.lastError).find((e) => e !== undefined);
    if (lastDrop) {
      details.lastSubscriptionError = lastDrop;
    }
    if (this.closed) {
      return { status: 'down', adapter: 'eventstoredb', details: { ...details, reason: 'closed' } };
    }
    try {
      const head = await this.probeHead();
      return {
        status: 'up',
        adapter: 'eventstoredb',
        details: { ...details, logPosition: head === null ? null : head.toString() },
      };
    } catch (error) {
      return {
        status: 'down',
        adapter: 'eventstoredb',
        details: { ...details, reason: messageOf(error) },
      };
    }
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    await this.settlePendingAppends();
    // Without dispose() the gRPC channel keeps the process (and Jest) alive.
    await this.client.dispose();
  }

  /** Waits (bounded) for the appends already sent: dispose() would cancel them mid-flight, and their
   * callers would never learn whether they were written. */
  private async settlePendingAppends(): Promise<void> {
    const pending = [...this.pendingAppends];
    if (pending.length === 0) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.closeTimeoutMs);
    });
    const late = await Promise.race([Promise.allSettled(pending).then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.options.logger?.warn(
        `EventStoreDB: closing with ${this.pendingAppends.size} append(s) still unanswered after ${this.closeTimeoutMs} ms; their outcome is unknown`,
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreClosedError();
    }
  }
}

interface SubscriptionDeps {
  client: EventStoreDbClientLike;
  logHead(): Promise<bigint | null>;
  policy: SubscriptionPolicy;
  release(subscription: EventStoreDbSubscription): void;
}

/**
 * A catch-up subscription to $all that outlives connection drops. It remembers the last position it
 * received and, after a drop, subscribes again from there (exclusive) with exponential backoff, so the
 * consumer sees neither duplicates nor gaps. It signals `caughtUp` once: when the server says so (22.x+
 * servers send it), or when it has seen the log position that was the head when it started.
 */
class EventStoreDbSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private waiter:
    | {
        resolve: (result: IteratorResult<SubscriptionMessage>) => void;
        reject: (error: unknown) => void;
      }
    | undefined;
  private failure: { error: Error } | undefined;
  private active = true;
  private current: EsdbSubscription | undefined;
  private cancelRetry: (() => void) | undefined;
  private lastSeen: bigint | null;
  private headAtStart: bigint | null | undefined;
  private caughtUpSent = false;
  /** Events still buffered in the client stream when the server said "caught up". */
  private caughtUpAfter: number | undefined;
  private attempt = 0;
  /** When the server first answered on the current subscription (`policy.now()`). */
  private answeredAt: number | undefined;
  private paused = false;
  private readonly matches: ReturnType<typeof compileFilter>;
  private iterator: AsyncIterator<SubscriptionMessage> | undefined;
  reconnecting = false;
  lastError: string | undefined;

  constructor(
    private readonly from: bigint | 'start' | 'end',
    private readonly filter: EventFilter | undefined,
    private readonly deps: SubscriptionDeps,
  ) {
    this.matches = compileFilter(filter);
    this.lastSeen = typeof from === 'bigint' ? from : null;
    // Starts at once, as the client's subscribeToAll does, not on the first next().
    void this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
    return this.iterator;
  }

  private next(): Promise<IteratorResult<SubscriptionMessage>> {
    const value = this.queue.shift();
    if (value) {
      if (this.paused && this.queue.length <= this.deps.policy.highWaterMark / 2) {
        this.paused = false;
        this.current?.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    const failure = this.failure;
    if (failure) {
      // Reported once; the iteration is over after that.
      this.failure = undefined;
      return Promise.reject(failure.error);
    }
    if (!this.active) {
      return Promise.resolve({ done: true, value: undefined });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  async unsubscribe(): Promise<void> {
    if (!this.active && !this.current) {
      return;
    }
    this.active = false;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.queue.length = 0;
    this.deps.release(this);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
    const current = this.current;
    this.current = undefined;
    await current?.unsubscribe().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.cancelRetry = undefined;
    if (!this.active) {
      return;
    }
    let subscription: EsdbSubscription | undefined;
    try {
      if (this.headAtStart === undefined) {
        const head = await this.deps.logHead();
        this.headAtStart = head;
        if (this.from === 'end') {
          this.lastSeen = head;
        }
      }
      if (!this.active) {
        return;
      }
      const created = this.deps.client.subscribeToAll({
        fromPosition: this.lastSeen === null ? START : toPosition(this.lastSeen),
        filter: serverFilter(this.filter, (s, position) => this.onCheckpoint(s, position)),
      });
      subscription = created;
      this.current = created;
      created.on('confirmation', () => this.onAnswer(created));
      created.on('data', (resolved) => this.onData(created, resolved));
      created.on('caughtUp', () => this.onServerCaughtUp(created));
      created.on('error', (error) => this.onDrop(created, error));
      created.on('end', () => this.onDrop(created, new Error('the server ended the subscription')));
      created.on('close', () => this.onDrop(created, new Error('the subscription stream closed')));
      if (this.paused) {
        created.pause();
      }
      // Nothing to catch up on: the log was empty, or we resume at (or past) the head we started from.
      if (
        this.headAtStart === null ||
        (this.lastSeen !== null && this.lastSeen >= this.headAtStart)
      ) {
        this.signalCaughtUp();
      }
    } catch (error) {
      this.onDrop(subscription, error);
    }
  }

  /** A re-subscription is over once the server has answered on it, not when the request went out:
   * until then health keeps counting it as reconnecting. */
  private onAnswer(subscription: EsdbSubscription): void {
    if (subscription === this.current) {
      this.reconnecting = false;
      this.answeredAt ??= this.deps.policy.now();
    }
  }

  private onData(subscription: EsdbSubscription, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.current) {
      return;
    }
    this.onAnswer(subscription);
    try {
      const event = resolved.event;
      if (event) {
        const position = positionOf(event, resolved.commitPosition);
        // After a re-subscription the server may replay what we already had: skip it.
        if (this.lastSeen === null || position > this.lastSeen) {
          this.lastSeen = position;
          this.attempt = 0;
          this.lastError = undefined;
          if (!isSystemEvent(event) && this.matches(event)) {
            this.push({ kind: 'event', event: toRecorded(event, resolved.commitPosition) });
          }
          if (
            !this.caughtUpSent &&
            typeof this.headAtStart === 'bigint' &&
            position >= this.headAtStart
          ) {
            this.signalCaughtUp();
          }
        }
      }
      this.countDownToCaughtUp();
    } catch (error) {
      this.fail(error);
    }
  }

  /** The server's caught-up message arrives while earlier events may still sit in the client's buffer:
   * the signal goes out after exactly those events, never before. */
  private onServerCaughtUp(subscription: EsdbSubscription): void {
    if (subscription === this.current) {
      this.onAnswer(subscription);
      this.caughtUpAfterBuffered(subscription.readableLength);
    }
  }

  /** Older servers send no caught-up message; a filter checkpoint past the starting head means the same. */
  private onCheckpoint(subscription: unknown, position: EsdbPosition): void {
    const current = this.current;
    if (current !== undefined && subscription === current) {
      this.onAnswer(current);
    }
    if (
      current !== undefined &&
      subscription === current &&
      typeof this.headAtStart === 'bigint' &&
      toBigInt(position.commit) >= this.headAtStart
    ) {
      this.caughtUpAfterBuffered(current.readableLength);
    }
  }

  private caughtUpAfterBuffered(buffered: number): void {
    if (this.caughtUpSent || this.caughtUpAfter !== undefined) {
      return;
    }
    if (buffered === 0) {
      this.signalCaughtUp();
    } else {
      this.caughtUpAfter = buffered;
    }
  }

  private countDownToCaughtUp(): void {
    if (this.caughtUpAfter !== undefined) {
      this.caughtUpAfter -= 1;
      if (this.caughtUpAfter <= 0) {
        this.signalCaughtUp();
      }
    }
  }

  private signalCaughtUp(): void {
    this.caughtUpAfter = undefined;
    if (this.caughtUpSent) {
      return;
    }
    this.caughtUpSent = true;
    const candidates = [this.lastSeen, this.headAtStart ?? null].filter((p) => p !== null);
    const position = candidates.length ? candidates.reduce((a, b) => (a > b ? a : b)) : null;
    this.push({ kind: 'caughtUp', position });
  }

  private push(message: SubscriptionMessage): void {
    if (!this.active) {
      return;
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: message });
      return;
    }
    this.queue.push(message);
    if (!this.paused && this.queue.length >= this.deps.policy.highWaterMark) {
      this.paused = true;
      this.current?.pause();
    }
  }

  private onDrop(subscription: EsdbSubscription | undefined, dropped: unknown): void {
    if (!this.active || (subscription !== undefined && subscription !== this.current)) {
      return;
    }
    const error = mapReadError(dropped);
    this.current = undefined;
    // Whatever the old stream still buffers is read again from `lastSeen` by the next subscription.
    this.caughtUpAfter = undefined;
    void subscription?.unsubscribe().catch(() => undefined);
    if (isFatal(error)) {
      this.fail(error);
      return;
    }
    const { initialDelayMs, maxDelayMs, logger, schedule, random, now } = this.deps.policy;
    // A subscription the server kept up for a while was healthy, events or not (an idle log): its drop
    // starts the backoff over rather than waiting as long as after the last of a run of refusals.
    if (this.answeredAt !== undefined && now() - this.answeredAt >= maxDelayMs) {
      this.attempt = 0;
    }
    this.answeredAt = undefined;
    const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** this.attempt);
    const delay = Math.round(backoff - (backoff / 2) * random());
    this.attempt += 1;
    this.reconnecting = true;
    this.lastError = messageOf(error);
    logger?.warn(
      `EventStoreDB subscription dropped (${this.lastError}); resubscribing after position ${String(this.lastSeen ?? 'start')} in ${delay} ms`,
    );
    this.cancelRetry = schedule(() => void this.connect(), delay);
  }

  private fail(error: unknown): void {
    if (!this.active) {
      return;
    }
    this.active = false;
    const failure = error instanceof Error ? error : new Error(String(error));
    this.lastError = failure.message;
    this.deps.release(this);
    const current = this.current;
    this.current = undefined;
    void current?.unsubscribe().catch(() => undefined);
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      waiter.reject(failure);
    } else {
      this.failure = { error: failure };
    }
  }
}
