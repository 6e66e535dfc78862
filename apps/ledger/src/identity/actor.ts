import type { CommandMetadata, Role } from '@netral/domain';
import type { Moment } from '../common/clock';

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
  /** The system itself (`systemActor`: the CLI, the bootstrap admin, the demo seeder, reactors): authorised
   * as its `role`, recorded as `actorRole: 'SYSTEM'`, so the audit history never shows a person's role for
   * a write no signed-in person made. */
  system?: true;
  /** Their password was set by someone else (an administrator, the CLI): until they choose their own, they
   * may open only their account page and the routes that change it (`@WithTemporaryPassword()`). */
  passwordChangeRequired?: true;
}

/** Builds the metadata every command (and so every event) carries. The time is passed in (one reading
 * of the Clock), never read here. */
export const commandMetadata = (
  actor: ActorContext,
  at: Moment,
  extra: { idempotencyKey?: string; causationId?: string } = {},
): CommandMetadata => ({
  now: at.now.toISOString(),
  today: at.today,
  utcOffsetMinutes: at.utcOffsetMinutes,
  actorId: actor.userId,
  actorRole: actor.system ? 'SYSTEM' : actor.role,
  ...(actor.opdId === undefined ? {} : { opdId: actor.opdId }),
  correlationId: actor.correlationId,
  ...((extra.idempotencyKey ?? actor.idempotencyKey) === undefined
    ? {}
    : { idempotencyKey: extra.idempotencyKey ?? actor.idempotencyKey }),
  ...(extra.causationId === undefined ? {} : { causationId: extra.causationId }),
});
