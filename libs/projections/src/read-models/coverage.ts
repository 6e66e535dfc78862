/**
 * Pakta coverage as every page, export and certificate shows it: a percentage with one decimal, rounded half
 * up on the exact fraction (12 of 18 is 66.7, not 66.6), and never up to `minPercent` (by default 100) before
 * the exact fraction reaches it: 1 999 of 2 000 is 99.9, not 100.0, and against a 95 % threshold 1 899 of
 * 2 000 (94.95 %) is 94.9, so the figure shown never contradicts the status judged on the exact fraction
 * ({@link coverageReaches}). Whole-number arithmetic, so no binary fraction tips a half.
 */
export const coveragePercent = (pledged: number, activeAsn: number, minPercent = 100): number => {
  if (activeAsn <= 0) {
    return 0;
  }
  const rounded = Math.floor((2000 * pledged + activeAsn) / (2 * activeAsn));
  const tenths = pledged < activeAsn ? Math.min(rounded, 999) : rounded;
  const below = Math.ceil(minPercent * 10) - 1;
  return (coverageReaches(pledged, activeAsn, minPercent) ? tenths : Math.min(tenths, below)) / 10;
};

/** Whether `pledged` of `activeAsn` reaches `minPercent`, on the exact fraction (never on a rounded one). */
export const coverageReaches = (pledged: number, activeAsn: number, minPercent: number): boolean =>
  activeAsn > 0 && pledged * 100 >= minPercent * activeAsn;
