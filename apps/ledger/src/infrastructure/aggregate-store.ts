import { Injectable } from '@nestjs/common';
import {
  type CommandMetadata,
  type Decider,
  type DomainEvent,
  toEventMetadata,
} from '@netral/domain';
import {
  EventStore,
  type ExpectedRevision,
  type JsonObject,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@netral/event-store';

type AnyEvent = DomainEvent<string, Record<string, unknown>>;

export interface Loaded<State> {
  state: State;
  /** `no_stream` when the aggregate has no events yet. */
  revision: bigint | 'no_stream';
}

export interface Handled<State, Event> {
  state: State;
  /** The events this command appended (empty when the decider decided nothing needed to change). */
  events: Event[];
  /** Global position of the last appended event; null when nothing was appended. */
  position: bigint | null;
}

/**
 * The only way command services write: load the stream, fold it, decide, append with the expected revision.
 * On a concurrent write (WrongExpectedVersionError) it reloads and decides again, a bounded number of times,
 * so a rule is always checked against the state it is appended after.
 */
@Injectable()
export class AggregateStore {
  constructor(private readonly store: EventStore) {}

  async load<State, Command, Event extends AnyEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
  ): Promise<Loaded<State>> {
    let state = decider.initialState();
    let revision: bigint | 'no_stream' = 'no_stream';
    try {
      for await (const recorded of this.store.readStream(streamId)) {
        state = decider.evolve(state, { type: recorded.type, data: recorded.data } as Event);
        revision = recorded.revision;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) {
        throw error;
      }
    }
    return { state, revision };
  }

  async exists(streamId: string): Promise<boolean> {
    try {
      for await (const _ of this.store.readStream(streamId, { maxCount: 1 })) {
        return true;
      }
      return false;
    } catch (error) {
      if (error instanceof StreamNotFoundError) {
        return false;
      }
      throw error;
    }
  }

  async handle<State, Command extends { metadata: CommandMetadata }, Event extends AnyEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    options: {
      maxAttempts?: number;
      /** The stream as the caller just read it (e.g. a bulk import that folded many streams in one scan):
       * the first attempt decides on it; a concurrent write since then fails the append and the retry
       * reloads, so the rule is still checked against the state it is appended after. */
      known?: Loaded<State>;
      /** The stream is most likely new (a first pledge of an ASN for an election): the first attempt
       * decides on the initial state without reading it and appends expecting no stream. When the stream
       * exists after all, that append fails, or the decision refuses, and the next attempt reads the stream
       * and decides on what is there: the answer is always the one the stream's real state gives. */
      assumeNew?: boolean;
    } = {},
  ): Promise<Handled<State, Event>> {
    const maxAttempts = options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const guessed = attempt === 1 && !options.known && options.assumeNew === true;
      const { state, revision } = guessed
        ? { state: decider.initialState(), revision: 'no_stream' as const }
        : attempt === 1 && options.known
          ? options.known
          : await this.load(streamId, decider);
      let events: Event[];
      try {
        events = decider.decide(command, state);
      } catch (error) {
        if (guessed) {
          continue; // refused on a guessed state: decide again on the stream as it is
        }
        throw error;
      }
      if (events.length === 0) {
        if (guessed) {
          continue; // nothing to change on a guessed state says nothing of the real one
        }
        return { state, events, position: null };
      }
      const expectedRevision: ExpectedRevision = revision;
      const metadata = toEventMetadata(command.metadata) as unknown as JsonObject;
      try {
        const result = await this.store.appendToStream(
          streamId,
          events.map((event) => ({ type: event.type, data: event.data, metadata })),
          { expectedRevision },
        );
        return { state: events.reduce(decider.evolve, state), events, position: result.position };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < maxAttempts) {
          continue;
        }
        throw error;
      }
    }
  }
}
