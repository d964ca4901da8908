/** The eval's statistics against worked values and an independent Spearman (scripts/spearman.ts). */
import { describe, expect, it } from 'vitest';
import { spearman as independentSpearman } from '../spearman.ts';
import {
  averageRanks,
  bootstrap,
  correlations,
  fitLogistic4,
  logistic4,
  pearson,
  seededRandom,
  spearman,
} from './stats.ts';

describe('ranks and Spearman', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 3, 3])).toEqual([2, 2, 2]);
    expect(averageRanks([5, 1, 5, 0, 5])).toEqual([4, 2, 4, 1, 4]);
  });

  it('matches a value worked by hand with ties on one side', () => {
    // Ranks (1, 2.5, 2.5, 4) against (1, 3, 2, 4): Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5.
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });

  it('agrees with the independent implementation on data full of ties', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const a = Array.from({ length: 40 }, () => Math.floor(random() * 6));
      const b = a.map((v) => v + Math.floor(random() * 4));
      expect(spearman(a, b)).toBeCloseTo(independentSpearman(a, b), 12);
    }
  });

  it('is undefined (NaN) for a constant list, not a number that looks like a result', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1, 2], [3, 3])).toBeNaN();
  });
});

describe('four-parameter logistic fit', () => {
  const truth = [4.6, 1.3, 3.1, 0.4];
  const x = Array.from({ length: 60 }, (_, i) => 1 + (4 * i) / 59);
  const y = x.map((v) => logistic4(truth, v));

  it('recovers the parameters of exactly logistic data', () => {
    const fitted = fitLogistic4(x, y)!;
    fitted[3] = Math.abs(fitted[3]);
    for (let i = 0; i < 4; i++) expect(fitted[i]).toBeCloseTo(truth[i]!, 3);
  });

  it('makes PLCC 1 where the raw PLCC is not', () => {
    const c = correlations(x, y, 50, 1);
    expect(c.plccRaw.value).toBeLessThan(0.99);
    expect(c.plcc.value).toBeCloseTo(1, 6);
    expect(c.srcc.value).toBe(1);
  });

  it('never makes PLCC worse than the raw one on noisy monotone data', () => {
    const random = seededRandom(3);
    const noisy = y.map((v) => v + (random() - 0.5) * 0.6);
    const c = correlations(x, noisy, 0, 1);
    expect(c.plcc.value).toBeGreaterThanOrEqual(c.plccRaw.value - 1e-9);
  });
});

describe('bootstrap intervals', () => {
  const random = seededRandom(11);
  const x = Array.from({ length: 80 }, () => random());
  const y = x.map((v) => v + (random() - 0.5) * 0.8);

  it('gives the same interval for the same seed, and another for another seed', () => {
    const a = bootstrap(x, y, spearman, 300, 5);
    const b = bootstrap(x, y, spearman, 300, 5);
    const c = bootstrap(x, y, spearman, 300, 6);
    expect(b).toEqual(a);
    expect(c.low).not.toBe(a.low);
    expect(c.value).toBe(a.value);
  });

  it('holds the statistic inside an interval that narrows with more data', () => {
    const small = bootstrap(x.slice(0, 20), y.slice(0, 20), spearman, 500, 1);
    const large = bootstrap(x, y, spearman, 500, 1);
    for (const e of [small, large]) {
      expect(e.low).toBeLessThan(e.value);
      expect(e.high).toBeGreaterThan(e.value);
    }
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it('is a single point for perfectly ranked data', () => {
    const e = bootstrap([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 12], spearman, 200, 1);
    expect([e.low, e.value, e.high]).toEqual([1, 1, 1]);
  });
});

describe('a score that falls as MOS rises', () => {
  it('keeps a negative PLCC after the fit instead of turning the curve over', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = [4.8, 4.1, 4.3, 3.2, 2.9, 2.2, 2.4, 1.1];
    const c = correlations(x, y, 0, 1);
    expect(c.srcc.value).toBeLessThan(-0.9);
    expect(c.logistic![0]).toBeGreaterThanOrEqual(c.logistic![1]);
    // The best increasing fit is flat or nearly: never a strong positive correlation.
    expect(Number.isNaN(c.plcc.value) || c.plcc.value < 0.1).toBe(true);
  });
});
