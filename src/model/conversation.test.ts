import { describe, expect, it } from 'vitest';
import {
  collapseImageTokens,
  conversationTurns,
  ConversationTooLongError,
  fitConversation,
} from './conversation.ts';
import { expandImageTokens, renderChat, type ChatTurn } from './prompt.ts';

/** Counts a rendered prompt as the model would see it, one "token" per word or tag. */
function wordCount(turns: readonly ChatTurn[]): number {
  const text = expandImageTokens(renderChat(turns), 10);
  return text.split(/(<image>|<\|im_start\|>|<\|im_end\|>|\s+)/).filter((s) => s.trim()).length;
}

const earlier = [
  { question: 'Describe and evaluate the quality of the image.', answer: 'Sharp, a little noisy.' },
  { question: 'Is the image blurry?', answer: 'No.' },
  { question: 'Where is the noise?', answer: 'In the dark sky at the top left.' },
];

describe('conversationTurns', () => {
  it('renders the whole conversation with the chat template, the photo on the first turn', () => {
    const prompt = renderChat(conversationTurns(earlier.slice(0, 2), 'Why?'));
    expect(prompt).toBe(
      '<|im_start|>user\n<image>\nDescribe and evaluate the quality of the image.<|im_end|>\n' +
        '<|im_start|>assistant\nSharp, a little noisy.<|im_end|>\n' +
        '<|im_start|>user\nIs the image blurry?<|im_end|>\n' +
        '<|im_start|>assistant\nNo.<|im_end|>\n' +
        '<|im_start|>user\nWhy?<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
  });

  it('attaches the photo to the question when there is no earlier exchange', () => {
    expect(conversationTurns([], 'Is it sharp?')).toEqual([
      { role: 'user', text: 'Is it sharp?', withImage: true },
    ]);
  });
});

describe('fitConversation', () => {
  const turns = conversationTurns(earlier, 'How could I shoot it better?');

  it('keeps everything that fits', () => {
    const all = wordCount(turns);
    const fitted = fitConversation(turns, wordCount, all);
    expect(fitted).toEqual({ turns, droppedExchanges: 0, tokens: all });
  });

  it('drops the oldest exchanges first and moves the photo to the first remaining turn', () => {
    const withoutFirst = conversationTurns(earlier.slice(1), 'How could I shoot it better?');
    const fitted = fitConversation(turns, wordCount, wordCount(withoutFirst));
    expect(fitted.droppedExchanges).toBe(1);
    expect(fitted.turns).toEqual(withoutFirst);
    expect(fitted.turns[0]).toMatchObject({ text: 'Is the image blurry?', withImage: true });
  });

  it('drops as many as needed, never the photo or the current question', () => {
    const alone = conversationTurns([], 'How could I shoot it better?');
    const fitted = fitConversation(turns, wordCount, wordCount(alone));
    expect(fitted.droppedExchanges).toBe(3);
    expect(fitted.turns).toEqual(alone);
    expect(renderChat(fitted.turns)).toContain('<image>');
  });

  it('refuses when the photo and the question alone are too long', () => {
    const alone = conversationTurns([], 'How could I shoot it better?');
    expect(() => fitConversation(turns, wordCount, wordCount(alone) - 1)).toThrow(
      ConversationTooLongError,
    );
  });

  it('needs a question at the end', () => {
    expect(() => fitConversation([{ role: 'assistant', text: 'Hi' }], wordCount, 100)).toThrow();
  });
});

describe('collapseImageTokens', () => {
  it('shows each run of image tokens once with its count', () => {
    const prompt = expandImageTokens(renderChat(conversationTurns([], 'Sharp?')), 729);
    expect(collapseImageTokens(prompt)).toBe(
      '<|im_start|>user\n<image>×729\nSharp?<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});
