import { HttpException, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';

const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

/** One entry per username (as typed, any case) and address. */
const keyOf = (username: string, ip: string): string => `${username.toLowerCase()}|${ip}`;

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

/**
 * Slows down password guessing per username and address: five failures are free, then each further
 * failure locks that pair out for twice as long (30 s, 60 s … at most 15 min). A success clears it.
 * Per-process memory: a restart forgets, which only ever helps a legitimate user.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('Auth');
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Refuses (429 LOGIN_LOCKED, logged) a username and address that are locked out. */
  check(username: string, ip: string): void {
    const entry = this.entries.get(keyOf(username, ip));
    const now = this.clock.now().getTime();
    if (entry && entry.lockedUntil > now) {
      const seconds = Math.ceil((entry.lockedUntil - now) / 1000);
      // Like every other refused login: who and from where, never the password.
      this.logger.warn(
        {
          username,
          ip,
          failures: entry.failures,
          retryAfterSeconds: seconds,
        },
        'login refused: locked after repeated failures',
      );
      throw new HttpException(
        {
          statusCode: 429,
          code: 'LOGIN_LOCKED',
          message: `Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${seconds} detik.`,
          retryAfterSeconds: seconds,
        },
        429,
      );
    }
  }

  fail(username: string, ip: string): number {
    const key = keyOf(username, ip);
    const now = this.clock.now().getTime();
    const previous = this.entries.get(key);
    const entry =
      previous && now - previous.firstAt < WINDOW_MS
        ? previous
        : { failures: 0, firstAt: now, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= FREE_FAILURES) {
      entry.lockedUntil =
        now + Math.min(30_000 * 2 ** (entry.failures - FREE_FAILURES), MAX_LOCK_MS);
    }
    this.entries.set(key, entry);
    if (this.entries.size > 10_000) {
      // Bounded memory under a spray of usernames: forget the oldest entries.
      for (const oldest of [...this.entries.keys()].slice(0, 1000)) {
        this.entries.delete(oldest);
      }
    }
    return entry.failures;
  }

  succeed(username: string, ip: string): void {
    this.entries.delete(keyOf(username, ip));
  }
}
