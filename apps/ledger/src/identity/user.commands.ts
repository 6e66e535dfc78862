import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  conflict,
  invalid,
  notFound,
  type OpdFact,
  opdDecider,
  type Role,
  streams,
  type UserCommand,
  userDecider,
} from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { KeyedLock } from '../common/keyed-lock';
import type { Unstamped } from '../common/write-result';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { Startup } from '../infrastructure/startup';
import { type ActorContext, commandMetadata } from './actor';
import { CredentialsStore } from './credentials.store';
import { hashPassword, passwordProblem } from './password';
import { UserDirectory } from './user-directory';
import { assertRegencyWide, assertRole } from './opd-scope';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  opdId?: string;
}

/** The system itself, for writes no person asked for (the bootstrap admin, reactors). */
export const systemActor = (correlationId: string = randomUUID()): ActorContext => ({
  userId: 'system',
  username: 'system',
  displayName: 'Sistem Netral',
  role: 'ADMIN',
  correlationId,
  system: true,
});

const passwordPolicy = (password: string, username: string): void => {
  const problem = passwordProblem(password, username);
  if (problem) {
    throw invalid('PASSWORD_POLICY', `Kata sandi ${problem}.`, [
      { field: 'password', reason: problem, code: 'PASSWORD_POLICY' },
    ]);
  }
};

