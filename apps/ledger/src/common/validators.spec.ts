import { isDayOrInstant } from './validators';

describe('isDayOrInstant', () => {
  it.each([
    '2024-09-20',
    '2024-09-20T10:00Z',
    '2024-09-20T10:00:00+08:00',
    '2024-09-20T23:59:59.123456789-05:30',
    '2024-02-29T00:00:00Z',
    '2024-09-20T10:00:00+14:00',
  ])('accepts %s', (value) => {
    expect(isDayOrInstant(value)).toBe(true);
  });

  it.each([
    '2024-02-30',
    '2023-02-29T10:00Z',
    '2024-09-20T25:00Z',
    '2024-09-20T10:99Z',
    '2024-09-20T10:00:61Z',
    '2024-09-20T10:00+99:99',
    '2024-09-20T10:00+08:60',
    '2024-09-20T10:00+15:00',
    '2024-09-20T10:00',
    '2024-09-20 10:00Z',
    '20240920',
  ])('refuses %s', (value) => {
    expect(isDayOrInstant(value)).toBe(false);
  });
});
