import {
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type Filter,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
  convertToCommandError,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  EsdbRead,
  EsdbSubscription,
  EventStoreDbClientLike,
} from '../eventstoredb-event-store';

/**
 * An in-memory stand-in for an EventStoreDB server and the slice of `@eventstore/db-client` the adapter
 * uses, for unit tests (there is no server on the build machine). It keeps the server's observable rules:
 * log positions that grow by record size (not by one), system events interleaved with ours, expected-revision
 * checks raising the client's own error classes, readAll forwards inclusive and backwards exclusive of its
 * start (configurable), subscriptions exclusive of their start, server-side filters, a `caughtUp` message
 * sent while earlier events are still buffered client-side, and connections that can be dropped on demand.
 * Like the server, it refuses to read or subscribe from a position that is not a record boundary, and
 * refuses appends above its MaxAppendSize; it can also hang (reads, appends, subscriptions) on demand.
 */
export interface FakeServerOptions {
  /** Whether a backwards $all read includes the record at its start position. */
  backwardsInclusive?: boolean;
  /** Servers before 23.10 send no caught-up message. */
  sendsCaughtUp?: boolean;
  /** Leave `position` out of append results (old servers), forcing the adapter to read it back. */
  omitAppendPosition?: boolean;
  /** Hand out revisions and positions as plain numbers, as a careless client version might. */
  numericPositions?: boolean;
  /** Subscriptions also deliver the event at their start position (a replay the adapter must drop). */
  replaysStartPosition?: boolean;
  /** The server's MaxAppendSize (default 1 MiB, as on a real server). */
  maxAppendSize?: number;
}

/** What client 6.x makes of the server's answer to a read from a position inside a record: the server
 * sends status INVALID_ARGUMENT without an exception key, so the client knows no class for it. */
const invalidPosition = (): Error =>
  convertToCommandError(
    Object.assign(new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.'), {
      code: 3,
      details: 'Trying to read from an invalid position.',
    }),
  );

/** `Event.SizeOnDisk` of the server: what counts against MaxAppendSize. */
const sizeOnDisk = (event: EventData): number => {
  const bytes = (value: unknown): number =>
    value === undefined
      ? 0
      : value instanceof Uint8Array
        ? value.length
        : Buffer.byteLength(JSON.stringify(value));
  return bytes(event.data) + bytes(event.metadata) + event.type.length * 2;
};

interface StoredEvent {
  streamId: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  revision: bigint;
  position: bigint;
  created: Date;
}

const SYSTEM_STATS_STREAM = '$stats-127.0.0.1:2113';

export class FakeEventStoreDbServer {
  readonly log: StoredEvent[] = [];
  readonly subscriptions = new Set<FakeSubscription>();
  readonly clients: FakeEventStoreDbClient[] = [];
  /** Every call fails with UnavailableError while set. */
  down = false;
  /** The next N subscription attempts fail at once with UnavailableError. */
  refuseSubscriptions = 0;
  /** Subscriptions fail with AccessDeniedError (a fatal error) while set. */
  denySubscriptions = false;
  /** Reads are accepted and never answered while set (a hung server); `cancelledReads` counts cancels. */
  hangReads = false;
  cancelledReads = 0;
  /** New subscriptions are accepted and answer nothing until `answerSubscriptions()`. */
  silentSubscriptions = false;
  readonly unanswered: FakeSubscription[] = [];
  private appendGate: Promise<void> | undefined;
  private nextPosition = 512n;
  private appends = 0;

  constructor(readonly options: FakeServerOptions = {}) {
    this.write('$epochs', '$epoch-information', { epochNumber: 0 });
    this.write('$settings', '$settings', { $userStreamAcl: {} });
  }

  client(): FakeEventStoreDbClient {
    const client = new FakeEventStoreDbClient(this);
    this.clients.push(client);
    return client;
  }

