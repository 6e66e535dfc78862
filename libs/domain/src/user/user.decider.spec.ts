import type { UserEvent } from '../events';
import type { CommandMetadata } from '../shared/decider';
import { DomainError, fold } from '../index';
import { type UserCommand, userDecider } from './user.decider';

const meta: CommandMetadata = {
  now: '2024-09-01T08:00:00.000Z',
  today: '2024-09-01',
  utcOffsetMinutes: 480,
  actorId: 'admin',
  actorRole: 'ADMIN',
  correlationId: 'corr-0001',
};

const registered = (over: Partial<Extract<UserEvent, { type: 'UserRegistered' }>['data']> = {}) =>
  ({
    type: 'UserRegistered',
    data: { userId: 'made', username: 'made', displayName: 'I Made Sudarma', role: 'HR', ...over },
  }) as const;

/** given(history).when(command) → the events decided, or the DomainError code thrown. */
const given = (history: UserEvent[]) => ({
  when: (command: UserCommand): UserEvent[] | string => {
    try {
      return userDecider.decide(command, fold(userDecider, history));
    } catch (error) {
      if (error instanceof DomainError) {
        return error.code;
      }
      throw error;
    }
  },
});

const register = (data: Partial<Extract<UserCommand, { type: 'RegisterUser' }>['data']> = {}) =>
  ({
    type: 'RegisterUser',
    data: { username: 'made', displayName: 'I Made Sudarma', role: 'HR', ...data },
    context: { opd: data.opdId ? ('active' as const) : null },
    metadata: meta,
  }) as const;
const changeRole = (
  data: Extract<UserCommand, { type: 'ChangeUserRole' }>['data'],
  context: Partial<Extract<UserCommand, { type: 'ChangeUserRole' }>['context']> = {},
): UserCommand => ({
  type: 'ChangeUserRole',
  data,
  context: { otherActiveAdmins: 1, opd: data.opdId ? 'active' : null, ...context },
  metadata: meta,
});
const deactivate = (otherActiveAdmins = 1): UserCommand => ({
  type: 'DeactivateUser',
  data: { reason: 'pensiun' },
  context: { otherActiveAdmins },
  metadata: meta,
});

describe('user decider', () => {
  it('registers a new user under their username', () => {
    expect(given([]).when(register())).toEqual([registered()]);
  });

  it('registers an OPD head bound to their OPD', () => {
    expect(given([]).when(register({ role: 'OPD_HEAD', opdId: 'dinas-kesehatan' }))).toEqual([
      registered({ role: 'OPD_HEAD', opdId: 'dinas-kesehatan' }),
    ]);
  });

  it.each([
    ['taken username', [registered()], register(), 'USER_ALREADY_EXISTS'],
    ['username with capitals', [], register({ username: 'Made' }), 'USERNAME_INVALID'],
    ['username too short', [], register({ username: 'ab' }), 'USERNAME_INVALID'],
    ['OPD head without OPD', [], register({ role: 'OPD_HEAD' }), 'OPD_REQUIRED'],
    ['HR bound to an OPD', [], register({ opdId: 'dinas-kesehatan' }), 'OPD_NOT_ALLOWED'],
    ['a username the system writes as', [], register({ username: 'system' }), 'USERNAME_RESERVED'],
    [
      'an OPD head of an OPD that is not registered',
      [],
      { ...register({ role: 'OPD_HEAD', opdId: 'dinas-pupr' }), context: { opd: 'none' } },
      'OPD_NOT_FOUND',
    ],
    [
      'an OPD head of a dissolved OPD',
      [],
      { ...register({ role: 'OPD_HEAD', opdId: 'dinas-pupr' }), context: { opd: 'dissolved' } },
      'OPD_DISSOLVED',
    ],
    [
      'a move to head an OPD that is not registered',
      [registered()],
      changeRole({ role: 'OPD_HEAD', opdId: 'dinas-pupr' }, { opd: 'none' }),
      'OPD_NOT_FOUND',
    ],
  ] as const)('rejects %s', (_name, history, command, code) => {
    expect(given([...history]).when(command)).toBe(code);
  });

  it('changes a role, recording the previous one', () => {
    expect(
      given([registered()]).when(changeRole({ role: 'OPD_HEAD', opdId: 'inspektorat' })),
    ).toEqual([
      {
        type: 'UserRoleChanged',
        data: { userId: 'made', role: 'OPD_HEAD', opdId: 'inspektorat', previousRole: 'HR' },
      },
    ]);
  });

  it('decides nothing when the role does not change', () => {
    expect(given([registered()]).when(changeRole({ role: 'HR' }))).toEqual([]);
  });

  it('deactivates, and then refuses further changes', () => {
    const deactivated = given([registered()]).when(deactivate());
    expect(deactivated).toEqual([
      { type: 'UserDeactivated', data: { userId: 'made', reason: 'pensiun' } },
    ]);
    const history = [registered(), ...(deactivated as UserEvent[])];
    expect(given(history).when(deactivate())).toBe('USER_DEACTIVATED');
    expect(given(history).when(changeRole({ role: 'ADMIN' }))).toBe('USER_DEACTIVATED');
  });

  it('refuses to let an admin deactivate themselves', () => {
    expect(
      given([registered({ userId: 'admin', username: 'admin', role: 'ADMIN' })]).when(deactivate()),
    ).toBe('CANNOT_DEACTIVATE_SELF');
  });

  it('refuses changes to a user that does not exist', () => {
    expect(given([]).when(deactivate())).toBe('USER_NOT_FOUND');
  });

  it('always keeps one active administrator', () => {
    const onlyAdmin = [registered({ userId: 'wayan', username: 'wayan', role: 'ADMIN' })];
    expect(given(onlyAdmin).when(deactivate(0))).toBe('LAST_ADMIN');
    expect(given(onlyAdmin).when(changeRole({ role: 'HR' }, { otherActiveAdmins: 0 }))).toBe(
      'LAST_ADMIN',
    );
    expect(given(onlyAdmin).when(deactivate(1))).toEqual([
      { type: 'UserDeactivated', data: { userId: 'wayan', reason: 'pensiun' } },
    ]);
  });
});
