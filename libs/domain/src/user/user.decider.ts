import type { Role, UserEvent } from '../events';
import { type Decider, type CommandMetadata } from '../shared/decider';
import type { OpdFact } from '../asn/asn.decider';
import { assertNever, conflict, invalid, notFound } from '../shared/domain-error';

export const ROLES: readonly Role[] = ['ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR'];

/** A role as officials call it, in messages and on the pages (the codes are for the API's fields). */
export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Administrator',
  OPD_HEAD: 'Kepala OPD',
  BAWASLU: 'Bawaslu',
  HR: 'BKPSDM',
};

/** Usernames double as user ids (`user-{username}` streams), so they are short, lowercase and stable. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** Ids the ledger writes as actors itself (systemActor, the CLI): never a person's username. */
export const RESERVED_USERNAMES: readonly string[] = ['system', 'cli'];

/** What a user command is checked against besides the user's own stream. */
interface UserFacts {
  /** Active administrators other than this user. */
  otherActiveAdmins: number;
}

/** The OPD named by `opdId`, read from its stream (null when no OPD is named). */
interface OpdFacts {
  opd: OpdFact | null;
}

export type RegisterUser = {
  type: 'RegisterUser';
  data: { username: string; displayName: string; role: Role; opdId?: string };
  context: OpdFacts;
  metadata: CommandMetadata;
};
export type ChangeUserRole = {
  type: 'ChangeUserRole';
  data: { role: Role; opdId?: string };
  context: UserFacts & OpdFacts;
  metadata: CommandMetadata;
};
export type DeactivateUser = {
  type: 'DeactivateUser';
  data: { reason: string };
  context: UserFacts;
  metadata: CommandMetadata;
};
export type UserCommand = RegisterUser | ChangeUserRole | DeactivateUser;

export type User =
  | { status: 'none' }
  | {
      status: 'active' | 'deactivated';
      userId: string;
      username: string;
      displayName: string;
      role: Role;
      opdId?: string;
    };

const initialState = (): User => ({ status: 'none' });

/** OPD heads act for exactly one OPD, registered and not dissolved; every other role acts for none. */
const checkRoleScope = (role: Role, opdId: string | undefined, opd: OpdFact | null): void => {
  if (role === 'OPD_HEAD' && !opdId) {
    throw invalid('OPD_REQUIRED', 'Peran Kepala OPD wajib menyebut OPD-nya.', [
      {
        field: 'opdId',
        reason: `wajib diisi untuk peran ${ROLE_LABELS.OPD_HEAD}`,
        code: 'OPD_REQUIRED',
      },
    ]);
  }
  if (role !== 'OPD_HEAD' && opdId) {
    throw invalid('OPD_NOT_ALLOWED', `Peran ${ROLE_LABELS[role]} tidak terikat pada satu OPD.`, [
      {
        field: 'opdId',
        reason: `hanya untuk peran ${ROLE_LABELS.OPD_HEAD}`,
        code: 'OPD_NOT_ALLOWED',
      },
    ]);
  }
  if (opdId && opd !== 'active') {
    if (opd === 'dissolved') {
      throw conflict(
        'OPD_DISSOLVED',
        `OPD ${opdId} sudah dibubarkan: pilih OPD yang masih aktif.`,
        [{ field: 'opdId', reason: `OPD ${opdId} sudah dibubarkan`, code: 'OPD_DISSOLVED' }],
      );
    }
    throw notFound(
      'OPD_NOT_FOUND',
      `OPD ${opdId} (opdId) tidak terdaftar: daftarkan OPD-nya di registri sebelum membuat akun Kepala OPD-nya.`,
    );
  }
};

/** The ledger always keeps one active administrator: users and elections can only be managed by one. */
const keepAnAdmin = (user: { role: Role; username: string }, otherActiveAdmins: number): void => {
  if (user.role === 'ADMIN' && otherActiveAdmins === 0) {
    throw conflict(
      'LAST_ADMIN',
      `${user.username} adalah satu-satunya administrator aktif; angkat administrator lain terlebih dahulu.`,
    );
  }
};

const activeUser = (state: User) => {
  if (state.status === 'none') {
    throw notFound('USER_NOT_FOUND', 'Pengguna tidak ditemukan.');
  }
  if (state.status === 'deactivated') {
    throw conflict('USER_DEACTIVATED', `Pengguna ${state.username} sudah dinonaktifkan.`);
  }
  return state;
};

const decide = (command: UserCommand, state: User): UserEvent[] => {
  switch (command.type) {
    case 'RegisterUser': {
      const { username, displayName, role, opdId } = command.data;
      if (state.status !== 'none') {
        throw conflict('USER_ALREADY_EXISTS', `Nama pengguna ${username} sudah dipakai.`);
      }
      if (!USERNAME_PATTERN.test(username)) {
        throw invalid('USERNAME_INVALID', 'Nama pengguna tidak valid.', [
          {
            field: 'username',
            reason: '3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung',
            code: 'USERNAME_INVALID',
          },
        ]);
      }
      if (RESERVED_USERNAMES.includes(username)) {
        throw invalid('USERNAME_RESERVED', `Nama pengguna ${username} dipakai oleh sistem.`, [
          { field: 'username', reason: 'dipakai oleh sistem', code: 'USERNAME_RESERVED' },
        ]);
      }
      checkRoleScope(role, opdId, command.context.opd);
      return [
        {
          type: 'UserRegistered',
          data: { userId: username, username, displayName, role, ...(opdId ? { opdId } : {}) },
        },
      ];
    }
    case 'ChangeUserRole': {
      const user = activeUser(state);
      const { role, opdId } = command.data;
      checkRoleScope(role, opdId, command.context.opd);
      if (user.role === role && user.opdId === opdId) {
        return [];
      }
      if (role !== 'ADMIN') {
        keepAnAdmin(user, command.context.otherActiveAdmins);
      }
      return [
        {
          type: 'UserRoleChanged',
          data: {
            userId: user.userId,
            role,
            ...(opdId ? { opdId } : {}),
            previousRole: user.role,
            ...(user.opdId ? { previousOpdId: user.opdId } : {}),
          },
        },
      ];
    }
    case 'DeactivateUser': {
      const user = activeUser(state);
      if (command.metadata.actorId === user.userId) {
        throw conflict(
          'CANNOT_DEACTIVATE_SELF',
          'Anda tidak dapat menonaktifkan akun Anda sendiri.',
        );
      }
      keepAnAdmin(user, command.context.otherActiveAdmins);
      return [
        { type: 'UserDeactivated', data: { userId: user.userId, reason: command.data.reason } },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: User, event: UserEvent): User => {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, username, displayName, role, opdId } = event.data;
      return { status: 'active', userId, username, displayName, role, ...(opdId ? { opdId } : {}) };
    }
    case 'UserRoleChanged': {
      if (state.status === 'none') {
        return state;
      }
      const { opdId: _previous, ...rest } = state;
      return {
        ...rest,
        role: event.data.role,
        ...(event.data.opdId ? { opdId: event.data.opdId } : {}),
      };
    }
    case 'UserDeactivated':
      return state.status === 'none' ? state : { ...state, status: 'deactivated' };
    default:
      return assertNever(event);
  }
};

export const userDecider: Decider<User, UserCommand, UserEvent> = { decide, evolve, initialState };
