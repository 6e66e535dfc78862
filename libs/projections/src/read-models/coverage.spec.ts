import { coveragePercent, coverageReaches } from './coverage';

describe('coveragePercent', () => {
  it.each([
    [12, 18, 66.7],
    [17, 19, 89.5],
    [1, 3, 33.3],
    [1, 8, 12.5],
    [1, 16, 6.3], // 6.25: the half goes up
    [3, 16, 18.8], // 18.75
    [18, 18, 100],
    [0, 18, 0],
    [0, 0, 0],
  ])('%i of %i is %d%%', (pledged, active, percent) => {
    expect(coveragePercent(pledged, active)).toBe(percent);
  });

  it('never shows 100% while someone has not signed', () => {
    expect(coveragePercent(1999, 2000)).toBe(99.9);
    expect(coveragePercent(19_999, 20_000)).toBe(99.9);
  });

  it('never shows a threshold as reached while the exact fraction is below it', () => {
    expect(coveragePercent(1899, 2000, 95)).toBe(94.9); // 94.95 %: 95.0 would contradict the status
    expect(coveragePercent(1900, 2000, 95)).toBe(95);
    expect(coveragePercent(1998, 2000, 95)).toBe(99.9); // above the threshold, rounded as usual
    expect(coveragePercent(1999, 2000, 95)).toBe(99.9); // and still never 100 before everyone signed
    expect(coveragePercent(1910, 2000, 95.55)).toBe(95.5); // 95.5 % against 95.55
    expect(coveragePercent(19, 20, 0)).toBe(95);
  });
});

describe('coverageReaches', () => {
  it.each([
    [19, 20, 95, true],
    [18, 19, 95, false], // 94.7 %
    [1899, 2000, 95, false], // 94.95 %: below 95 on the exact fraction (shown as 94.9)
    [2000, 2000, 100, true],
    [1999, 2000, 100, false],
    [0, 0, 0, false], // no active ASN: nothing to reach
  ])('%i of %i reaches %i %%: %s', (pledged, active, min, expected) => {
    expect(coverageReaches(pledged, active, min)).toBe(expected);
  });
});
