import type { CommandMetadata, Role } from '@netral/domain';

/** The authenticated caller of a request, as command and query services see it. */
export interface ActorContext {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Set for OPD_HEAD: the only OPD they may read or write. */
  opdId?: string;
  correlationId: string;
  /** The request's Idempotency-Key, recorded in the metadata of the events it writes. */
  idempotencyKey?: string;
}

/** Builds the metadata every command (and so every event) carries. `now` is passed in, never read here. */
export const commandMetadata = (
  actor: ActorContext,
  now: Date,
  extra: { idempotencyKey?: string; causationId?: string } = {},
): CommandMetadata => ({
  now: now.toISOString(),
  actorId: actor.userId,
  actorRole: actor.role,
  ...(actor.opdId === undefined ? {} : { opdId: actor.opdId }),
  correlationId: actor.correlationId,
  ...((extra.idempotencyKey ?? actor.idempotencyKey) === undefined
    ? {}
    : { idempotencyKey: extra.idempotencyKey ?? actor.idempotencyKey }),
  ...(extra.causationId === undefined ? {} : { causationId: extra.causationId }),
});
