/** A pure aggregate: `decide` turns a command and the current state into new events (or throws a
 * DomainError); `evolve` folds one event into the state. No clock, no I/O: time and actor come in the
 * command. */
export interface Decider<State, Command, Event> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}

/** A domain event as the deciders see it: a type tag and its data. */
export interface DomainEvent<Type extends string, Data extends Record<string, unknown>> {
  type: Type;
  data: Data;
}

/** Who acts, when and why: every command carries it and it ends up in every event's metadata. */
export interface CommandMetadata {
  now: string; // ISO 8601 instant
  /** The regency's calendar day at `now` (`YYYY-MM-DD`, the service's time zone): rules about days (not in
   * the future, SLA deadlines) count local days, not UTC ones. */
  today: string;
  /** The regency's offset from UTC at `now`, in minutes (+480 for WITA): an instant a user typed is counted
   * on the regency's day (`regencyDayOf`), whatever offset it was written with. */
  utcOffsetMinutes: number;
  actorId: string;
  actorRole: 'ADMIN' | 'OPD_HEAD' | 'BAWASLU' | 'HR' | 'SYSTEM';
  opdId?: string;
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
}

export const fold = <State, Event>(
  decider: Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());

/** What every stored event carries besides its data (DESIGN §4). */
export interface EventMetadata {
  actorId: string;
  actorRole: CommandMetadata['actorRole'];
  opdId?: string;
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
  schemaVersion: number;
}

export const SCHEMA_VERSION = 1;

export const toEventMetadata = (meta: CommandMetadata): EventMetadata => ({
  actorId: meta.actorId,
  actorRole: meta.actorRole,
  ...(meta.opdId === undefined ? {} : { opdId: meta.opdId }),
  correlationId: meta.correlationId,
  ...(meta.causationId === undefined ? {} : { causationId: meta.causationId }),
  ...(meta.idempotencyKey === undefined ? {} : { idempotencyKey: meta.idempotencyKey }),
  schemaVersion: SCHEMA_VERSION,
});
