import {
  addDays,
  addWorkingDays,
  daysBetween,
  isCalendarDay,
  regencyDayOf,
  tanggal,
  weekday,
} from './calendar';

describe('calendar', () => {
  it("reads a day as written and an instant on the regency's day", () => {
    expect(regencyDayOf('2024-09-25', 480)).toBe('2024-09-25');
    expect(regencyDayOf('2024-09-24T17:30:00Z', 480)).toBe('2024-09-25'); // 01:30 WITA
    expect(regencyDayOf('2024-09-24T15:59:59.999Z', 480)).toBe('2024-09-24'); // 23:59 WITA
    expect(regencyDayOf('2024-09-24T16:00Z', 480)).toBe('2024-09-25');
    expect(regencyDayOf('2024-09-25T00:30:00+07:00', 480)).toBe('2024-09-25');
    expect(regencyDayOf('2024-09-25T00:30:00+09:00', 480)).toBe('2024-09-24');
    expect(regencyDayOf('2024-12-31T23:00:00-10:00', 480)).toBe('2025-01-01'); // 17:00 WITA, next year
    expect(regencyDayOf('2024-03-01T07:00:00+08:00', -300)).toBe('2024-02-29'); // a zone behind UTC
  });

  it('knows real days from impossible ones', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('1900-02-29')).toBe(false);
    expect(isCalendarDay('2000-02-29')).toBe(true);
    expect(isCalendarDay('2024-13-01')).toBe(false);
    expect(isCalendarDay('2024-4-01')).toBe(false);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-11-27', 7)).toBe('2024-12-04');
    expect(addDays('2024-12-30', 30)).toBe('2025-01-29');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('agrees with the JavaScript calendar for every day of four centuries', () => {
    let day = '1900-01-01';
    for (let i = 0; i < 146097; i += 97) {
      // eslint-disable-next-line no-restricted-globals -- the reference calendar this test checks against
      const expected = new Date(Date.UTC(1900, 0, 1 + i));
      expect(addDays('1900-01-01', i)).toBe(expected.toISOString().slice(0, 10));
      expect(weekday(addDays('1900-01-01', i))).toBe(expected.getUTCDay());
      day = addDays('1900-01-01', i);
    }
    expect(isCalendarDay(day)).toBe(true);
  });

  it('counts working days, skipping the weekend', () => {
    expect(weekday('2024-11-29')).toBe(5); // Friday
    expect(addWorkingDays('2024-11-29', 3)).toBe('2024-12-04');
    expect(addWorkingDays('2024-11-25', 3)).toBe('2024-11-28');
  });

  it('writes a day as officials do, the month in Bahasa Indonesia, without a leading zero', () => {
    expect(tanggal('2024-09-05')).toBe('5 September 2024');
    expect(tanggal('2027-01-02')).toBe('2 Januari 2027');
    expect(tanggal('2024-12-31T23:00:00Z')).toBe('31 Desember 2024'); // the day as written
  });
});
