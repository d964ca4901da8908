import { describe, expect, it } from 'vitest';
import { tooSmallToScore, verdictForScore } from './verdict.ts';

describe('verdictForScore', () => {
  it('names the level whose weight is nearest to the score', () => {
    // Expected levels written by hand from G: 5 excellent, 4 good, 3 fair, 2 poor, 1 bad.
    const cases: [number, string][] = [
      [5, 'excellent'],
      [4.6, 'excellent'],
      [4.5, 'excellent'],
      [4.49, 'good'],
      [3.51, 'good'],
      [3.5, 'good'],
      [3.06, 'fair'], // the score, whose most probable level was "excellent"
      [2.5, 'fair'],
      [2.49, 'poor'],
      [1.5, 'poor'],
      [1.49, 'bad'],
      [1, 'bad'],
    ];
    for (const [score, level] of cases) expect(verdictForScore(score), String(score)).toBe(level);
  });

  it('stays on the scale for values just outside it (rounding)', () => {
    expect(verdictForScore(5.0000001)).toBe('excellent');
    expect(verdictForScore(0.9999999)).toBe('bad');
  });
});

describe('tooSmallToScore', () => {
  it('flags pictures with a side shorter than the 27-patch grid', () => {
    expect(tooSmallToScore(1, 1)).toMatch(/only 1 pixel wide and tall \(1 × 1\)/);
    expect(tooSmallToScore(8, 8)).toMatch(/only 8 pixels wide and tall/);
    expect(tooSmallToScore(3000, 2)).toMatch(/only 2 pixels tall \(3000 × 2\)/);
    expect(tooSmallToScore(2, 3000)).toMatch(/only 2 pixels wide \(2 × 3000\)/);
    expect(tooSmallToScore(15, 4000)).toMatch(/not meaningful/);
    expect(tooSmallToScore(26, 26)).not.toBeNull();
  });

  it('lets pictures of 27 px and more be judged, and ignores unknown sizes', () => {
    expect(tooSmallToScore(27, 27)).toBeNull();
    expect(tooSmallToScore(640, 27)).toBeNull();
    expect(tooSmallToScore(1680, 1050)).toBeNull();
    expect(tooSmallToScore(0, 0)).toBeNull();
    expect(tooSmallToScore(Number.NaN, 10)).toBeNull();
  });
});