/** The only writer of `user-*` streams (and of the credentials table). */
@Injectable()
export class UserCommands implements OnApplicationBootstrap {
  private readonly logger = new Logger(UserCommands.name);
  /** Held by every change that counts the other active administrators: two admins demoting or deactivating
   * each other at once write to two streams, which no revision check relates, so the second must count
   * after the first is in the directory (else both pass and no administrator is left). */
  private readonly adminCount = new KeyedLock();

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly credentials: CredentialsStore,
    private readonly directory: UserDirectory,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly startup: Startup,
    private readonly store: EventStore,
  ) {}

  onApplicationBootstrap(): void {
    this.startup.after('first administrator', () => this.bootstrapAdmin());
  }

  /** Once the directory has caught up: the first administrator from the configuration, or how to make one. */
  private async bootstrapAdmin(): Promise<void> {
    if (this.directory.size > 0) {
      return;
    }
    if (this.config.demo && (await this.store.headPosition()) === null) {
      return; // the demo seeder creates its users, the administrator with NETRAL_BOOTSTRAP_ADMIN_PASSWORD
    }
    if (!this.config.bootstrapAdminPassword) {
      this.logger.warn(
        'No user exists yet. Create the first administrator with `npm run cli -- users create-admin` ' +
          '(or start once with NETRAL_BOOTSTRAP_ADMIN_PASSWORD set).',
      );
      return;
    }
    await this.register(
      {
        username: 'admin',
        displayName: 'Administrator',
        password: this.config.bootstrapAdminPassword,
        role: 'ADMIN',
      },
      systemActor(),
    );
    this.logger.log('Created user "admin" from NETRAL_BOOTSTRAP_ADMIN_PASSWORD');
  }

  /** `temporary`: the password is someone else's choice (an administrator's form, the CLI for another
   * person), so the new user must replace it at their first sign-in. */
  async register(
    input: NewUser,
    actor: ActorContext,
    { temporary = false }: { temporary?: boolean } = {},
  ): Promise<{ userId: string; position: string }> {
    passwordPolicy(input.password, input.username);
    // Hash first: a slow scrypt must not sit between the revision check and the append.
    const hash = await hashPassword(input.password);
    const position = await this.write(
      input.username,
      {
        type: 'RegisterUser',
        data: {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          ...(input.opdId ? { opdId: input.opdId } : {}),
        },
        context: { opd: await this.opdFact(input.opdId) },
      },
      actor,
    );
    this.credentials.set(input.username, hash, this.clock.now(), temporary);
    return { userId: input.username, position: String(position) };
  }

  async changeRole(
    userId: string,
    change: { role: Role; opdId?: string },
    actor: ActorContext,
  ): Promise<{ userId: string; position: string | null }> {
    const opd = await this.opdFact(change.opdId);
    const position = await this.countingAdmins(() =>
      this.write(
        userId,
        {
          type: 'ChangeUserRole',
          data: { role: change.role, ...(change.opdId ? { opdId: change.opdId } : {}) },
          context: { otherActiveAdmins: this.otherActiveAdmins(userId), opd },
        },
        actor,
      ),
    );
    return { userId, position: position === null ? null : String(position) };
  }

  async deactivate(
    userId: string,
    reason: string,
    actor: ActorContext,
  ): Promise<{ userId: string; position: string }> {
    const position = await this.countingAdmins(() =>
      this.write(
        userId,
        {
          type: 'DeactivateUser',
          data: { reason },
          context: { otherActiveAdmins: this.otherActiveAdmins(userId) },
        },
        actor,
      ),
    );
    return { userId, position: String(position) };
  }

  /** The OPD an OPD head is bound to, from its stream: a head account needs a registered, active OPD. */
  private async opdFact(opdId: string | undefined): Promise<OpdFact | null> {
    if (!opdId) {
      return null;
    }
    const { state } = await this.aggregates.load(streams.opd(opdId), opdDecider);
    return state.status;
  }

  /** Runs a change that counts the administrators once no other such change is under way (this process;
   * see README, Known limits, for several instances on one EventStoreDB). */
  private countingAdmins<T>(change: () => Promise<T>): Promise<T> {
    return this.adminCount.hold(['admins'], change);
  }

  private otherActiveAdmins(userId: string): number {
    return this.directory
      .list()
      .filter((u) => u.status === 'active' && u.role === 'ADMIN' && u.userId !== userId).length;
  }

  /**
   * Sets a new password for an existing, active user (a forgotten password: the CLI, or an administrator;
   * or their own). Not an event (hashes never are): logged with who set it, never the password. Tokens
   * issued before it stop working. Set by anyone but the user, it is temporary unless told otherwise (the
   * CLI's `--no-temporary`): the user must choose their own before doing anything else.
   */
  async setPassword(
    userId: string,
    password: string,
    actor?: ActorContext,
    temporary = actor?.userId !== userId,
  ): Promise<void> {
    if (actor && actor.userId !== userId) {
      assertRole(actor, ['ADMIN']); // one's own password, or anyone's by an administrator (or the CLI)
    }
    const user = this.directory.get(userId);
    if (!user) {
      throw notFound('USER_NOT_FOUND', `Pengguna ${userId} tidak ditemukan.`);
    }
    if (user.status !== 'active') {
      throw conflict(
        'USER_DEACTIVATED',
        `Pengguna ${user.username} sudah dinonaktifkan: kata sandinya tidak dapat diatur.`,
      );
    }
    passwordPolicy(password, user.username);
    this.credentials.set(userId, await hashPassword(password), this.clock.now(), temporary);
    this.logger.log(
      {
        userId,
        actorId: actor?.userId ?? 'system',
        correlationId: actor?.correlationId,
        temporary,
      },
      `Password of "${userId}" set by ${actor ? `"${actor.userId}"` : 'the CLI'}` +
        (temporary ? ' (temporary: to be changed at the next sign-in)' : ''),
    );
  }

  private async write(
    userId: string,
    command: Unstamped<UserCommand>,
    actor: ActorContext,
  ): Promise<bigint | null> {
    assertRegencyWide(actor);
    assertRole(actor, ['ADMIN']);
    const { position } = await this.aggregates.handle(streams.user(userId), userDecider, {
      ...command,
      metadata: commandMetadata(actor, this.clock.moment()),
    });
    if (position !== null) {
      await this.directory.waitFor(position);
    }
    return position;
  }
}
