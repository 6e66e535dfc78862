/**
 * @netral/event-store — the event store port (EventStoreDB semantics), its embedded SQLite adapter and its
 * EventStoreDB adapter, and the contract suite both must pass. Knows nothing of the domain or of Nest, and
 * must never import them (nor the contract suite, which needs Jest, at runtime).
 */
export * from './event-store.port';
export * from './errors';
export { compileFilter, isSystemEvent } from './filter';
export {
  SqliteEventStore,
  SQLITE_SCHEMA_VERSION,
  type SqliteEventStoreOptions,
  type SqliteEventStoreStats,
} from './sqlite-event-store';
export {
  EventStoreDbEventStore,
  type EventStoreDbClientLike,
  type EventStoreDbEventStoreOptions,
  type EventStoreLogger,
  parseConnectionString,
  redactConnectionString,
} from './eventstoredb-event-store';
