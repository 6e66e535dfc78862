/**
 * @netral/projections — the read side: a runner that feeds SQLite read models from the store's global log
 * (checkpointed, crash-safe, rebuildable) and the queries over them. It may use @netral/event-store's port;
 * it must never import Nest.
 */
export * from './projection';
export * from './runner';
export * from './read-models/ledger.projection';
export * from './read-models/coverage';
export * from './read-models/queries';
