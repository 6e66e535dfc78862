/** What a write answers: the ids it concerns and the global position of its last event (a string; null
 * when nothing needed to change). A client may pass the position as `minPosition` to a later query. */
export const written = <T extends object>(
  ids: T,
  position: bigint | null,
): T & { position: string | null } => ({
  ...ids,
  position: position === null ? null : String(position),
});

/** A command before the service stamps it with metadata (distributes over the command union). */
export type Unstamped<C> = C extends unknown ? Omit<C, 'metadata'> : never;