  /** Drops every live subscription the way a lost connection does. */
  dropSubscriptions(error: Error = new UnavailableError(undefined, 'connection reset')): void {
    for (const subscription of [...this.subscriptions]) {
      this.subscriptions.delete(subscription);
      subscription.emit('error', error);
    }
  }

  /** Ends every live subscription cleanly from the server side (e.g. a leader change). */
  endSubscriptions(): void {
    for (const subscription of [...this.subscriptions]) {
      this.subscriptions.delete(subscription);
      subscription.push(null);
    }
  }

  /** Appends wait (unanswered, not yet written) until the returned function is called. */
  holdAppends(): () => void {
    let release!: () => void;
    this.appendGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.appendGate = undefined;
      release();
    };
  }

  async appendTurn(): Promise<void> {
    // A network round trip: concurrent appends are decided by the server one at a time.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.appendGate) {
      await this.appendGate;
    }
  }

  /** The subscriptions started while `silentSubscriptions` was set get their first answer now. */
  answerSubscriptions(): void {
    this.silentSubscriptions = false;
    for (const subscription of this.unanswered.splice(0)) {
      subscription.start();
    }
  }

  deferStart(subscription: FakeSubscription): boolean {
    if (!this.silentSubscriptions) {
      return false;
    }
    this.unanswered.push(subscription);
    return true;
  }

  headPosition(): bigint {
    return this.log[this.log.length - 1].position;
  }

  /** Where a read may start: the log's beginning, a record, or the end of the log (and past it). */
  isRecordBoundary(position: bigint): boolean {
    return (
      position === 0n ||
      position >= this.nextPosition ||
      this.log.some((e) => e.position === position)
    );
  }

  lastRevision(streamId: string): bigint | undefined {
    for (let i = this.log.length - 1; i >= 0; i--) {
      if (this.log[i].streamId === streamId) {
        return this.log[i].revision;
      }
    }
    return undefined;
  }

  write(
    streamId: string,
    type: string,
    data: unknown,
    metadata?: unknown,
    id?: string,
  ): StoredEvent {
    const revision = (this.lastRevision(streamId) ?? -1n) + 1n;
    const event: StoredEvent = {
      streamId,
      id: id ?? randomUUID(),
      type,
      data,
      metadata,
      revision,
      position: this.nextPosition,
      created: new Date(),
    };
    // Log positions are byte offsets: they grow by the record's size.
    this.nextPosition += 96n + BigInt(JSON.stringify(data ?? null).length);
    this.log.push(event);
    for (const subscription of this.subscriptions) {
      subscription.offer(event);
    }
    return event;
  }

  append(streamName: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    const last = this.lastRevision(streamName);
    const current = last ?? 'no_stream';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && last === undefined) ||
      (expected === 'stream_exists' && last !== undefined) ||
      (typeof expected === 'bigint' && last === expected);
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    }
    const maxAppendSize = this.options.maxAppendSize ?? 1_048_576;
    if (events.reduce((sum, e) => sum + sizeOnDisk(e), 0) > maxAppendSize) {
      throw MaxAppendSizeExceededError.fromMaxAppendSize(maxAppendSize);
    }
    let written: StoredEvent | undefined;
    for (const event of events) {
      if (event.contentType !== 'application/json') {
        throw new Error('the adapter should only write JSON events');
      }
      written = this.write(streamName, event.type, event.data, event.metadata, event.id);
    }
    // The server writes its own bookkeeping between ours.
    if (++this.appends % 5 === 0) {
      this.write(SYSTEM_STATS_STREAM, '$statsCollected', { appends: this.appends });
    }
    const position: Position = { commit: written!.position, prepare: written!.position };
    return {
      success: true,
      nextExpectedRevision: this.num(written!.revision),
      ...(this.options.omitAppendPosition ? {} : { position: this.pos(position) }),
    };
  }

  num(value: bigint): bigint {
    return this.options.numericPositions ? (Number(value) as unknown as bigint) : value;
  }

  pos(position: Position): Position {
    return { commit: this.num(position.commit), prepare: this.num(position.prepare) };
  }

  resolved(event: StoredEvent, withCommitPosition: boolean): AllStreamResolvedEvent {
    const position = this.pos({ commit: event.position, prepare: event.position });
    return {
      event: {
        streamId: event.streamId,
        id: event.id,
        isJson: true,
        revision: this.num(event.revision),
        type: event.type,
        created: event.created,
        data: event.data as Record<string, unknown>,
        metadata: event.metadata as Record<string, unknown>,
        position,
      },
      ...(withCommitPosition ? { commitPosition: position.commit } : {}),
    };
  }

  matchesFilter(filter: Filter | undefined, event: StoredEvent): boolean {
    if (!filter) {
      return true;
    }
    const subject = filter.filterOn === 'eventType' ? event.type : event.streamId;
    return 'prefixes' in filter
      ? filter.prefixes.some((p) => subject.startsWith(p))
      : new RegExp(filter.regex).test(subject);
  }
}

