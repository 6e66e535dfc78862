import { EventStoreDBClient } from '@eventstore/db-client';

const SCHEME = /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//;
const EXAMPLES =
  'esdb://localhost:2113?tls=false, esdb://node1:2113,node2:2113,node3:2113 or ' +
  'esdb+discover://cluster.example.go.id:2113 (kurrentdb:// and kurrentdb+discover:// too)';

/** `user:password@` in a connection string, so the password is never shown back. */
const CREDENTIALS = /^([^:/@]+):([^@]*)@/;

/** The connection string with its password masked, as it may be shown in a message. */
export const redactConnectionString = (value: string): string =>
  value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');

/**
 * What is wrong with an EventStoreDB connection string, or null when the client accepts it. The client's
 * own parser decides (through its public `EventStoreDBClient.connectionString`, which only builds a client:
 * it connects on first use), so every form it takes is accepted (several hosts, credentials, options) and a
 * value it would refuse at startup is refused here, with the variable named, instead of as a stack trace.
 */
export const connectionStringProblem = (value: unknown): string | null => {
  if (typeof value !== 'string') {
    return `must be an EventStoreDB connection string such as ${EXAMPLES}`;
  }
  const trimmed = value.trim();
  const scheme = SCHEME.exec(trimmed);
  if (!scheme) {
    return `must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://, e.g. ${EXAMPLES}`;
  }
  const rest = trimmed.slice(scheme[0].length);
  if (rest.replace(CREDENTIALS, '').replace(/\/+$/, '') === '') {
    return `names no host: expected e.g. ${EXAMPLES}`;
  }
  const password = CREDENTIALS.exec(rest)?.[2];
  let client: EventStoreDBClient;
  try {
    // Client 6.x only knows the esdb spelling; KurrentDB's schemes have the same syntax (the adapter maps
    // them the same way).
    client = EventStoreDBClient.connectionString(
      trimmed.replace(
        SCHEME,
        (_, _name: string, discover: string | undefined) => `esdb${discover ?? ''}://`,
      ),
    );
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const shown = password ? detail.split(password).join('***') : detail;
    return `is refused by the EventStoreDB client (${shown.replace(/\.$/, '')}); expected e.g. ${EXAMPLES}`;
  }
  // The adapter refuses this option when it starts (client 6.x then reports wrong revisions for a refused
  // append): say so now, naming the variable.
  if ((client as unknown as { throwOnAppendFailure?: unknown }).throwOnAppendFailure === false) {
    return 'must not set throwOnAppendFailure=false: with it @eventstore/db-client 6.x reports a wrong revision for a refused append; remove the option';
  }
  return null;
};
