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

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`);
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
