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
});

describe('coverageReaches', () => {
  it.each([
    [19, 20, 95, true],
    [18, 19, 95, false], // 94.7 %
    [1899, 2000, 95, false], // 94.95 %: shown rounded as 95.0, yet below 95 on the exact fraction
    [2000, 2000, 100, true],
    [1999, 2000, 100, false],
    [0, 0, 0, false], // no active ASN: nothing to reach
  ])('%i of %i reaches %i %%: %s', (pledged, active, min, expected) => {
    expect(coverageReaches(pledged, active, min)).toBe(expected);
  });
});
