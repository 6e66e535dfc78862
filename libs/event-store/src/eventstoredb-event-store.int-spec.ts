import { loadConfig } from '@netral/config';
import { describeEventStoreContract } from './contract/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The contract suite against a real EventStoreDB/KurrentDB, when EVENTSTORE_CONNECTION_STRING points at
 * one (e.g. `docker compose up eventstore`). Every run uses fresh stream and type names, so the database
 * needs no cleaning. Without a server the run is reported as not done, never as passed.
 */
const connectionString = loadConfig().eventStoreConnectionString;
const HOW =
  'EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false npx jest --selectProjects integration libs/event-store';

if (connectionString) {
  describeEventStoreContract(
    'EventStoreDB adapter on a real server',
    () =>
      Promise.resolve({
        open: () => Promise.resolve(EventStoreDbEventStore.connect(connectionString)),
      }),
    { timeoutMs: 60_000 },
  );
} else {
  // Straight to stderr: Jest does not print captured console output of a suite whose tests all skip.
  process.stderr.write(
    `\n[event-store] EventStoreDB contract suite NOT RUN: EVENTSTORE_CONNECTION_STRING is not set (no server here). To run it: ${HOW}\n\n`,
  );
  describe('EventStoreDB adapter on a real server', () => {
    it.skip(`NOT RUN (EVENTSTORE_CONNECTION_STRING is not set): ${HOW}`, () => undefined);
  });
}
