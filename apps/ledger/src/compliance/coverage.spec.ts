import { coveragePercent } from './coverage';

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
