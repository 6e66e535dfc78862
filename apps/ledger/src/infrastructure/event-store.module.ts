import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { EventStore, EventStoreDbEventStore, SqliteEventStore } from '@netral/event-store';
import { join } from 'node:path';
import { AggregateStore } from './aggregate-store';

/** The embedded store's file in the data directory: the ledger itself. */
export const EVENTS_FILE = 'events.sqlite';
export const sqliteEventsFile = (config: AppConfig): string => join(config.dataDir, EVENTS_FILE);

/** Opens the event store the configuration asks for: EventStoreDB when EVENTSTORE_CONNECTION_STRING is
 * set, else the embedded SQLite file in the data directory. Closed on shutdown (queued appends commit first). */
export const openEventStore = (config: AppConfig): EventStore => {
  if (config.eventStoreConnectionString) {
    const logger = new Logger('EventStoreDB');
    try {
      // The client connects lazily: a server that is down shows in /health (503), not as a boot failure.
      return EventStoreDbEventStore.connect(config.eventStoreConnectionString, {
        logger: { warn: (message) => logger.warn(message) },
      });
    } catch (error) {
      throw new Error(
        `EVENTSTORE_CONNECTION_STRING is not a valid EventStoreDB connection string (e.g. esdb://localhost:2113?tls=false): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return new SqliteEventStore({
    file: sqliteEventsFile(config),
    synchronous: config.sqliteSync,
  });
};

@Global()
@Module({
  providers: [
    { provide: EventStore, inject: [AppConfig], useFactory: openEventStore },
    AggregateStore,
  ],
  exports: [EventStore, AggregateStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger(EventStoreModule.name);
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log(`event store (${this.store.adapter}) closed`);
  }
}
