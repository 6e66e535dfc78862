import { echoed } from './echo';

describe('echoed', () => {
  it('keeps a value of up to 64 characters whole', () => {
    expect(echoed('dinas-kesehatan')).toBe('dinas-kesehatan');
    expect(echoed('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('shortens a longer one to its first 60 characters and an ellipsis', () => {
    expect(echoed('x'.repeat(5_000))).toBe(`${'x'.repeat(60)}…`);
  });

  it('counts characters, not UTF-16 units, and never cuts one in half', () => {
    expect(echoed('𝕏'.repeat(64))).toBe('𝕏'.repeat(64));
    expect(echoed(`a${'𝕏'.repeat(100)}`)).toBe(`a${'𝕏'.repeat(59)}…`);
  });
});
