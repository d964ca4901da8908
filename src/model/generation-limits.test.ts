import { describe, expect, it } from 'vitest';
import { generationLimitsFromLink } from './generation-limits.ts';

const read = (query: string) => generationLimitsFromLink(new URLSearchParams(query));

describe('generationLimitsFromLink', () => {
  it('keeps the defaults without parameters and takes values within bounds as they are', () => {
    expect(read('')).toEqual({ maxTokens: null, contextTokens: 2048, notices: [] });
    expect(read('maxTokens=24&context=850')).toEqual({
      maxTokens: 24,
      contextTokens: 850,
      notices: [],
    });
    // The largest values the journeys use (a long description to stop).
    expect(read('maxTokens=3000&context=4096')).toEqual({
      maxTokens: 3000,
      contextTokens: 4096,
      notices: [],
    });
  });

  it('clamps values above the bounds (3,072 new tokens, 4,096 context) and says so', () => {
    const limits = read('maxTokens=999999999&context=100000');
    expect(limits.maxTokens).toBe(3072);
    expect(limits.contextTokens).toBe(4096);
    expect(limits.notices).toEqual([
      'The link asked for answers of 999999999 tokens; limited to 3072 so this tab does not run out of memory.',
      'The link asked for a context of 100000 tokens; limited to 4096 so this tab does not run out of memory.',
    ]);
    expect(read('maxTokens=3073').maxTokens).toBe(3072);
    expect(read('context=4097').contextTokens).toBe(4096);
  });

  it('ignores what is not a positive whole number, with a notice', () => {
    for (const bad of ['abc', '-5', '0', '2.5', '', '1e400']) {
      const limits = read(`maxTokens=${encodeURIComponent(bad)}`);
      expect(limits.maxTokens, bad).toBeNull();
      expect(limits.notices[0], bad).toMatch(/is not a number of tokens/);
    }
  });
});
