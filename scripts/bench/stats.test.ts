import { describe, expect, it } from 'vitest';
import { summarise } from './stats.ts';

describe('summarise', () => {
  it('gives min, median and max of odd and even sets', () => {
    expect(summarise([3, 1, 2])).toMatchObject({ n: 3, min: 1, median: 2, max: 3 });
    expect(summarise([4, 1, 3, 2])).toMatchObject({ n: 4, min: 1, median: 2.5, max: 4 });
  });

  it('keeps the repeats in their order', () => {
    expect(summarise([3, 1]).values).toEqual([3, 1]);
  });

  it('reports an empty set as NaN rather than zero', () => {
    expect(summarise([]).median).toBeNaN();
  });
});
