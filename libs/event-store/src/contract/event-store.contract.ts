import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  EventStoreArgumentError,
  EventStoreClosedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors';
import {
  MAX_APPEND_BYTES,
  type AppendOptions,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type RecordedEvent,
  type Subscription,
  type SubscriptionMessage,
} from '../event-store.port';

/**
 * The one contract both adapters pass (DESIGN §3: EventStoreDB's semantics). It only ever touches streams
 * and event types named after a per-run tag, so it can run against a shared EventStoreDB that is never
 * emptied, and it asserts nothing about other people's events except that system events stay hidden.
 */
export interface ContractHarness {
  /** A new store on the same underlying database at each call: the same SQLite file, or a new
   * EventStoreDB client on the same server. The suite closes what it opens. */
  open(): Promise<EventStore>;
  /** Called once after the suite (e.g. to remove a temp directory). */
  dispose?(): Promise<void>;
}

export interface ContractOptions {
  /** Per-test timeout; a real server over the network needs more than an embedded file. */
  timeoutMs?: number;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
  }
  return out;
};

const failureOf = async (promise: Promise<unknown>): Promise<unknown> => {
  const outcome = await settle(promise);
  if (outcome.ok) {
    throw new Error('expected a failure, got success');
  }
  return outcome.error;
};

/** Reads a subscription message by message; a premature end fails the test instead of hanging it. */
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
  nextRaw(): Promise<IteratorResult<SubscriptionMessage>> {
    return this.iterator.next();
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
  /** Events delivered before the caught-up signal, and the signal's position. */
  async untilCaughtUp(): Promise<{ events: RecordedEvent[]; position: bigint | null }> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const message = await this.next();
      if (message.kind === 'caughtUp') {
        return { events, position: message.position };
      }
      events.push(message.event);
    }
  }
  caughtUpCount(): number {
    return this.seen.filter((m) => m.kind === 'caughtUp').length;
  }
}

const positionsOf = (events: readonly RecordedEvent[]): bigint[] => events.map((e) => e.position);
const isStrictlyIncreasing = (values: readonly bigint[]): boolean =>
  values.every((v, i) => i === 0 || v > values[i - 1]);

