import {
  AccessDeniedError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError as EsdbStreamDeletedError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import { describeEventStoreContract } from './contract/event-store.contract';
import {
  EventStoreArgumentError,
  EventStoreClosedError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from './errors';
import type { RecordedEvent, Subscription, SubscriptionMessage } from './event-store.port';
import {
  EventStoreDbEventStore,
  type EventStoreDbClientLike,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb-event-store';
import { FakeEventStoreDbServer, type FakeServerOptions } from './testing/fake-eventstoredb';

/** Re-subscription delays run on the next turn of the event loop; the requested delays are recorded. */
const fastRetries = (delays: number[] = []): EventStoreDbEventStoreOptions => ({
  schedule: (callback, delayMs) => {
    delays.push(delayMs);
    const handle = setImmediate(callback);
    return () => clearImmediate(handle);
  },
  resubscribe: { initialDelayMs: 100, maxDelayMs: 800 },
  random: () => 0,
});

const onFakeServer = (options: FakeServerOptions) => async () => {
  const server = new FakeEventStoreDbServer(options);
  return {
    open: () => Promise.resolve(new EventStoreDbEventStore(server.client(), fastRetries())),
  };
};

// The whole contract, through the adapter, against the fake: every mapping runs on every test run.
describeEventStoreContract(
  'EventStoreDB adapter on a current server (fake client)',
  onFakeServer({}),
);
describeEventStoreContract(
  'EventStoreDB adapter on an older server (fake client: no caught-up message, no append position, numeric positions, inclusive boundaries)',
  onFakeServer({
    sendsCaughtUp: false,
    omitAppendPosition: true,
    numericPositions: true,
    backwardsInclusive: true,
    replaysStartPosition: true,
  }),
);

/** Turns of the event loop until `done()` holds (the fake answers on setImmediate, never on a clock). */
const until = async (done: () => boolean): Promise<void> => {
  for (let turn = 0; !done(); turn++) {
    if (turn > 1_000) {
      throw new Error('condition not reached');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
};

/** A gRPC status as client 6.x hands it out when it knows no class for it (an UnknownError). */
const grpcStatus = (code: number, details: string): Error =>
  convertToCommandError(Object.assign(new Error(`${code} ${details}`), { code, details }));

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
  }
  return out;
};

class Reader {
  private readonly iterator: AsyncIterator<SubscriptionMessage>;
  readonly seen: SubscriptionMessage[] = [];
  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }
  async next(): Promise<SubscriptionMessage> {
    const result = await this.iterator.next();
    if (result.done) {
      throw new Error('the subscription ended unexpectedly');
    }
    this.seen.push(result.value);
    return result.value;
  }
  async events(count: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    while (events.length < count) {
      const message = await this.next();
      if (message.kind === 'event') {
        events.push(message.event);
      }
    }
    return events;
  }
}

describe('EventStoreDbEventStore', () => {
  const stores: EventStoreDbEventStore[] = [];
  const open = (
    server: FakeEventStoreDbServer,
    options: EventStoreDbEventStoreOptions = fastRetries(),
  ) => {
    const store = new EventStoreDbEventStore(server.client(), options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await store.close();
    }
  });
  /** A store on `server` whose every append the client refuses with `failure`; reads go to the server. */
  const refusingAppends = (server: FakeEventStoreDbServer, failure: Error) => {
    const real = server.client();
    const stubbed = new EventStoreDbEventStore({
      readAll: (options) => real.readAll(options),
      readStream: (name, options) => real.readStream(name, options),
      subscribeToAll: (options) => real.subscribeToAll(options),
      appendToStream: () => Promise.reject(failure),
      dispose: () => Promise.resolve(),
    });
    stores.push(stubbed);
    return stubbed;
  };
  const event = (n: number) => ({ type: 'Counted', data: { n } });

  it('never lets system events out of readAll, subscriptions or the head position', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server);
    for (let n = 0; n < 12; n++) {
      await store.appendToStream(`opd-${n % 2}`, event(n));
    }
    const last = await store.appendToStream('opd-0', event(12));
    server.write('$stats-127.0.0.1:2113', '$statsCollected', {});
    server.write('$$opd-0', '$metadata', { $maxAge: 1 });
    expect(server.log.some((e) => e.type.startsWith('$'))).toBe(true);

    const all = await collect(store.readAll());
    expect(all.map((e) => e.data.n)).toEqual([...Array(13).keys()]);
    expect(await collect(store.readAll({ direction: 'backwards', maxCount: 1 }))).toEqual([
      all[12],
    ]);
    expect(await store.headPosition()).toBe(last.position);

    const reader = new Reader(store.subscribeToAll());
    const delivered: RecordedEvent[] = [];
    for (;;) {
      const message = await reader.next();
      if (message.kind === 'caughtUp') {
        // Caught up to the log head, system events included: resuming from there misses nothing.
        expect(message.position).toBe(server.headPosition());
        break;
      }
      delivered.push(message.event);
    }
    expect(delivered).toEqual(all);
  });

  it('maps the client errors to the port errors', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server);
    await store.appendToStream('case-1', event(0));
    await expect(
      store.appendToStream('case-1', event(1), { expectedRevision: 'no_stream' }),
    ).rejects.toEqual(new WrongExpectedVersionError('case-1', 'no_stream', 0n));
    await expect(collect(store.readStream('case-2'))).rejects.toEqual(
      new StreamNotFoundError('case-2'),
    );

    // Errors the fake does not produce, raised by a stub of the same surface.
    const real = server.client();
    const stub: EventStoreDbClientLike = {
      readAll: (options) => real.readAll(options),
      subscribeToAll: (options) => real.subscribeToAll(options),
      appendToStream: () =>
        Promise.reject(
          new EsdbWrongExpectedVersionError(undefined, {
            streamName: 'x',
            expected: 3n,
            current: -1n,
          }),
        ),
      readStream: () => {
        throw EsdbStreamDeletedError.fromStreamName('gone');
      },
      dispose: () => Promise.resolve(),
    };
    const stubbed = new EventStoreDbEventStore(stub);
    stores.push(stubbed);
    await expect(stubbed.appendToStream('x', event(0), { expectedRevision: 3n })).rejects.toEqual(
      new WrongExpectedVersionError('x', 3n, 'no_stream'),
    );
    await expect(collect(stubbed.readStream('gone'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('maps an unreachable server to EventStoreUnavailableError, saying when an append may have landed', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server);
    await store.appendToStream('case-1', event(0));
    server.down = true;
    const down = (outcomeUnknown: boolean) =>
      expect.objectContaining({
        name: 'EventStoreUnavailableError',
        reason: 'server unavailable',
        outcomeUnknown,
      });
    // The connection may have dropped after the server had the append: its outcome is not known.
    await expect(store.appendToStream('case-1', event(1))).rejects.toEqual(down(true));
    await expect(collect(store.readStream('case-1'))).rejects.toEqual(down(false));
    await expect(collect(store.readAll())).rejects.toEqual(down(false));
    server.down = false;
    expect(server.lastRevision('case-1')).toBe(0n);

    // A follower refusing the write (no leader elected yet) wrote nothing; a deadline may have passed
    // after the write.
    const notLeader = new NotLeaderError({
      message: 'Leader info available',
      metadata: {
        getMap: () => ({ 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }),
      },
    } as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
    const refused = await refusingAppends(server, notLeader)
      .appendToStream('x', event(0))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EventStoreUnavailableError);
    expect(refused).toMatchObject({ outcomeUnknown: false });
    await expect(
      refusingAppends(server, grpcStatus(4, 'Deadline exceeded')).appendToStream('x', event(0)),
    ).rejects.toMatchObject({ name: 'EventStoreUnavailableError', outcomeUnknown: true });
  });

  it('re-subscribes after drops from the last received position, backing off, without duplicates or gaps', async () => {
    const server = new FakeEventStoreDbServer();
    const delays: number[] = [];
    const warnings: string[] = [];
    const store = open(server, {
      ...fastRetries(delays),
      logger: { warn: (m) => warnings.push(m) },
    });
    for (let n = 0; n < 5; n++) {
      await store.appendToStream(`asn-${n % 2}`, event(n));
    }
    const reader = new Reader(store.subscribeToAll({ filter: { streamPrefixes: ['asn-'] } }));
    const received = await reader.events(2);

    server.refuseSubscriptions = 3;
    server.dropSubscriptions();
    for (let n = 5; n < 8; n++) {
      await store.appendToStream(`asn-${n % 2}`, event(n));
    }
    received.push(...(await reader.events(6)));
    // Three refused attempts back off exponentially; success resets the backoff.
    expect(delays).toEqual([100, 200, 400, 800]);

    server.endSubscriptions();
    await store.appendToStream('asn-0', event(8));
    received.push(...(await reader.events(1)));
    server.dropSubscriptions();
    await store.appendToStream('asn-1', event(9));
    received.push(...(await reader.events(1)));
    expect(delays).toEqual([100, 200, 400, 800, 100, 100]);

    expect(received.map((e) => e.data.n)).toEqual([...Array(10).keys()]);
    expect(reader.seen.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /subscription dropped \(connection reset\); resubscribing after position \d+ in 100 ms/,
    );
    const health = await store.health();
    expect(health.details).toMatchObject({ subscriptions: 1, subscriptionsReconnecting: 0 });
  });

  it('jitters each delay by up to half, and starts the backoff over after a subscription stayed up idle', async () => {
    const server = new FakeEventStoreDbServer();
    const delays: number[] = [];
    let clock = 0;
    const store = open(server, { ...fastRetries(delays), random: () => 0.5, now: () => clock });
    await store.appendToStream('asn-1', event(0));
    const reader = new Reader(store.subscribeToAll());
    await reader.events(1);
    const reconnected = async () => {
      while ((await store.health()).details?.subscriptionsReconnecting !== 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    server.refuseSubscriptions = 2;
    server.dropSubscriptions();
    await reconnected();
    // 100, 200 and 400 ms, each less a quarter (half of the backoff times random 0.5).
    expect(delays).toEqual([75, 150, 300]);
    clock += 100; // up briefly, no event since: still backing off
    server.dropSubscriptions();
    await reconnected();
    expect(delays).toEqual([75, 150, 300, 600]);
    clock += 800; // up for maxDelayMs, idle: healthy, so the next drop starts over
    server.dropSubscriptions();
    await reconnected();
    expect(delays).toEqual([75, 150, 300, 600, 75]);

    await store.appendToStream('asn-1', event(1));
    expect((await reader.events(1)).map((e) => e.data.n)).toEqual([1]);
  });

  it('re-reads what was still buffered when the connection dropped, and holds back a slow consumer', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server, { ...fastRetries(), highWaterMark: 4 });
    for (let n = 0; n < 30; n++) {
      await store.appendToStream('pledge-1', event(n));
    }
    const reader = new Reader(store.subscribeToAll());
    const received = await reader.events(1);
    await new Promise((resolve) => setImmediate(resolve));
    // The consumer lags: the adapter holds 4 messages and has paused the server stream, the rest waits in
    // the client's buffer (and, on a real server, in gRPC flow control).
    expect(server.subscriptions.size).toBe(1);
    const [live] = server.subscriptions;
    expect(live.isPaused()).toBe(true);
    expect(live.readableLength).toBe(25);
    server.dropSubscriptions();
    received.push(...(await reader.events(29)));
    expect(received.map((e) => e.data.n)).toEqual([...Array(30).keys()]);
    const caughtUp = reader.seen.findIndex((m) => m.kind === 'caughtUp');
    expect(caughtUp).toBe(-1);
    expect((await reader.next()).kind).toBe('caughtUp');
  });

  it('signals caught-up on servers without the caught-up message, even when the filter matches nothing', async () => {
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: false });
    const store = open(server);
    await store.appendToStream('opd-1', event(0));
    const reader = new Reader(store.subscribeToAll({ filter: { streamPrefixes: ['nothing-'] } }));
    expect(await reader.next()).toEqual({ kind: 'caughtUp', position: server.headPosition() });
  });

  it('fails the subscription instead of retrying an error that retrying cannot fix', async () => {
    const server = new FakeEventStoreDbServer();
    server.denySubscriptions = true;
    const store = open(server);
    const iterator = store.subscribeToAll()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('disposes the client on close and refuses work afterwards', async () => {
    const server = new FakeEventStoreDbServer();
    const client = server.client();
    const store = new EventStoreDbEventStore(client, fastRetries());
    const pending = store.subscribeToAll()[Symbol.asyncIterator]();
    await store.close();
    expect(client.disposed).toBe(true);
    expect(server.subscriptions.size).toBe(0);
    expect(await pending.next()).toEqual({ done: true, value: undefined });
    await expect(store.appendToStream('x', event(0))).rejects.toBeInstanceOf(EventStoreClosedError);
    expect(() => store.subscribeToAll()).toThrow(EventStoreClosedError);
    await store.close();
  });

  it('reports health with the connection (password masked), and down when the server is unreachable', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server, {
      ...fastRetries(),
      connectionString: 'esdb://admin:changeit@eventstore:2113?tls=false',
    });
    expect(await store.health()).toEqual({
      status: 'up',
      adapter: 'eventstoredb',
      details: {
        connection: 'esdb://admin:***@eventstore:2113?tls=false',
        subscriptions: 0,
        subscriptionsReconnecting: 0,
        logPosition: server.headPosition().toString(),
      },
    });
    const reader = new Reader(store.subscribeToAll());
    expect((await reader.next()).kind).toBe('caughtUp');
    server.down = true;
    server.dropSubscriptions();
    const health = await store.health();
    expect(health).toMatchObject({
      status: 'down',
      adapter: 'eventstoredb',
      details: { reason: 'server unavailable', subscriptions: 1 },
    });
    expect(health.details?.subscriptionsReconnecting).toBe(1);
    server.down = false;
    await store.appendToStream('opd-9', event(1));
    expect((await reader.events(1)).map((e) => e.streamId)).toEqual(['opd-9']);
  });

  it('reports down with a reason when the server does not answer the health probe in time, and cancels the read', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server, { ...fastRetries(), healthTimeoutMs: 50 });
    expect((await store.health()).status).toBe('up');
    server.hangReads = true;
    const started = Date.now();
    const health = await store.health();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(health).toMatchObject({
      status: 'down',
      adapter: 'eventstoredb',
      details: { reason: 'EventStoreDB did not answer the health probe within 50 ms' },
    });
    expect(server.cancelledReads).toBe(1);
    server.hangReads = false;
    expect((await store.health()).status).toBe('up');
  });

  it('refuses reads and subscriptions from a position inside a record with an argument error, without retrying', async () => {
    const server = new FakeEventStoreDbServer();
    const delays: number[] = [];
    const store = open(server, fastRetries(delays));
    await store.appendToStream('opd-1', event(0));
    const { position } = await store.appendToStream('opd-1', event(1));
    // A log offset: one less is inside the previous record, which the server refuses.
    const inside = position - 1n;
    const readError = await collect(store.readAll({ fromPosition: inside })).catch(
      (e: unknown) => e,
    );
    expect(readError).toBeInstanceOf(EventStoreArgumentError);
    expect(readError).toMatchObject({ argument: 'fromPosition' });
    await expect(
      collect(store.readAll({ fromPosition: inside, direction: 'backwards' })),
    ).rejects.toBeInstanceOf(EventStoreArgumentError);

    const iterator = store.subscribeToAll({ fromPosition: inside })[Symbol.asyncIterator]();
    const subscribeError = await iterator.next().catch((e: unknown) => e);
    expect(subscribeError).toBeInstanceOf(EventStoreArgumentError);
    expect(subscribeError).toMatchObject({ argument: 'fromPosition' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(delays).toEqual([]);
    expect((await store.health()).details).toMatchObject({ subscriptions: 0 });

    // Positions the store handed out stay valid starting points.
    const reader = new Reader(store.subscribeToAll({ fromPosition: position }));
    expect((await reader.next()).kind).toBe('caughtUp');
  });

  it('maps the server refusing an append as too large, or as malformed, to an argument error', async () => {
    const server = new FakeEventStoreDbServer({ maxAppendSize: 1_000 });
    const store = open(server);
    const error = await store
      .appendToStream('doc-1', { type: 'Large', data: { blob: 'x'.repeat(2_000) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreArgumentError);
    expect(error).toMatchObject({ argument: 'events' });
    expect((error as Error).message).toMatch(/1000 bytes/);
    expect(server.lastRevision('doc-1')).toBeUndefined();

    await expect(
      refusingAppends(server, MaxAppendSizeExceededError.fromMaxAppendSize(4_096)).appendToStream(
        'x',
        event(0),
      ),
    ).rejects.toMatchObject({ name: 'EventStoreArgumentError', argument: 'events' });
    await expect(
      refusingAppends(server, grpcStatus(3, 'INVALID_ARGUMENT: Record is too big.')).appendToStream(
        'x',
        event(0),
      ),
    ).rejects.toMatchObject({ name: 'EventStoreArgumentError', argument: 'events' });
  });

  it('refuses throwOnAppendFailure=false in the connection string (client 6.x then reports a wrong actual revision)', async () => {
    for (const connectionString of [
      'esdb://localhost:2113?tls=false&throwOnAppendFailure=false',
      'kurrentdb://localhost:2113?throwonappendfailure=false',
    ]) {
      expect(() => EventStoreDbEventStore.connect(connectionString)).toThrow(
        expect.objectContaining({
          name: 'EventStoreArgumentError',
          argument: 'connectionString',
          message: expect.stringMatching(/throwOnAppendFailure=false is not supported/),
        }),
      );
    }
    const store = EventStoreDbEventStore.connect(
      'esdb://localhost:2113?tls=false&throwOnAppendFailure=true',
    );
    await store.close();
  });

  it('lets appends in flight finish before disposing the client on close', async () => {
    // An older server: the append's position is read back after the write, while close() waits.
    const server = new FakeEventStoreDbServer({ omitAppendPosition: true });
    const client = server.client();
    const store = new EventStoreDbEventStore(client, fastRetries());
    const release = server.holdAppends();
    const appending = store.appendToStream('pledge-1', event(0));
    let closed = false;
    const closing = store.close().then(() => {
      closed = true;
    });
    await until(() => server.clients.length > 0);
    for (let turn = 0; turn < 20; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(closed).toBe(false);
    expect(client.disposed).toBe(false);
    await expect(store.appendToStream('pledge-2', event(1))).rejects.toBeInstanceOf(
      EventStoreClosedError,
    );
    release();
    const result = await appending;
    expect(result.nextExpectedRevision).toBe(0n);
    expect(result.position).toBe(server.log.find((e) => e.streamId === 'pledge-1')?.position);
    await closing;
    expect(client.disposed).toBe(true);
  });

  it('waits for appends in flight only so long on close, then disposes anyway', async () => {
    const server = new FakeEventStoreDbServer();
    const client = server.client();
    const warnings: string[] = [];
    const store = new EventStoreDbEventStore(client, {
      ...fastRetries(),
      closeTimeoutMs: 30,
      logger: { warn: (m) => warnings.push(m) },
    });
    const release = server.holdAppends();
    const appending = store.appendToStream('pledge-1', event(0)).catch((e: unknown) => e);
    await store.close();
    expect(client.disposed).toBe(true);
    expect(warnings).toEqual([
      'EventStoreDB: closing with 1 append(s) still unanswered after 30 ms; their outcome is unknown',
    ]);
    release();
    expect(await appending).toBeInstanceOf(Error);
  });

  it('counts a re-subscription as reconnecting until the server has answered on it', async () => {
    const server = new FakeEventStoreDbServer();
    const store = open(server);
    const reader = new Reader(store.subscribeToAll());
    expect((await reader.next()).kind).toBe('caughtUp');
    server.silentSubscriptions = true;
    server.dropSubscriptions();
    // The new subscription is requested, and the server stays silent on it.
    await until(() => server.unanswered.length === 1);
    expect((await store.health()).details).toMatchObject({
      subscriptions: 1,
      subscriptionsReconnecting: 1,
    });
    server.answerSubscriptions();
    await store.appendToStream('opd-1', event(0));
    expect((await reader.events(1)).map((e) => e.streamId)).toEqual(['opd-1']);
    expect((await store.health()).details).toMatchObject({ subscriptionsReconnecting: 0 });
  });

  it('parses esdb:// and kurrentdb:// connection strings, refuses others with an argument error', async () => {
    for (const connectionString of [
      'esdb://localhost:2113?tls=false',
      'kurrentdb://admin:changeit@localhost:2113?tls=false',
      'kurrent+discover://node1:2113,node2:2113?nodePreference=leader',
    ]) {
      const store = EventStoreDbEventStore.connect(connectionString);
      expect(store.adapter).toBe('eventstoredb');
      await store.close();
    }
    expect(() => EventStoreDbEventStore.connect('http://nope')).toThrow(EventStoreArgumentError);
  });
});
