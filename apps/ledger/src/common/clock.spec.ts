import { startOfDay } from '../audit/audit.web.controller';
import { localDay, utcOffsetMinutes } from './clock';

describe('clock helpers', () => {
  it("gives a zone's offset from UTC at an instant, daylight saving included", () => {
    const at = Date.parse('2024-09-24T17:30:12.345Z');
    expect(utcOffsetMinutes(at, 'Asia/Makassar')).toBe(480);
    expect(utcOffsetMinutes(at, 'Asia/Jakarta')).toBe(420);
    expect(utcOffsetMinutes(at, 'Asia/Jayapura')).toBe(540);
    expect(utcOffsetMinutes(at, 'UTC')).toBe(0);
    expect(utcOffsetMinutes(Date.parse('2024-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(utcOffsetMinutes(Date.parse('2024-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(utcOffsetMinutes(at, 'Asia/Kathmandu')).toBe(345);
  });

  it('reads the offset again in each new minute, so a daylight-saving switch is seen at once', () => {
    // New York springs forward at 2024-03-10T07:00:00Z (02:00 EST becomes 03:00 EDT).
    for (const [at, offset] of [
      ['2024-03-10T06:59:00Z', -300],
      ['2024-03-10T06:59:59.999Z', -300],
      ['2024-03-10T07:00:00Z', -240],
      ['2024-03-10T07:00:59Z', -240],
      ['2024-03-10T06:59:30Z', -300],
    ] as const) {
      expect([at, utcOffsetMinutes(Date.parse(at), 'America/New_York')]).toEqual([at, offset]);
    }
  });

  it("derives the local day from the offset as Intl's own calendar says it", () => {
    for (const timeZone of ['Asia/Makassar', 'Asia/Jakarta', 'Asia/Jayapura', 'America/New_York']) {
      const day = new Intl.DateTimeFormat('en-CA', { timeZone });
      for (
        let t = Date.parse('2024-03-09T00:00:00Z');
        t < Date.parse('2024-03-12T00:00:00Z');
        t += 37 * 60_000
      ) {
        expect(localDay(new Date(t), timeZone)).toBe(day.format(t));
      }
    }
  });

  it('agrees with the local day and the start of a local day', () => {
    const at = new Date('2024-09-24T17:30:00Z');
    expect(localDay(at, 'Asia/Makassar')).toBe('2024-09-25');
    expect(startOfDay('2024-09-25', 'Asia/Makassar')).toBe('2024-09-24T16:00:00.000Z');
    expect(startOfDay('2024-09-25', 'Asia/Jakarta')).toBe('2024-09-24T17:00:00.000Z');
  });
});