export const describeEventStoreContract = (
  name: string,
  setup: () => Promise<ContractHarness>,
  options: ContractOptions = {},
): void => {
  const timeout = options.timeoutMs ?? 20_000;
  const run = randomUUID().slice(0, 8);
  let sequence = 0;
  /** A stream name no other test (or run, on a shared server) uses; it is also a safe prefix. */
  const stream = (label: string): string => `ct${run}-${label}-${++sequence}`;
  const type = (label: string): string => `Ct${run}${label}`;
  const event = (label: string, data: JsonObject = {}, metadata?: JsonObject): EventData => ({
    type: type(label),
    data,
    ...(metadata ? { metadata } : {}),
  });

  describe(`${name}: event store contract`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const opened: EventStore[] = [];
    const open = async (): Promise<EventStore> => {
      const s = await harness.open();
      opened.push(s);
      return s;
    };
    const append = (streamId: string, events: EventData | EventData[], opts?: AppendOptions) =>
      store.appendToStream(streamId, events, opts);
    const read = (streamId: string) => collect(store.readStream(streamId));
    const readScope = (prefix: string) =>
      collect(store.readAll({ filter: { streamPrefixes: [prefix] } }));

    beforeAll(async () => {
      harness = await setup();
      store = await open();
    }, timeout);

    afterAll(async () => {
      for (const s of opened) {
        await s.close();
      }
      await harness?.dispose?.();
    }, timeout);

    describe('appendToStream', () => {
      it(
        'numbers revisions from 0 and reports the next expected revision and position',
        async () => {
          const s = stream('revisions');
          const id = randomUUID();
          const first = await append(s, {
            id,
            type: type('Opened'),
            data: { n: 1 },
            metadata: { actorId: 'u-1', correlationId: 'c-1' },
          });
          expect(first.nextExpectedRevision).toBe(0n);
          const second = await append(s, [event('Noted', { n: 2 }), event('Noted', { n: 3 })]);
          expect(second.nextExpectedRevision).toBe(2n);
          expect(second.position).toBeGreaterThan(first.position);

          const events = await read(s);
          expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
          expect(events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
          expect(events[0]).toMatchObject({
            id,
            streamId: s,
            type: type('Opened'),
            position: first.position,
            metadata: { actorId: 'u-1', correlationId: 'c-1' },
          });
          expect(events[1].metadata).toEqual({});
          expect(events[2].position).toBe(second.position);
          expect(isStrictlyIncreasing(positionsOf(events))).toBe(true);
          for (const e of events) {
            expect(typeof e.revision).toBe('bigint');
            expect(typeof e.position).toBe('bigint');
            expect(e.created).toBeInstanceOf(Date);
            // The store's clock stamps it: close to now, whatever the machine's speed.
            expect(Math.abs(e.created.getTime() - Date.now())).toBeLessThan(10 * 60_000);
          }
        },
        timeout,
      );

      it(
        "'any' appends whether or not the stream exists (and is the default)",
        async () => {
          const s = stream('any');
          expect(
            (await append(s, event('A'), { expectedRevision: 'any' })).nextExpectedRevision,
          ).toBe(0n);
          expect(
            (await append(s, event('A'), { expectedRevision: 'any' })).nextExpectedRevision,
          ).toBe(1n);
          expect((await append(s, event('A'))).nextExpectedRevision).toBe(2n);
        },
        timeout,
      );

      const expectWrongVersion = async (
        streamId: string,
        expected: ExpectedRevision,
        actual: bigint | 'no_stream',
      ): Promise<void> => {
        const error = await failureOf(
          append(streamId, event('Refused'), { expectedRevision: expected }),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId, expected, actual });
      };

      it(
        "'no_stream' creates a stream and is refused once it exists",
        async () => {
          const s = stream('no-stream');
          expect(
            (await append(s, event('A'), { expectedRevision: 'no_stream' })).nextExpectedRevision,
          ).toBe(0n);
          await expectWrongVersion(s, 'no_stream', 0n);
          expect(await read(s)).toHaveLength(1);
        },
        timeout,
      );

      it(
        "'stream_exists' appends to an existing stream and is refused for a missing one",
        async () => {
          const s = stream('exists');
          await expectWrongVersion(s, 'stream_exists', 'no_stream');
          await expect(read(s)).rejects.toBeInstanceOf(StreamNotFoundError);
          await append(s, event('A'));
          expect(
            (await append(s, event('B'), { expectedRevision: 'stream_exists' }))
              .nextExpectedRevision,
          ).toBe(1n);
        },
        timeout,
      );

      it(
        'an exact revision appends when it matches and is refused when stale or the stream is missing',
        async () => {
          const s = stream('exact');
          await expectWrongVersion(s, 0n, 'no_stream');
          await append(s, event('A'), { expectedRevision: 'no_stream' });
          expect((await append(s, event('B'), { expectedRevision: 0n })).nextExpectedRevision).toBe(
            1n,
          );
          await expectWrongVersion(s, 0n, 1n);
          await expectWrongVersion(s, 5n, 1n);
          expect((await read(s)).map((e) => e.type)).toEqual([type('A'), type('B')]);
        },
        timeout,
      );

      it(
        'gives global positions that strictly increase in commit order across streams',
        async () => {
          const scope = stream('order');
          const results = [];
          for (let i = 0; i < 12; i++) {
            results.push(await append(`${scope}-${i % 3}`, event('Ordered', { i })));
          }
          expect(isStrictlyIncreasing(results.map((r) => r.position))).toBe(true);
          const all = await readScope(`${scope}-`);
          expect(all.map((e) => e.data.i)).toEqual([...Array(12).keys()]);
          expect(positionsOf(all)).toEqual(results.map((r) => r.position));
        },
        timeout,
      );

      it(
        '50 concurrent appenders with the same expected revision: exactly one wins, nothing is lost',
        async () => {
          const s = stream('race');
          await append(s, event('Opened'), { expectedRevision: 'no_stream' });
          const outcomes = await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              settle(append(s, event('Raced', { i }), { expectedRevision: 0n })),
            ),
          );
          const winners = outcomes.flatMap((o, i) => (o.ok ? [i] : []));
          expect(winners).toHaveLength(1);
          const losers = outcomes.flatMap((o, i) => (o.ok ? [] : [{ i, error: o.error }]));
          for (const { error } of losers) {
            expect(error).toBeInstanceOf(WrongExpectedVersionError);
            expect(error).toMatchObject({ streamId: s, expected: 0n, actual: 1n });
          }
          // Each loser does what a command service does: reload, then append after what it saw.
          await Promise.all(
            losers.map(async ({ i }) => {
              for (;;) {
                const [last] = await collect(
                  store.readStream(s, { direction: 'backwards', maxCount: 1 }),
                );
                const retry = await settle(
                  append(s, event('Raced', { i }), { expectedRevision: last.revision }),
                );
                if (retry.ok) {
                  return;
                }
                expect(retry.error).toBeInstanceOf(WrongExpectedVersionError);
              }
            }),
          );
          const events = await read(s);
          expect(events.map((e) => e.revision)).toEqual([...Array(51).keys()].map(BigInt));
          expect(
            events
              .slice(1)
              .map((e) => e.data.i as number)
              .sort((a, b) => a - b),
          ).toEqual([...Array(50).keys()]);
        },
        timeout,
      );

      it(
        'appends made together succeed or fail each on its own revision check',
        async () => {
          const [a, b, c] = [stream('tick-a'), stream('tick-b'), stream('tick-c')];
          await append(b, event('Existing'));
          const [ra, rb, rc] = await Promise.all([
            settle(append(a, event('A'), { expectedRevision: 'no_stream' })),
            settle(append(b, event('B'), { expectedRevision: 7n })),
            settle(append(c, event('C'), { expectedRevision: 'no_stream' })),
          ]);
          expect(ra.ok && rc.ok).toBe(true);
          expect(rb.ok).toBe(false);
          expect(rb.ok ? undefined : rb.error).toBeInstanceOf(WrongExpectedVersionError);
          expect(await read(a)).toHaveLength(1);
          expect(await read(b)).toHaveLength(1);
          expect(await read(c)).toHaveLength(1);
        },
        timeout,
      );

      it(
        'a multi-event append is atomic: all or nothing, never interleaved with another append',
        async () => {
          const s = stream('atomic');
          await append(s, event('Opened'));
          const refused = await failureOf(
            append(s, [event('X'), event('Y'), event('Z')], { expectedRevision: 5n }),
          );
          expect(refused).toBeInstanceOf(WrongExpectedVersionError);
          expect(await read(s)).toHaveLength(1);

          const scope = stream('atomic-many');
          await Promise.all(
            Array.from({ length: 10 }, (_, k) =>
              append(`${scope}-${k}`, [event('X', { k }), event('Y', { k }), event('Z', { k })]),
            ),
          );
          const all = await readScope(`${scope}-`);
          expect(all).toHaveLength(30);
          for (let i = 0; i < 30; i += 3) {
            const group = all.slice(i, i + 3);
            expect(new Set(group.map((e) => e.streamId)).size).toBe(1);
            expect(group.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
          }
        },
        timeout,
      );

      it(
        'refuses invalid input with an argument error and writes nothing',
        async () => {
          const s = stream('invalid');
          const bad: [EventData | EventData[], AppendOptions?][] = [
            [[]],
            [event('A'), { expectedRevision: -1n }],
            [event('A'), { expectedRevision: 'latest' as unknown as ExpectedRevision }],
            [{ type: '', data: {} }],
            [{ type: '$system', data: {} }],
            [{ type: type('A'), data: [] as unknown as JsonObject }],
            [{ type: type('A'), data: { n: 1n } }],
            [{ id: 'not-a-uuid', type: type('A'), data: {} }],
            [[event('A'), { type: type('B'), data: null as unknown as JsonObject }]],
          ];
          for (const [events, opts] of bad) {
            await expect(append(s, events, opts)).rejects.toBeInstanceOf(EventStoreArgumentError);
          }
          await expect(append('', event('A'))).rejects.toBeInstanceOf(EventStoreArgumentError);
          await expect(append('$system-stream', event('A'))).rejects.toBeInstanceOf(
            EventStoreArgumentError,
          );
          await expect(read(s)).rejects.toBeInstanceOf(StreamNotFoundError);
        },
        timeout,
      );
    });

    describe('readStream', () => {
      let s: string;
      beforeAll(async () => {
        s = stream('read');
        await append(
          s,
          [...Array(10).keys()].map((n) => event('Counted', { n })),
        );
      }, timeout);
      const ns = async (opts: Parameters<EventStore['readStream']>[1]) =>
        (await collect(store.readStream(s, opts))).map((e) => e.data.n);

      it(
        'reads forwards and backwards',
        async () => {
          expect(await ns({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
          expect(await ns({ direction: 'forwards', fromRevision: 'start' })).toEqual([
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
          ]);
          expect(await ns({ direction: 'backwards' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
          expect(await ns({ direction: 'backwards', fromRevision: 'end' })).toEqual([
            9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
          ]);
        },
        timeout,
      );

      it(
        'starts at a revision (inclusive) in either direction',
        async () => {
          expect(await ns({ fromRevision: 7n })).toEqual([7, 8, 9]);
          expect(await ns({ fromRevision: 3n, direction: 'backwards' })).toEqual([3, 2, 1, 0]);
          expect(await ns({ fromRevision: 10n })).toEqual([]);
          expect(await ns({ fromRevision: 'end' })).toEqual([]);
        },
        timeout,
      );

      it(
        'stops after maxCount',
        async () => {
          expect(await ns({ maxCount: 4 })).toEqual([0, 1, 2, 3]);
          expect(await ns({ maxCount: 2, direction: 'backwards' })).toEqual([9, 8]);
          expect(await ns({ maxCount: 3, fromRevision: 5n })).toEqual([5, 6, 7]);
          expect(await ns({ maxCount: 3, fromRevision: 5n, direction: 'backwards' })).toEqual([
            5, 4, 3,
          ]);
          expect(await ns({ maxCount: 100 })).toHaveLength(10);
        },
        timeout,
      );

      it(
        'throws StreamNotFoundError for a stream without events',
        async () => {
          const missing = stream('missing');
          const error = await failureOf(read(missing));
          expect(error).toBeInstanceOf(StreamNotFoundError);
          expect(error).toMatchObject({ streamId: missing });
          await expect(
            collect(store.readStream(missing, { direction: 'backwards', maxCount: 1 })),
          ).rejects.toBeInstanceOf(StreamNotFoundError);
          for (const fromRevision of [3n, 'end'] as const) {
            await expect(
              collect(store.readStream(missing, { fromRevision })),
            ).rejects.toBeInstanceOf(StreamNotFoundError);
          }
        },
        timeout,
      );
    });

    describe('readAll', () => {
      let scope: string;
      let written: { streamId: string; type: string; position: bigint }[];
      beforeAll(async () => {
        scope = stream('all');
        written = [];
        const plan: [string, string][] = [
          ['opd-1', 'OpdRegistered'],
          ['asn-1', 'AsnEnrolled'],
          ['opd-1', 'OpdRenamed'],
          ['pledge-1', 'PledgeSigned'],
          ['asn-2', 'AsnEnrolled'],
          ['case-1', 'ViolationReported'],
          ['opd-2', 'OpdRegistered'],
          ['pledge-2', 'PledgeSigned'],
        ];
        for (const [suffix, label] of plan) {
          const streamId = `${scope}-${suffix}`;
          const result = await append(streamId, event(label));
          written.push({ streamId, type: type(label), position: result.position });
        }
      }, timeout);
      const inScope = { streamPrefixes: () => [`${scope}-`] };
      const readPositions = async (opts: Parameters<EventStore['readAll']>[0]) =>
        positionsOf(await collect(store.readAll(opts)));

      it(
        'reads in commit order forwards and in reverse backwards',
        async () => {
          const forwards = await collect(
            store.readAll({ filter: { streamPrefixes: inScope.streamPrefixes() } }),
          );
          expect(
            forwards.map((e) => ({ streamId: e.streamId, type: e.type, position: e.position })),
          ).toEqual(written);
          const backwards = await readPositions({
            direction: 'backwards',
            filter: { streamPrefixes: inScope.streamPrefixes() },
          });
          expect(backwards).toEqual(written.map((w) => w.position).reverse());
        },
        timeout,
      );

      it(
        'starts at a position (inclusive) in either direction and stops after maxCount',
        async () => {
          const filter = { streamPrefixes: inScope.streamPrefixes() };
          const positions = written.map((w) => w.position);
          expect(await readPositions({ fromPosition: positions[3], filter })).toEqual(
            positions.slice(3),
          );
          expect(
            await readPositions({ fromPosition: positions[3], direction: 'backwards', filter }),
          ).toEqual(positions.slice(0, 4).reverse());
          expect(await readPositions({ fromPosition: positions[2], maxCount: 3, filter })).toEqual(
            positions.slice(2, 5),
          );
          expect(await readPositions({ direction: 'backwards', maxCount: 2, filter })).toEqual(
            positions.slice(-2).reverse(),
          );
          expect(await readPositions({ fromPosition: 'end', filter })).toEqual([]);
        },
        timeout,
      );

      it(
        'filters by event-type prefixes, event-type regex and stream prefixes (ANDed)',
        async () => {
          const pick = (predicate: (w: (typeof written)[number]) => boolean) =>
            written.filter(predicate).map((w) => w.position);
          expect(
            await readPositions({ filter: { eventTypePrefixes: [type('Opd'), type('Pledge')] } }),
          ).toEqual(pick((w) => /Opd|Pledge/.test(w.type)));
          expect(
            await readPositions({ filter: { eventTypeRegex: `^${type('')}(Asn|Violation)` } }),
          ).toEqual(pick((w) => /Asn|Violation/.test(w.type)));
          expect(
            await readPositions({
              filter: { streamPrefixes: [`${scope}-opd-`, `${scope}-case-`] },
            }),
          ).toEqual(pick((w) => /-(opd|case)-/.test(w.streamId)));
          expect(
            await readPositions({
              filter: {
                streamPrefixes: [`${scope}-opd-`],
                eventTypePrefixes: [type('OpdRen')],
              },
            }),
          ).toEqual(pick((w) => w.type === type('OpdRenamed')));
          expect(
            await readPositions({
              direction: 'backwards',
              maxCount: 1,
              filter: { eventTypeRegex: `^${type('')}Asn`, streamPrefixes: [`${scope}-`] },
            }),
          ).toEqual(pick((w) => w.type === type('AsnEnrolled')).slice(-1));
        },
        timeout,
      );

      it(
        'never returns system events and ends at the head',
        async () => {
          const latest = await collect(store.readAll({ direction: 'backwards', maxCount: 50 }));
          expect(latest.length).toBeGreaterThan(0);
          for (const e of latest) {
            expect(e.type.startsWith('$')).toBe(false);
            expect(e.streamId.startsWith('$')).toBe(false);
          }
          expect(latest[0].position).toBeGreaterThanOrEqual(written[written.length - 1].position);
          const head = await store.headPosition();
          expect(head).toBe(latest[0].position);
        },
        timeout,
      );
    });

    describe('subscribeToAll', () => {
      it(
        'catches up from the start, signals caught-up once, then delivers live events',
        async () => {
          const scope = stream('sub-start');
          const before = [];
          for (let i = 0; i < 5; i++) {
            before.push(await append(`${scope}-${i % 2}`, event('Before', { i })));
          }
          const reader = new Reader(
            store.subscribeToAll({
              fromPosition: 'start',
              filter: { streamPrefixes: [`${scope}-`] },
            }),
          );
          const past = await reader.untilCaughtUp();
          expect(positionsOf(past.events)).toEqual(before.map((r) => r.position));
          expect(past.position).not.toBeNull();
          expect(past.position!).toBeGreaterThanOrEqual(before[before.length - 1].position);

          const live = [
            await append(`${scope}-0`, event('Live', { i: 5 })),
            await append(`${scope}-1`, event('Live', { i: 6 })),
          ];
          const delivered = await reader.events(2);
          expect(positionsOf(delivered)).toEqual(live.map((r) => r.position));
          expect(delivered.map((e) => e.data.i)).toEqual([5, 6]);
          expect(reader.caughtUpCount()).toBe(1);
          await reader.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        'starts after a given position (exclusive)',
        async () => {
          const scope = stream('sub-from');
          const results = [];
          for (let i = 0; i < 6; i++) {
            results.push(await append(`${scope}-x`, event('Step', { i })));
          }
          const reader = new Reader(
            store.subscribeToAll({
              fromPosition: results[2].position,
              filter: { streamPrefixes: [`${scope}-`] },
            }),
          );
          const { events } = await reader.untilCaughtUp();
          expect(events.map((e) => e.data.i)).toEqual([3, 4, 5]);
          await reader.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        "from 'end' delivers only what is appended after subscribing",
        async () => {
          const scope = stream('sub-end');
          await append(`${scope}-x`, event('Old'));
          const reader = new Reader(
            store.subscribeToAll({
              fromPosition: 'end',
              filter: { streamPrefixes: [`${scope}-`] },
            }),
          );
          // `end` is fixed once the subscription is established (on EventStoreDB a round trip after the
          // call): only an append made after its first message is sure to belong to it.
          expect((await reader.next()).kind).toBe('caughtUp');
          const fresh = await append(`${scope}-x`, event('New'));
          const [delivered] = await reader.events(1);
          expect(delivered.position).toBe(fresh.position);
          expect(delivered.type).toBe(type('New'));
          expect(reader.caughtUpCount()).toBe(1);
          await reader.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        'signals caught-up first when nothing matches yet, then delivers live events in commit order',
        async () => {
          const scope = stream('sub-live');
          const reader = new Reader(
            store.subscribeToAll({ filter: { streamPrefixes: [`${scope}-`] } }),
          );
          const first = await reader.next();
          expect(first.kind).toBe('caughtUp');

          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              append(`${scope}-${i % 4}`, event('Concurrent', { i })),
            ),
          );
          const delivered = await reader.events(20);
          expect(isStrictlyIncreasing(positionsOf(delivered))).toBe(true);
          expect(positionsOf(delivered)).toEqual(
            results.map((r) => r.position).sort((a, b) => (a < b ? -1 : 1)),
          );
          await reader.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        'resumes from the last delivered position without duplicates or gaps',
        async () => {
          const scope = stream('sub-resume');
          const filter = { streamPrefixes: [`${scope}-`] };
          for (let i = 0; i < 6; i++) {
            await append(`${scope}-${i % 2}`, event('Step', { i }));
          }
          const first = new Reader(store.subscribeToAll({ filter }));
          const part = await first.events(4);
          await first.subscription.unsubscribe();
          const checkpoint = part[part.length - 1].position;

          for (let i = 6; i < 10; i++) {
            await append(`${scope}-${i % 2}`, event('Step', { i }));
          }
          const second = new Reader(store.subscribeToAll({ fromPosition: checkpoint, filter }));
          const rest = await second.untilCaughtUp();
          expect([...part, ...rest.events].map((e) => e.data.i)).toEqual([...Array(10).keys()]);
          await second.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        'filters by event type prefix and regex',
        async () => {
          const scope = stream('sub-filter');
          await append(`${scope}-a`, [event('Kept', { i: 0 }), event('Dropped', { i: 1 })]);
          await append(`${scope}-b`, [event('Dropped', { i: 2 }), event('KeptToo', { i: 3 })]);
          const byPrefix = new Reader(
            store.subscribeToAll({ filter: { eventTypePrefixes: [type('Kept')] } }),
          );
          expect((await byPrefix.untilCaughtUp()).events.map((e) => e.data.i)).toEqual([0, 3]);
          const byRegex = new Reader(
            store.subscribeToAll({
              filter: { eventTypeRegex: `^${type('')}Dropped$`, streamPrefixes: [`${scope}-`] },
            }),
          );
          expect((await byRegex.untilCaughtUp()).events.map((e) => e.data.i)).toEqual([1, 2]);
          await byPrefix.subscription.unsubscribe();
          await byRegex.subscription.unsubscribe();
        },
        timeout,
      );

      it(
        'unsubscribe ends a pending read',
        async () => {
          const scope = stream('sub-stop');
          const reader = new Reader(
            store.subscribeToAll({
              fromPosition: 'end',
              filter: { streamPrefixes: [`${scope}-`] },
            }),
          );
          expect((await reader.next()).kind).toBe('caughtUp');
          const pending = reader.nextRaw();
          await reader.subscription.unsubscribe();
          expect(await pending).toEqual({ done: true, value: undefined });
        },
        timeout,
      );
    });

    describe('payloads', () => {
      it(
        'round-trips unicode in stream names, types, data and metadata',
        async () => {
          const s = `${stream('unicode')}-Dinas-Pendidikan-ñ-日本-🗳️`;
          const data = {
            nama: 'I Gusti Ayu Ngurah — “Sukawati”',
            catatan: 'Netralitas ASN 👩🏽‍💼 🇮🇩 中文 العربية Ελληνικά',
            kontrol: 'tab\tbaris\nnul\u0000akhir',
            lone: '\ud83d',
          };
          const metadata = { actorId: 'pengguna-ñ', opdId: 'opd-Ω' };
          const result = await append(s, { type: type('PaktaDitandatangani✓'), data, metadata });
          const [recorded] = await read(s);
          expect(recorded).toMatchObject({
            streamId: s,
            type: type('PaktaDitandatangani✓'),
            data,
            metadata,
          });
          const [viaAll] = await collect(
            store.readAll({
              fromPosition: result.position,
              maxCount: 1,
              filter: { streamPrefixes: [s] },
            }),
          );
          expect(viaAll.data).toEqual(data);
        },
        timeout,
      );

      it(
        'round-trips a 1 MB payload',
        async () => {
          const s = stream('large');
          // 10^6 characters; the append counts 10^6 + 11 (`{"blob":"…"}`) + 2 (metadata `{}`) + twice
          // the type's length bytes, well inside the MAX_APPEND_BYTES ceiling.
          const blob = 'Netralitas ASN. '.repeat(62_500);
          expect(blob).toHaveLength(1_000_000);
          const large = event('Large', { blob });
          expect(1_000_013 + 2 * large.type.length).toBeLessThanOrEqual(MAX_APPEND_BYTES);
          // Positions are opaque (log offsets on EventStoreDB, where `position - 1n` lands inside a
          // record): subscribe from an event written just before instead.
          const marker = await append(stream('large-marker'), event('Marker'));
          await append(s, large);
          const [recorded] = await read(s);
          expect(recorded.data.blob).toBe(blob);
          const reader = new Reader(
            store.subscribeToAll({
              fromPosition: marker.position,
              filter: { streamPrefixes: [s] },
            }),
          );
          const { events } = await reader.untilCaughtUp();
          expect(events.map((e) => e.data.blob === blob)).toEqual([true]);
          await reader.subscription.unsubscribe();
        },
        timeout,
      );
    });

    describe('append size ceiling', () => {
      // EventStoreDB counts an append as the UTF-8 bytes of every event's data and metadata plus twice
      // each type's length; `{"blob":"…"}` is the blob plus 11 bytes, the default metadata `{}` is 2.
      const sizedType = type('Sized');
      const overhead = 11 + 2 + 2 * sizedType.length;
      const sized = (bytes: number): EventData => ({
        type: sizedType,
        data: { blob: 'x'.repeat(bytes) },
      });

      it(
        `accepts an append of up to ${MAX_APPEND_BYTES} bytes, the whole batch counted`,
        async () => {
          const s = stream('ceiling-fits');
          const justUnder = await append(s, sized(MAX_APPEND_BYTES - overhead - 1));
          expect(justUnder.nextExpectedRevision).toBe(0n);
          const exactly = await append(s, sized(MAX_APPEND_BYTES - overhead));
          expect(exactly.nextExpectedRevision).toBe(1n);
          const half = (MAX_APPEND_BYTES - 2 * overhead) / 2;
          const batch = await append(s, [sized(half), sized(half)]);
          expect(batch.nextExpectedRevision).toBe(3n);
          const events = await read(s);
          expect(events.map((e) => (e.data.blob as string).length)).toEqual([
            MAX_APPEND_BYTES - overhead - 1,
            MAX_APPEND_BYTES - overhead,
            half,
            half,
          ]);
        },
        timeout,
      );

      it(
        'refuses a larger append with an argument error and writes none of it',
        async () => {
          const s = stream('ceiling-over');
          await append(s, event('Opened'));
          const half = (MAX_APPEND_BYTES - 2 * overhead) / 2;
          const over: [string, EventData | EventData[]][] = [
            ['one byte over', sized(MAX_APPEND_BYTES - overhead + 1)],
            // Far fewer characters than the ceiling, one byte too many: 'é' is two bytes in UTF-8.
            [
              'multi-byte text',
              {
                type: sizedType,
                data: { blob: 'é'.repeat(Math.floor((MAX_APPEND_BYTES - overhead) / 2) + 1) },
              },
            ],
            ['a batch of events that each fit', [sized(half), sized(half + 1)]],
            ['metadata counted too', { ...sized(MAX_APPEND_BYTES - overhead), metadata: { a: 1 } }],
          ];
          for (const [label, events] of over) {
            const error = await failureOf(append(s, events));
            expect([label, error]).toEqual([label, expect.any(EventStoreArgumentError)]);
            expect(error).toMatchObject({ argument: 'events' });
          }
          expect(await read(s)).toHaveLength(1);
        },
        timeout,
      );
    });

    describe('lifecycle', () => {
      it(
        'keeps events across closing and reopening',
        async () => {
          const s = stream('durable');
          const first = await open();
          await first.appendToStream(s, [event('A', { n: 1 }), event('B', { n: 2 })]);
          const before = await collect(first.readStream(s));
          // Every handle closed, the suite's own too: the reopened store reads the file (or server) cold,
          // not what another open connection still holds. The suite goes on with the reopened one.
          await first.close();
          await store.close();

          const second = await open();
          store = second;
          const after = await collect(second.readStream(s));
          expect(after).toEqual(before);
          const next = await second.appendToStream(s, event('C', { n: 3 }), {
            expectedRevision: 1n,
          });
          expect(next.nextExpectedRevision).toBe(2n);
          expect(next.position).toBeGreaterThan(before[1].position);
          expect(await second.headPosition()).not.toBeNull();
          expect((await second.health()).status).toBe('up');
        },
        timeout,
      );

      it(
        'refuses work once closed and ends its subscriptions',
        async () => {
          const scope = stream('closed');
          const closing = await open();
          const reader = new Reader(
            closing.subscribeToAll({
              fromPosition: 'end',
              filter: { streamPrefixes: [`${scope}-`] },
            }),
          );
          expect((await reader.next()).kind).toBe('caughtUp');
          const pending = reader.nextRaw();
          await closing.close();
          expect(await pending).toEqual({ done: true, value: undefined });
          await expect(closing.appendToStream(`${scope}-x`, event('Late'))).rejects.toBeInstanceOf(
            EventStoreClosedError,
          );
          expect((await closing.health()).status).toBe('down');
          await closing.close();
        },
        timeout,
      );
    });
  });
};
