import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { EventStore, SqliteEventStore } from '@netral/event-store';
import { join } from 'node:path';
import { AggregateStore } from './aggregate-store';

/** Opens the event store the configuration asks for: EventStoreDB when EVENTSTORE_CONNECTION_STRING is
 * set, else the embedded SQLite file in the data directory. Closed on shutdown (queued appends commit first). */
export const openEventStore = (config: AppConfig): EventStore =>
  new SqliteEventStore({
    file: join(config.dataDir, 'events.sqlite'),
    synchronous: config.sqliteSync,
  });

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
