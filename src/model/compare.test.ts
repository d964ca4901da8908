import { describe, expect, it } from 'vitest';
import {
  combineOrders,
  COMPARE_QUESTIONS,
  firstProbability,
  imageTokenRuns,
  pairPrefix,
  preferredSide,
  renderPairPrompt,
} from './compare.ts';
import { photoPrefix, renderChat } from './prompt.ts';

describe('the two-image prompt', () => {
  it('follows the chat template: both images before the text, one <image>\\n each', () => {
    const prompt = renderPairPrompt('Which?');
    expect(prompt).toBe(
      '<|im_start|>user\n<image>\n<image>\nWhich?<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(prompt.startsWith(pairPrefix())).toBe(true);
    // One image less is exactly the single-photo prompt the rest of the app renders.
    expect(prompt.replace('<image>\n', '')).toBe(
      renderChat([{ role: 'user', text: 'Which?', withImage: true }]),
    );
    expect(pairPrefix().startsWith(photoPrefix())).toBe(true);
  });

  it('asks overall and per attribute, each naming the answer words', () => {
    expect(COMPARE_QUESTIONS.map((q) => q.aspect)).toEqual([
      'overall',
      'sharpness',
      'exposure',
      'noise',
    ]);
    for (const q of COMPARE_QUESTIONS) expect(q.question).toContain('Answer with First or Second');
  });

  it('finds the runs of image tokens in order', () => {
    expect(imageTokenRuns([1, 9, 9, 2, 9, 9, 3], 9)).toEqual([
      { start: 1, length: 2 },
      { start: 4, length: 2 },
    ]);
    expect(imageTokenRuns([1, 2], 9)).toEqual([]);
  });
});

describe('the preference', () => {
  it('is the softmax of the two answer logits', () => {
    const logits = new Float32Array([0, 2, 0, 1]);
    expect(firstProbability(logits, [1, 3])).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(firstProbability(logits, [3, 1])).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
    // Large logits do not overflow.
    expect(firstProbability(new Float32Array([1000, 999]), [0, 1])).toBeCloseTo(0.731, 3);
  });

  it('reads the swapped order as P(Second) for A, averages, and measures the first-slot lean', () => {
    // A model that always says "First" with 0.8 whatever it sees: pure order bias.
    const biased = combineOrders('overall', 0.8, 0.8);
    expect(biased.aFirst).toBeCloseTo(0.8);
    expect(biased.bFirst).toBeCloseTo(0.2);
    expect(biased.average).toBeCloseTo(0.5);
    expect(biased.firstSlotLean).toBeCloseTo(0.3);
    expect(biased.disagree).toBe(true);
    // A consistent model that prefers A in both orders.
    const consistent = combineOrders('sharpness', 0.7, 0.35);
    expect(consistent.bFirst).toBeCloseTo(0.65);
    expect(consistent.average).toBeCloseTo(0.675);
    expect(consistent.disagree).toBe(false);
  });

  it('flags orders more than 0.2 apart, or picking different photos, as disagreeing', () => {
    expect(combineOrders('overall', 0.95, 0.3).disagree).toBe(true); // 0.95 vs 0.7
    expect(combineOrders('overall', 0.9, 0.25).disagree).toBe(false); // 0.9 vs 0.75
    expect(combineOrders('overall', 0.55, 0.55).disagree).toBe(true); // 0.55 vs 0.45
  });

  it('names a side only outside a small margin around even', () => {
    expect(preferredSide(0.6)).toBe('a');
    expect(preferredSide(0.4)).toBe('b');
    expect(preferredSide(0.51)).toBe('even');
  });
});
