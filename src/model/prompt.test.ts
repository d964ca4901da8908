import { describe, expect, it } from 'vitest';
import { expandImageTokens, renderChat } from './prompt.ts';
import { QSIT_RECIPE } from './recipes.ts';

describe('renderChat', () => {
  it('renders the Q-SiT scoring prompt as the chat template does, image first', () => {
    const prompt = renderChat(
      [{ role: 'user', text: QSIT_RECIPE.question, withImage: true }],
      QSIT_RECIPE.assistantPrefix,
    );
    expect(prompt).toBe(
      '<|im_start|>user\n<image>\nAssume you are an image quality evaluator. \nYour rating should be chosen from the following five categories: Excellent, Good, Fair, Poor, and Bad (from high to low). \nHow would you rate the quality of this image?<|im_end|>\n<|im_start|>assistant\nThe quality of this image is ',
    );
  });

  it('renders earlier turns in order with the image only where attached', () => {
    const prompt = renderChat([
      { role: 'user', text: 'Is it sharp?', withImage: true },
      { role: 'assistant', text: 'No.' },
      { role: 'user', text: 'Why?' },
    ]);
    expect(prompt).toBe(
      '<|im_start|>user\n<image>\nIs it sharp?<|im_end|>\n<|im_start|>assistant\nNo.<|im_end|>\n<|im_start|>user\nWhy?<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});

describe('expandImageTokens', () => {
  it('puts exactly one image token per feature row', () => {
    const out = expandImageTokens('a<image>\nb', 729);
    expect(out.match(/<image>/g)?.length).toBe(729);
    expect(out.startsWith('a<image>')).toBe(true);
    expect(out.endsWith('<image>\nb')).toBe(true);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => expandImageTokens('<image>', 0)).toThrow();
    expect(() => expandImageTokens('<image>', 1.5)).toThrow();
  });
});
