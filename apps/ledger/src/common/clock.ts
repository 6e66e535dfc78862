import { Injectable } from '@nestjs/common';

/** The one place the service reads the time, so tests can move it (SLA clocks, token expiry). */
@Injectable()
export class Clock {
  private pinned?: Date;

  now(): Date {
    return this.pinned ? new Date(this.pinned.getTime()) : new Date();
  }

  /**
   * Runs `work` with the clock pinned to a past instant: for backfilling history (the demo regency) before
   * the service takes requests. The store still records when each event was really written.
   */
  async at<T>(instant: Date, work: () => Promise<T>): Promise<T> {
    this.pinned = instant;
    try {
      return await work();
    } finally {
      this.pinned = undefined;
    }
  }
}

/** A clock tests set by hand: `clock.set('2024-11-01T08:00:00Z')`, `clock.advance(3_600_000)`. */
export class FixedClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }
  override now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: string | Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
