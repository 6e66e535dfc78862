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
