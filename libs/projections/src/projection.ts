import type { RecordedEvent } from '@netral/event-store';
import type Database from 'better-sqlite3';

/**
 * A read model: its tables (`setup`) and how one event changes them (`apply`). `apply` must be a
 * deterministic function of the current tables and the event (no clock, no I/O besides its own tables), so
 * replaying the log from position 0 rebuilds exactly what live updates built. A changed projection gets a
 * new `version`: the runner then drops its tables and rebuilds it.
 */
export interface Projection {
  name: string;
  version: number;
  /** Event types it reads (others are skipped without a call). */
  eventTypes: readonly string[];
  tables: readonly string[];
  setup(db: Database.Database): void;
  apply(db: Database.Database, event: RecordedEvent): void;
}
