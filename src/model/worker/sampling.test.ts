import { describe, expect, it } from 'vitest';
import { argmax, penaliseRepeats, sampleToken, seededRandom, topK } from './sampling.ts';

describe('token choice', () => {
  it('argmax and topK find the largest logits', () => {
    const logits = [0.1, 3, -1, 2.5, 3];
    expect(argmax(logits)).toBe(1);
    expect(topK(logits, 3)).toEqual([
      [1, 3],
      [4, 3],
      [3, 2.5],
    ]);
  });

  it('penalises generated tokens on both sides of zero', () => {
    const logits = Float32Array.of(2, -2, 1);
    penaliseRepeats(logits, [0, 1, 0], 2);
    expect(Array.from(logits)).toEqual([1, -4, 1]);
  });

  it('samples only within the nucleus, in proportion to probability', () => {
    const logits = [Math.log(0.6), Math.log(0.3), Math.log(0.1)];
    const random = seededRandom(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      counts[sampleToken(logits, { temperature: 1, topP: 0.85, topK: 3 }, random)]!++;
    }
    expect(counts[2]).toBe(0);
    expect(counts[0]! / 4000).toBeGreaterThan(0.6);
    expect(counts[0]! / 4000).toBeLessThan(0.73);
  });
});