const failingRead = <E>(error: Error): EsdbRead<E> => {
  const readable = new Readable({
    objectMode: true,
    read() {
      this.destroy(error);
    },
  });
  return Object.assign(readable, { cancel: () => Promise.resolve(void readable.destroy()) });
};

const hungRead = <E>(server: FakeEventStoreDbServer): EsdbRead<E> => {
  const readable = new Readable({ objectMode: true, read: () => undefined });
  return Object.assign(readable, {
    cancel: () => {
      server.cancelledReads += 1;
      readable.destroy();
      return Promise.resolve();
    },
  });
};

const readOf = <E>(items: () => E[]): EsdbRead<E> => {
  // Lazily, like the server: nothing is read before the first pull.
  const readable = Readable.from(
    (function* () {
      yield* items();
    })(),
    { objectMode: true },
  );
  return Object.assign(readable, { cancel: () => Promise.resolve(void readable.destroy()) });
};

class FakeSubscription extends Readable implements EsdbSubscription {
  private lastOffered: bigint;
  private caughtUp = false;
  constructor(
    private readonly server: FakeEventStoreDbServer,
    private readonly from: bigint,
    private readonly serverFilter: Filter | undefined,
  ) {
    super({ objectMode: true, highWaterMark: 16, read: () => undefined });
    this.lastOffered = server.options.replaysStartPosition && from >= 0n ? from - 1n : from;
  }

  start(): void {
    if (this.destroyed || this.server.deferStart(this)) {
      return;
    }
    if (this.server.down || this.server.refuseSubscriptions > 0) {
      this.server.refuseSubscriptions = Math.max(0, this.server.refuseSubscriptions - 1);
      this.emit('error', new UnavailableError(undefined, 'server unavailable'));
      return;
    }
    if (this.server.denySubscriptions) {
      this.emit('error', new AccessDeniedError(undefined, 'access denied'));
      return;
    }
    if (this.from >= 0n && !this.server.isRecordBoundary(this.from)) {
      this.emit('error', invalidPosition());
      return;
    }
    this.emit('confirmation');
    // As in the real client: the caught-up message is processed while the events before it may still be
    // buffered in the Readable, waiting for the consumer.
    const wasPaused = this.isPaused();
    this.pause();
    for (const event of this.server.log) {
      this.offer(event);
    }
    this.server.subscriptions.add(this);
    if (this.server.options.sendsCaughtUp ?? true) {
      this.emit('caughtUp');
    }
    const head = this.server.headPosition();
    void this.serverFilter?.checkpointReached?.(this, { commit: head, prepare: head });
    this.caughtUp = true;
    if (!wasPaused) {
      this.resume();
    }
  }

