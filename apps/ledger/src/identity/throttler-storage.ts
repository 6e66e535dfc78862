import type { OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  resetAt: number;
  blockedUntil: number;
}

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const SWEEP_MS = 60_000;

/**
 * Request counting for the rate limit in O(1) time and memory per client: a fixed window per key (hits, the
 * window's end, a block). @nestjs/throttler's default storage keeps one timestamp per request and filters
 * them all on every request: at a generous limit that is tens of thousands of entries per call and per
 * address, which showed up as the throttler's share of every request's CPU under load.
 */
export class WindowThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Idle clients are forgotten, so memory follows the number of active addresses only.
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window) {
      window = { hits: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    } else if (now >= window.resetAt) {
      window.hits = 0;
      window.resetAt = now + ttl;
    }
    if (window.blockedUntil <= now) {
      window.hits += 1;
      if (window.hits > limit) {
        window.blockedUntil = now + blockDuration;
      }
    }
    const isBlocked = window.blockedUntil > now;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.resetAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    });
  }

  /** Clients currently counted (for tests). */
  get size(): number {
    return this.windows.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now && window.blockedUntil <= now) {
        this.windows.delete(key);
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
