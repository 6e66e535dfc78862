import { addDays } from './calendar';
import type { FieldProblems } from './rules';

/**
 * Dates a person types that are certainly wrong, whatever the election: Netral records the neutrality of
 * today's ASN, so a day before 2000 is a slip of the keyboard (`1900`, `0024`), and so is one more than ten
 * years ahead. Anything between is left to the rules of each command (not in the future, after a step).
 */
export const EARLIEST_PLAUSIBLE_DAY = '2000-01-01';
export const PLAUSIBLE_YEARS_AHEAD = 10;

export const latestPlausibleDay = (today: string): string =>
  addDays(today, PLAUSIBLE_YEARS_AHEAD * 365 + 2);

/** Adds a `DATE_IMPLAUSIBLE` problem for `field` when `day` (YYYY-MM-DD) is outside the plausible range. */
export const checkPlausibleDay = (
  problems: FieldProblems,
  field: string,
  day: string,
  today: string,
): void => {
  if (day < EARLIEST_PLAUSIBLE_DAY) {
    problems.add(
      field,
      `tanggal ${day} tidak masuk akal: paling awal ${EARLIEST_PLAUSIBLE_DAY} (periksa tahunnya)`,
      'DATE_IMPLAUSIBLE',
    );
  } else if (day > latestPlausibleDay(today)) {
    problems.add(
      field,
      `tanggal ${day} tidak masuk akal: lebih dari ${PLAUSIBLE_YEARS_AHEAD} tahun ke depan (periksa tahunnya)`,
      'DATE_IMPLAUSIBLE',
    );
  }
};
