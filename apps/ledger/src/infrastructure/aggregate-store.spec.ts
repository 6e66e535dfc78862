import type { CommandMetadata, Decider } from '@netral/domain';
import {
  type AppendOptions,
  EventStore,
  type EventData,
  SqliteEventStore,
  WrongExpectedVersionError,
} from '@netral/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateStore } from './aggregate-store';

/** Seats on a list: a seat is taken only while fewer than `seats` are. */
type Taken = { type: 'SeatTaken'; data: { seat: number; by: string } };
type Take = { by: string; seats: number; metadata: CommandMetadata };
const seats: Decider<number, Take, Taken> = {
  initialState: () => 0,
  evolve: (taken) => taken + 1,
  decide: (command, taken) =>
    taken < command.seats ? [{ type: 'SeatTaken', data: { seat: taken, by: command.by } }] : [],
};

const metadata: CommandMetadata = {
  now: '2026-12-04T03:00:00.000Z',
  today: '2026-12-04',
  utcOffsetMinutes: 480,
  actorId: 'user-hr',
  actorRole: 'HR',
  correlationId: 'corr-1',
};

describe('AggregateStore.handle', () => {
  let dir: string;
  let store: SqliteEventStore;
  /** Appends a competing seat (as another request would) before each of the next `interfere` appends. */
  let interfere: number;
  let appends: number;
  let reads: number;
  /** Thrown by the next append instead of appending (a full disk, a lost connection). */
  let failure: Error | undefined;
  let aggregates: AggregateStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-aggregate-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    interfere = 0;
    appends = 0;
    reads = 0;
    failure = undefined;
    const racing = Object.create(store) as EventStore;
    racing.readStream = (...args: Parameters<EventStore['readStream']>) => {
      reads += 1;
      return store.readStream(...args);
    };
    racing.appendToStream = async (
      stream: string,
      events: EventData[],
      options?: AppendOptions,
    ) => {
      appends += 1;
      if (failure) {
        throw failure;
      }
      if (interfere > 0) {
        interfere -= 1;
        await store.appendToStream(
          stream,
          [{ type: 'SeatTaken', data: { seat: -1, by: 'other' }, metadata: {} }],
          { expectedRevision: 'any' },
        );
      }
      return store.appendToStream(stream, events, options);
    };
    aggregates = new AggregateStore(racing);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A list whose first seat someone took before the command runs. */
  const firstSeat = (stream: string, by: string) =>
    store.appendToStream(stream, [{ type: 'SeatTaken', data: { seat: 0, by }, metadata: {} }], {
      expectedRevision: 'no_stream',
    });

  const recorded = async (stream: string) => {
    const events = [];
    for await (const event of store.readStream(stream)) {
      events.push(event);
    }
    return events;
  };

  it('after a concurrent write, reloads and decides again on the state it appends after', async () => {
    interfere = 1;
    const result = await aggregates.handle('list-1', seats, { by: 'me', seats: 5, metadata });
    expect(appends).toBe(2);
    // Decided on one seat taken (the other's), not on the empty list it first read.
    expect(result.events).toEqual([{ type: 'SeatTaken', data: { seat: 1, by: 'me' } }]);
    expect(result.state).toBe(2);
    const events = await recorded('list-1');
    expect(events.map((e) => [e.revision, e.data.by])).toEqual([
      [0n, 'other'],
      [1n, 'me'],
    ]);
    expect(result.position).toBe(events[1].position);
    expect(events[1].metadata).toMatchObject({
      actorId: 'user-hr',
      actorRole: 'HR',
      correlationId: 'corr-1',
    });
  });

  it('appends nothing when the reloaded state no longer allows it (the rule is checked again)', async () => {
    interfere = 1;
    const result = await aggregates.handle('list-2', seats, { by: 'me', seats: 1, metadata });
    expect(result).toEqual({ state: 1, events: [], position: null });
    expect((await recorded('list-2')).map((e) => e.data.by)).toEqual(['other']);
  });

  it('gives up after maxAttempts, rethrowing the conflict, with nothing of its own written', async () => {
    interfere = 10;
    await expect(
      aggregates.handle('list-3', seats, { by: 'me', seats: 100, metadata }, { maxAttempts: 3 }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(appends).toBe(3);
    expect((await recorded('list-3')).map((e) => e.data.by)).toEqual(['other', 'other', 'other']);
  });

  it('decides on a known state on the first attempt only: a stale one fails the append and is reloaded', async () => {
    await firstSeat('list-4', 'earlier');
    const result = await aggregates.handle(
      'list-4',
      seats,
      { by: 'me', seats: 5, metadata },
      { known: { state: 0, revision: 'no_stream' } },
    );
    expect(appends).toBe(2);
    expect(result.events[0].data).toEqual({ seat: 1, by: 'me' });
  });

  describe('assumeNew', () => {
    const assuming = (stream: string, decider: Decider<number, Take, Taken>, free: number) =>
      aggregates.handle(stream, decider, { by: 'me', seats: free, metadata }, { assumeNew: true });
    /** Only a list with a first seat taken (its organiser's) takes more: a refusal on the empty list. */
    const afterOrganiser: Decider<number, Take, Taken> = {
      ...seats,
      decide: (command, taken) => {
        if (taken === 0) {
          throw new Error('NO_ORGANISER');
        }
        return seats.decide(command, taken);
      },
    };

    it('writes a new stream without reading it first', async () => {
      const result = await assuming('list-6', seats, 5);
      expect([reads, appends]).toEqual([0, 1]);
      expect(result.events[0].data).toEqual({ seat: 0, by: 'me' });
      expect((await recorded('list-6')).map((e) => e.data.by)).toEqual(['me']);
    });

    it('decides on the real stream when it exists: the guessed append fails and nothing of it is written', async () => {
      await firstSeat('list-7', 'earlier');
      const full = assuming('list-7', seats, 1);
      await expect(full).resolves.toEqual({ state: 1, events: [], position: null });
      expect([reads, appends]).toEqual([1, 1]);
      const result = await assuming('list-7', seats, 5);
      expect(result.events[0].data).toEqual({ seat: 1, by: 'me' });
      expect((await recorded('list-7')).map((e) => e.data.by)).toEqual(['earlier', 'me']);
    });

    it('answers what the real state answers when the guessed one is refused', async () => {
      await expect(assuming('list-8', afterOrganiser, 5)).rejects.toThrow('NO_ORGANISER');
      expect([reads, appends]).toEqual([1, 0]); // refused on the guess, then on the stream as read
      await firstSeat('list-8', 'organiser');
      const result = await assuming('list-8', afterOrganiser, 5);
      expect(result.events[0].data).toEqual({ seat: 1, by: 'me' });
    });

    it('does not take "nothing to change" on the guessed state for an answer', async () => {
      await firstSeat('list-9', 'earlier');
      const none: Decider<number, Take, Taken> = {
        ...seats,
        decide: (command, taken) => (taken === 0 ? [] : seats.decide(command, taken)),
      };
      const result = await assuming('list-9', none, 5);
      expect([reads, appends, result.events.length]).toEqual([1, 1, 1]);
    });
  });

  it('does not retry what is not a conflict', async () => {
    failure = new Error('SQLITE_FULL: database or disk is full');
    await expect(aggregates.handle('list-5', seats, { by: 'me', seats: 5, metadata })).rejects.toBe(
      failure,
    );
    expect(appends).toBe(1);
  });
});
