import { forbidden, ROLE_LABELS, type Role } from '@netral/domain';
import type { ActorContext } from './actor';

/**
 * OPD scope, enforced inside command and query services whatever the route: an OPD head reads and writes
 * only their own OPD. Other roles are regency-wide.
 */
export const assertOpdScope = (actor: ActorContext, opdId: string): void => {
  if (actor.role === 'OPD_HEAD' && actor.opdId !== opdId) {
    throw forbidden('OPD_SCOPE', 'Anda hanya dapat melihat dan mengubah data OPD Anda sendiri.');
  }
};

/** The OPD a query is limited to: an OPD head's own (a request for another is refused), else the
 * requested one (undefined = all). */
export const scopedOpdId = (actor: ActorContext, requested?: string): string | undefined => {
  if (actor.role === 'OPD_HEAD') {
    if (requested !== undefined) {
      assertOpdScope(actor, requested);
    }
    return actor.opdId;
  }
  return requested;
};

/** Data and commands over the whole regency (summaries, elections, users, roster imports): never an OPD
 * head's, whatever the route lets through. */
export const assertRegencyWide = (actor: ActorContext): void => {
  if (actor.role === 'OPD_HEAD') {
    throw forbidden(
      'OPD_SCOPE',
      'Ini mencakup seluruh daerah; Kepala OPD hanya dapat melihat dan mengubah data OPD-nya sendiri.',
    );
  }
};

/** What only some roles may do at all (managing accounts, Bawaslu's audit history), refused inside the
 * service too, so a route whose @Roles list was widened by mistake still opens nothing. The same answer as
 * the route guard's. */
export const assertRole = (actor: ActorContext, roles: readonly Role[]): void => {
  if (!roles.includes(actor.role)) {
    throw forbidden(
      'ROLE_FORBIDDEN',
      `Peran ${ROLE_LABELS[actor.role]} tidak berwenang untuk tindakan ini.`,
    );
  }
};
