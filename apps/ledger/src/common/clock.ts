import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';

/** One reading of the clock: the instant, and the regency's calendar day at that instant. */
export interface Moment {
  now: Date;
  /** `YYYY-MM-DD` in the service's time zone (NETRAL_TIMEZONE): deadlines and "not in the future" are
   * local days. At 01:00 WITA it is already tomorrow in Bangli while UTC still says today. */
  today: string;
  /** The service's time zone's offset from UTC at `now`, in minutes (+480 for Asia/Makassar). */
  utcOffsetMinutes: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone, the last UTC minute asked about and its offset: every write reads the clock, and formatting
 * to parts cost more than the rest of the metadata. Offsets change on a whole minute (since the zones left
 * local mean time, a century ago). */
const lastOffsets = new Map<string, { minute: number; offset: number }>();

/** The offset at `at` (ms), read off the zone's wall clock. Formatters are built once per zone (they are
 * costly). */
const wallClockOffset = (at: number, timeZone: string): number => {
  let format = wallFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return Math.round((wall - at) / 60_000);
};

/** How many minutes `timeZone`'s wall clock is ahead of UTC at `instant` (+480 for Asia/Makassar). */
export const utcOffsetMinutes = (instant: Date | number, timeZone: string): number => {
  const minute = Math.floor(new Date(instant).getTime() / 60_000);
  const last = lastOffsets.get(timeZone);
  if (last?.minute === minute) {
    return last.offset;
  }
  const offset = wallClockOffset(minute * 60_000, timeZone);
  lastOffsets.set(timeZone, { minute, offset });
  return offset;
};

/** The calendar day of `instant` at an offset from UTC. */
const dayAtOffset = (instant: Date, offsetMinutes: number): string =>
  new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);

/** The calendar day of `instant` in `timeZone`. */
export const localDay = (instant: Date, timeZone: string): string =>
  dayAtOffset(instant, utcOffsetMinutes(instant, timeZone));

/** The one place the service reads the time, so tests can move it (SLA clocks, token expiry). */
@Injectable()
export class Clock {
  private pinned?: Date;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  now(): Date {
    return this.pinned ? new Date(this.pinned.getTime()) : new Date();
  }

  /** The real time even while pinned for a backfill: what the ledger states about itself (a checkpoint is
   * signed now, whatever day the history being written claims). */
  wallNow(): Date {
    return new Date();
  }

  /** The regency's calendar day now. */
  today(): string {
    return this.moment().today;
  }

  /** The instant and the local day from a single reading, as command metadata carries them. */
  moment(): Moment {
    const now = this.now();
    // One reading of the zone: the day follows from the offset.
    const offset = utcOffsetMinutes(now, this.config.timeZone);
    return { now, today: dayAtOffset(now, offset), utcOffsetMinutes: offset };
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
