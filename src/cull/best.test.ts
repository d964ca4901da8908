import { describe, expect, it } from 'vitest';
import { chooseBest, type BestCandidate } from './best.ts';
import { NO_MARKS } from './marks.ts';

const frame = (id: string, over: Partial<BestCandidate> = {}): BestCandidate => ({
  id,
  score: 3.5,
  sharpness: 20,
  highlights: 0,
  shadows: 0,
  ev: 0,
  marks: NO_MARKS,
  ...over,
});

describe('chooseBest', () => {
  it('picks the highest score and says why in one line from the numbers', () => {
    const best = chooseBest([
      frame('a', { score: 3.2, sharpness: 18 }),
      frame('b', { score: 4.1, sharpness: 22 }),
      frame('c', { score: 3.9, sharpness: 19 }),
      frame('d', { score: 3.5, sharpness: 21 }),
      frame('e', { score: 3.3, sharpness: 20 }),
      frame('f', { score: 3.6, sharpness: 19.5 }),
    ]);
    expect(best).toEqual({
      photoId: 'b',
      reason: 'sharpest of 6; score 4.1 vs 3.2–3.9; no clipped highlights',
      byPhotographer: false,
    });
  });

  it('breaks a tie of scores by sharpness, then by clipping', () => {
    expect(
      chooseBest([
        frame('a', { score: 3.51, sharpness: 19 }),
        frame('b', { score: 3.5, sharpness: 20 }),
      ])?.photoId,
    ).toBe('b');
    const byClipping = chooseBest([
      frame('a', { highlights: 0.004 }),
      frame('b', { highlights: 0.002 }),
    ]);
    expect(byClipping?.photoId).toBe('b');
    expect(byClipping?.reason).toBe('sharpest of 2; score 3.5 vs 3.5; 0.2 % clipped highlights');
  });

  it('sets aside a softer, a clipped and an off-exposed frame even when they score higher', () => {
    const best = chooseBest([
      frame('soft', { score: 4.5, sharpness: 8 }),
      frame('blown', { score: 4.4, highlights: 0.3, ev: 0.3 }),
      frame('bright', { score: 4.3, ev: 1.2 }),
      frame('dark', { score: 4.2, ev: -1 }),
      frame('good', { score: 3.4 }),
      frame('good too', { score: 3.3, sharpness: 19 }),
    ]);
    expect(best?.photoId).toBe('good');
    expect(best?.reason).toBe(
      'sharpest of 6; score 3.4 vs 3.3–4.5; higher-scored frames are softer or clipped or brighter or darker; no clipped highlights',
    );
  });

  it('lets the photographer’s pick win, and never chooses a rejected frame', () => {
    const marks = { ...NO_MARKS, flag: 'pick' as const };
    const best = chooseBest([frame('a', { score: 4.8 }), frame('b', { score: 2, marks })]);
    expect(best).toEqual({ photoId: 'b', reason: 'your pick of 2', byPhotographer: true });
    const rejected = { ...NO_MARKS, flag: 'reject' as const };
    expect(chooseBest([frame('a', { score: 4.8, marks: rejected }), frame('b')])?.photoId).toBe(
      'b',
    );
    expect(chooseBest([frame('a', { marks: rejected })])).toBeNull();
  });

  it('chooses on the measures before scores arrive, and says so', () => {
    const best = chooseBest([
      frame('a', { score: null, sharpness: 12 }),
      frame('b', { score: null, sharpness: 25 }),
    ]);
    expect(best?.photoId).toBe('b');
    expect(best?.reason).toBe('sharpest of 2; not scored yet; no clipped highlights');
  });

  it('calls a photo alone the best of its group of one', () => {
    expect(chooseBest([frame('a')])).toEqual({
      photoId: 'a',
      reason: 'no similar frames',
      byPhotographer: false,
    });
  });
});
