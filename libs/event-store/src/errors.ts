import type { ExpectedRevision } from './event-store.port';

/** The stream's actual revision did not match the expected one. `actual` is `'no_stream'`
 * when the stream does not exist, otherwise the stream's last revision. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

let stackTraceLimit = Error.stackTraceLimit;
/** The message, with stack capture switched off until the constructor restores it. */
const withoutStack = (message: string): string => {
  stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return message;
};

/** The stream has no events. Expected on every first write to a stream, so it is built without a stack
 * trace: capturing one cost several times the read that found the stream empty. */
export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(withoutStack(`Stream ${streamId} not found`));
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';
  constructor() {
    super('The event store is closed');
  }
}

/** The store cannot be reached at the moment (EventStoreDB down or unreachable, no leader, no answer in
 * time): a moment to wait, not a fault of the request. `outcomeUnknown` is set on an append whose request
 * may have reached the server before the answer was lost, so it may or may not have been written. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(
    readonly reason: string,
    readonly outcomeUnknown: boolean,
  ) {
    super(reason);
  }
}

/** A caller passed something neither adapter would accept (both adapters check the same rules, so code
 * that works on the embedded store also works on EventStoreDB). Programming errors, not user input. */
export class EventStoreArgumentError extends Error {
  override readonly name = 'EventStoreArgumentError';
  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`${argument}: ${reason}`);
  }
}
