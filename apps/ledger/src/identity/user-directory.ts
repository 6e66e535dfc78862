import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type User, type UserEvent, userDecider } from '@netral/domain';
import { EventStore, type RecordedEvent } from '@netral/event-store';
import { EventFollower } from '../infrastructure/event-follower';
import { Startup } from '../infrastructure/startup';
import type { ActorContext } from './actor';
import { assertRole } from './opd-scope';

export type KnownUser = Exclude<User, { status: 'none' }>;

/**
 * Every user and their current role, folded from the `user-*` streams and kept live by a subscription, so a
 * role change or a deactivation written by any instance (or the CLI) takes effect on the next request.
 * Token checks read this map, never the token's own claims about role and OPD.
 */
@Injectable()
export class UserDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly users = new Map<string, KnownUser>();
  private readonly follower: EventFollower;

  constructor(
    @Inject(EventStore) store: EventStore,
    private readonly startup: Startup,
  ) {
    this.follower = new EventFollower('users', store, { streamPrefixes: ['user-'] }, (event) =>
      this.apply(event),
    );
  }

  onModuleInit(): void {
    this.startup.track('users', this.follower.start());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as UserEvent;
    const userId = event.data.userId;
    const next = userDecider.evolve(this.users.get(userId) ?? { status: 'none' }, event);
    if (next.status !== 'none') {
      this.users.set(userId, next);
    }
  }

  get(userId: string): KnownUser | undefined {
    return this.users.get(userId);
  }

  /** An active user, or undefined for unknown and deactivated ones. */
  active(userId: string): KnownUser | undefined {
    const user = this.users.get(userId);
    return user?.status === 'active' ? user : undefined;
  }

  get size(): number {
    return this.users.size;
  }

  list(): KnownUser[] {
    return [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Every account, for an administrator (who has which access is theirs to see and manage). */
  listFor(actor: ActorContext): KnownUser[] {
    assertRole(actor, ['ADMIN']);
    return this.list();
  }

  /** One account, for an administrator; undefined when there is none by that id. */
  getFor(actor: ActorContext, userId: string): KnownUser | undefined {
    assertRole(actor, ['ADMIN']);
    return this.get(userId);
  }

  /** Resolves once the directory includes the write at `position`. */
  waitFor(position: bigint): Promise<void> {
    return this.follower.waitFor(position);
  }
}
