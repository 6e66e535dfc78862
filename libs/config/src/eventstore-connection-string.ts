import { EventStoreArgumentError, parseConnectionString } from '@netral/event-store';

const SCHEME = /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//;
const EXAMPLES =
  'esdb://localhost:2113?tls=false, esdb://node1:2113,node2:2113,node3:2113 or ' +
  'esdb+discover://cluster.example.go.id:2113 (kurrentdb:// and kurrentdb+discover:// too)';

/** `user:password@` in a connection string, so the password is never shown back. */
const CREDENTIALS = /^([^:/@]+):([^@]*)@/;

/**
 * What is wrong with an EventStoreDB connection string, or null when the adapter accepts it. The adapter's
 * own parser decides (`parseConnectionString`: the client's parser, which only builds a client, plus the
 * settings the adapter refuses), so every form it takes is accepted (several hosts, credentials, options)
 * and a value it would refuse at startup is refused here, with the variable named, not as a stack trace.
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
  try {
    // Parsed as the adapter will parse it (it only builds a client: nothing connects), then let go.
    void parseConnectionString(trimmed)
      .dispose()
      .catch(() => undefined);
    return null;
  } catch (error) {
    if (!(error instanceof EventStoreArgumentError)) {
      throw error;
    }
    const shown = password ? error.reason.split(password).join('***') : error.reason;
    // A setting the adapter refuses (its reason starts with it), or a string the client cannot parse.
    const refusedSetting = /^throwOnAppendFailure=false is not supported: /;
    return refusedSetting.test(shown)
      ? `must not set throwOnAppendFailure=false: ${shown.replace(refusedSetting, '')}`
      : `is refused by the EventStoreDB client (${shown.replace(/\.$/, '')}); expected e.g. ${EXAMPLES}`;
  }
};
