/**
 * @netral/event-store — the event store port (EventStoreDB semantics), its embedded SQLite adapter and its
 * EventStoreDB adapter, and the contract suite both must pass. Knows nothing of the domain or of Nest.
 */
export * from './event-store.port';
export * from './errors';
export { compileFilter } from './filter';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
