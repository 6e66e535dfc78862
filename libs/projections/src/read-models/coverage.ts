/**
 * Pakta coverage as every page, export and certificate shows it: a percentage with one decimal, rounded half
 * up on the exact fraction (12 of 18 is 66.7, not 66.6), and never 100 before every active ASN has signed
 * (1 999 of 2 000 is 99.9, not 100.0). Whole-number arithmetic, so no binary fraction tips a half.
 */
export const coveragePercent = (pledged: number, activeAsn: number): number => {
  if (activeAsn <= 0) {
    return 0;
  }
  const tenths = Math.floor((2000 * pledged + activeAsn) / (2 * activeAsn));
  return (pledged < activeAsn ? Math.min(tenths, 999) : tenths) / 10;
};

/** Whether `pledged` of `activeAsn` reaches `minPercent`, on the exact fraction (never on a rounded one). */
export const coverageReaches = (pledged: number, activeAsn: number, minPercent: number): boolean =>
  activeAsn > 0 && pledged * 100 >= minPercent * activeAsn;
