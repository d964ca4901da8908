import { describe, expect, it } from 'vitest';
import { scoreFromLevelLogits, softmax } from './scoring.ts';

describe('scoreFromLevelLogits', () => {
  it('gives equal probabilities and the middle score for equal logits', () => {
    const s = scoreFromLevelLogits([2, 2, 2, 2, 2]);
    for (const p of s.probabilities) expect(p).toBeCloseTo(0.2, 12);
    expect(s.score).toBeCloseTo(3, 12);
    expect(s.score100).toBeCloseTo(50, 10);
  });

  it('matches a hand-computed softmax and weighted sum', () => {
    // logits ln(4), ln(3), ln(2), ln(1), -inf-ish → p = 4/10, 3/10, 2/10, 1/10, ~0
    const s = scoreFromLevelLogits([Math.log(4), Math.log(3), Math.log(2), 0, -80]);
    expect(s.probabilities[0]).toBeCloseTo(0.4, 10);
    expect(s.probabilities[3]).toBeCloseTo(0.1, 10);
    expect(s.score).toBeCloseTo(0.4 * 5 + 0.3 * 4 + 0.2 * 3 + 0.1 * 2, 10);
    expect(s.topLevel).toBe('excellent');
  });

  it('reaches the ends of the scale when one level dominates', () => {
    expect(scoreFromLevelLogits([0, 0, 0, 0, 50]).score).toBeCloseTo(1, 6);
    expect(scoreFromLevelLogits([50, 0, 0, 0, 0]).score100).toBeCloseTo(100, 4);
    expect(scoreFromLevelLogits([0, 0, 0, 0, 50]).topLevel).toBe('bad');
  });

  it('is the Q-SiT 0–1 form rescaled: (S − 1) / 4 equals Σ p·[1, .75, .5, .25, 0]', () => {
    const s = scoreFromLevelLogits([0.3, 1.2, -0.5, 0.1, 2.2]);
    const qsit = [1, 0.75, 0.5, 0.25, 0].reduce((a, w, i) => a + w * s.probabilities[i]!, 0);
    expect((s.score - 1) / 4).toBeCloseTo(qsit, 12);
  });

  it('is unchanged by adding a constant to every logit and stable for huge logits', () => {
    const a = scoreFromLevelLogits([1, 2, 3, 4, 5]);
    const b = scoreFromLevelLogits([1001, 1002, 1003, 1004, 1005]);
    expect(b.score).toBeCloseTo(a.score, 10);
    expect(softmax([1e4, 1e4]).every(Number.isFinite)).toBe(true);
  });

  it('refuses the wrong number of logits and non-finite logits', () => {
    expect(() => scoreFromLevelLogits([1, 2, 3])).toThrow(/5 level logits/);
    expect(() => scoreFromLevelLogits([NaN, 0, 0, 0, 0])).toThrow(/non-finite/);
  });
});