  offer(event: (typeof this.server.log)[number]): void {
    if (event.position <= this.lastOffered) {
      return;
    }
    this.lastOffered = event.position;
    if (this.server.matchesFilter(this.serverFilter, event)) {
      this.push(this.server.resolved(event, true));
    } else if (this.caughtUp && this.serverFilter?.checkpointReached) {
      void this.serverFilter.checkpointReached(this, {
        commit: event.position,
        prepare: event.position,
      });
    }
  }

  unsubscribe(): Promise<void> {
    this.server.subscriptions.delete(this);
    this.destroy();
    return Promise.resolve();
  }
}

export class FakeEventStoreDbClient implements EventStoreDbClientLike {
  disposed = false;
  constructor(private readonly server: FakeEventStoreDbServer) {}

  private check(): void {
    if (this.disposed) {
      throw new Error('client used after dispose()');
    }
  }

  async appendToStream(
    streamName: string,
    events: EventData[],
    options: AppendToStreamOptions = {},
  ): Promise<AppendResult> {
    this.check();
    await this.server.appendTurn();
    if (this.disposed) {
      // dispose() cancels the client's append stream: the caller never learns the outcome.
      throw new Error('append cancelled: the client was disposed');
    }
    if (this.server.down) {
      throw new UnavailableError(undefined, 'server unavailable');
    }
    return this.server.append(streamName, events, options.expectedRevision ?? 'any');
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): EsdbRead<ResolvedEvent> {
    this.check();
    if (this.server.down) {
      return failingRead(new UnavailableError(undefined, 'server unavailable'));
    }
    const events = this.server.log.filter((e) => e.streamId === streamName);
    if (events.length === 0) {
      return failingRead(new StreamNotFoundError(undefined, streamName));
    }
    const { fromRevision = 'start', direction = 'forwards' } = options;
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return readOf(() => {
      const selected =
        direction === 'forwards'
          ? events.filter(
              (e) =>
                fromRevision === 'start' || (fromRevision !== 'end' && e.revision >= fromRevision),
            )
          : events
              .filter(
                (e) =>
                  fromRevision === 'end' ||
                  (fromRevision !== 'start' && e.revision <= fromRevision),
              )
              .reverse();
      return selected.slice(0, maxCount).map((e) => {
        const { event } = this.server.resolved(e, false);
        return { event };
      });
    });
  }

  readAll(options: ReadAllOptions = {}): EsdbRead<AllStreamResolvedEvent> {
    this.check();
    if (this.server.down) {
      return failingRead(new UnavailableError(undefined, 'server unavailable'));
    }
    if (this.server.hangReads) {
      return hungRead(this.server);
    }
    const { fromPosition = 'start', direction = 'forwards' } = options;
    if (
      fromPosition !== 'start' &&
      fromPosition !== 'end' &&
      !this.server.isRecordBoundary(BigInt(fromPosition.commit))
    ) {
      return failingRead(invalidPosition());
    }
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const inclusive = this.server.options.backwardsInclusive ?? false;
    return readOf(() => {
      const log = this.server.log;
      const selected =
        direction === 'forwards'
          ? log.filter(
              (e) =>
                fromPosition === 'start' ||
                (fromPosition !== 'end' && e.position >= BigInt(fromPosition.commit)),
            )
          : log
              .filter(
                (e) =>
                  fromPosition === 'end' ||
                  (fromPosition !== 'start' &&
                    (inclusive
                      ? e.position <= BigInt(fromPosition.commit)
                      : e.position < BigInt(fromPosition.commit))),
              )
              .reverse();
      return selected.slice(0, maxCount).map((e) => this.server.resolved(e, true));
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EsdbSubscription {
    this.check();
    const from = options.fromPosition ?? 'start';
    const start =
      from === 'start' ? -1n : from === 'end' ? this.server.headPosition() : BigInt(from.commit);
    const subscription = new FakeSubscription(this.server, start, options.filter);
    setImmediate(() => subscription.start());
    return subscription;
  }

  dispose(): Promise<void> {
    this.disposed = true;
    return Promise.resolve();
  }
}
