/**
 * Calendar arithmetic on `YYYY-MM-DD` days without a clock or `Date` (the domain has neither): days since
 * 1970-01-01 by Howard Hinnant's civil-from-days algorithms.
 */
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInMonth = (year: number, month: number): number =>
  [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;

export const isValidDay = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

/** `2024-09-20…` → `20 September 2024`: a day as officials write it (messages, pages, certificates). */
export const tanggal = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
};

/** A real calendar day written `YYYY-MM-DD`. */
export const isCalendarDay = (value: string): boolean => {
  const m = DAY_PATTERN.exec(value);
  return m !== null && isValidDay(Number(m[1]), Number(m[2]), Number(m[3]));
};

const daysFromCivil = (y: number, m: number, d: number): number => {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

const civilFromDays = (z: number): string => {
  const shifted = z + 719468;
  const era = Math.floor(shifted / 146097);
  const doe = shifted - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

const toDays = (day: string): number => {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return daysFromCivil(y, m, d);
};

export const addDays = (day: string, days: number): string => civilFromDays(toDays(day) + days);

const INSTANT =
  /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * The regency's calendar day of a day or an instant. A day (`2024-09-20`) is the day written; an instant
 * with its offset is moved to the regency's offset (`utcOffsetMinutes`, from the command's metadata):
 * `2024-09-24T17:30:00Z` is 25 September in Bangli (01:30 WITA), as is `2024-09-25T00:30:00+07:00`.
 */
export const regencyDayOf = (dayOrInstant: string, utcOffsetMinutes: number): string => {
  const m = INSTANT.exec(dayOrInstant);
  if (!m) {
    return dayOrInstant.slice(0, 10);
  }
  const written = m[3] ? 0 : (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
  const minutes = Number(m[1]) * 60 + Number(m[2]) - written + utcOffsetMinutes;
  return addDays(dayOrInstant.slice(0, 10), Math.floor(minutes / 1440));
};

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: string): number => (((toDays(day) + 4) % 7) + 7) % 7;

/** Adds working days (Monday–Friday); national holidays are not modelled. */
export const addWorkingDays = (day: string, days: number): string => {
  let current = day;
  let left = days;
  while (left > 0) {
    current = addDays(current, 1);
    const wd = weekday(current);
    if (wd !== 0 && wd !== 6) {
      left -= 1;
    }
  }
  return current;
};

export const daysBetween = (from: string, to: string): number => toDays(to) - toDays(from);
