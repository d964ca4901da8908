import { describe, expect, it } from 'vitest';
import { hangLimitFromLink } from './hang-limit.ts';

const read = (query: string) => hangLimitFromLink(new URLSearchParams(query));

describe('hangLimitFromLink', () => {
  it('is 180 s without a parameter, and says nothing', () => {
    expect(read('')).toEqual({ ms: 180_000, notice: null });
  });

  it('takes whole seconds within 5–600 s and says the link changed it', () => {
    const limit = read('hang=5');
    expect(limit.ms).toBe(5_000);
    expect(limit.notice).toContain('hang limit to 5 s');
    expect(limit.notice).toContain('default is 180 s');
    expect(read('hang=600').ms).toBe(600_000);
  });

  it('clamps values outside the bounds and says what was asked', () => {
    expect(read('hang=1')).toMatchObject({ ms: 5_000 });
    expect(read('hang=1').notice).toContain('asked for 1 s');
    expect(read('hang=999999999')).toMatchObject({ ms: 600_000 });
    expect(read('hang=999999999').notice).toContain('asked for 999999999 s');
  });

  it('ignores what is not a whole positive number, with a notice', () => {
    for (const bad of ['', 'abc', '2.5', '-3', '0', 'Infinity']) {
      const limit = read(`hang=${bad}`);
      expect(limit.ms, bad).toBe(180_000);
      expect(limit.notice, bad).toContain('is not a number of seconds');
    }
  });
});
