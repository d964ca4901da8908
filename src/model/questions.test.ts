import { describe, expect, it } from 'vitest';
import { PATHWAY_RECIPE } from './explain-recipes.ts';
import {
  answerConfidence,
  answerWords,
  choiceLetters,
  detectQuestionKind,
  questionPrompt,
  SUGGESTED_QUESTIONS,
} from './questions.ts';

describe('detectQuestionKind', () => {
  it('finds yes/no questions by their opening verb', () => {
    expect(detectQuestionKind('Is the image blurry?')).toBe('yes-no');
    expect(detectQuestionKind('  does the sky show banding?')).toBe('yes-no');
    expect(detectQuestionKind("Isn't it over-exposed?")).toBe('yes-no');
    expect(detectQuestionKind('Can I print it large?')).toBe('yes-no');
  });

  it('treats alternatives and wh-questions as open', () => {
    expect(detectQuestionKind('Is it sharp or blurry?')).toBe('open');
    expect(detectQuestionKind('How is the exposure?')).toBe('open');
    expect(detectQuestionKind('Which distortion is most severe?')).toBe('open');
    expect(detectQuestionKind('Why is it noisy, and how could I shoot it better?')).toBe('open');
    expect(detectQuestionKind('Island colours look off')).toBe('open');
  });

  it('finds multiple choice by its listed options', () => {
    expect(detectQuestionKind('How is the clarity?\nA. High\nB. Medium\nC. Low')).toBe('choice');
    expect(detectQuestionKind('Is the noise (A) strong (B) weak?')).toBe('choice');
    expect(detectQuestionKind('Which is worse? A) blur B) noise C) banding D) haze')).toBe(
      'choice',
    );
  });

  it('agrees with the declared kind of every suggested question', () => {
    for (const q of SUGGESTED_QUESTIONS) expect(detectQuestionKind(q.text), q.text).toBe(q.kind);
  });

  it('covers yes/no, multiple choice and open questions among the suggestions', () => {
    const kinds = new Set(SUGGESTED_QUESTIONS.map((q) => q.kind));
    expect(kinds).toEqual(new Set(['yes-no', 'choice', 'open']));
  });
});

describe('choiceLetters and answer words', () => {
  it('lists consecutive options from A', () => {
    expect(choiceLetters('Q?\nA. x\nB. y\nC. z')).toEqual(['A', 'B', 'C']);
    expect(choiceLetters('Q?\nA. x\nC. z')).toEqual([]);
    expect(choiceLetters('A. only one')).toEqual([]);
  });

  it('reads Yes/No for yes/no, the listed letters for choices, nothing for open', () => {
    expect(answerWords('yes-no', 'Is it sharp?', PATHWAY_RECIPE)).toEqual(['Yes', 'No']);
    expect(answerWords('choice', 'Q?\nA. x\nB. y', PATHWAY_RECIPE)).toEqual(['A', 'B']);
    expect(answerWords('open', 'Why?', PATHWAY_RECIPE)).toEqual([]);
  });

  it("asks for the option's letter on multiple choice only", () => {
    expect(questionPrompt('choice', 'Q?\nA. x\nB. y ', PATHWAY_RECIPE)).toBe(
      "Q?\nA. x\nB. y\nAnswer with the option's letter from the given choices directly.",
    );
    expect(questionPrompt('yes-no', ' Is it sharp? ', PATHWAY_RECIPE)).toBe('Is it sharp?');
  });
});

describe('answerConfidence', () => {
  it('is a softmax over the answer tokens only, whatever the other logits', () => {
    const logits = new Float32Array(10).fill(0);
    logits[3] = 2; // Yes
    logits[7] = 0; // No
    logits[5] = 50; // an unrelated, far likelier token
    const c = answerConfidence(logits, [3, 7], ['Yes', 'No']);
    const yes = Math.exp(2) / (Math.exp(2) + 1);
    expect(c.options[0]!.probability).toBeCloseTo(yes, 10);
    expect(c.options[1]!.probability).toBeCloseTo(1 - yes, 10);
    expect(c.top).toBe('Yes');
  });

  it('handles four options and picks the likeliest', () => {
    const logits = [0, 1, 3, 2];
    const c = answerConfidence(logits, [0, 1, 2, 3], ['A', 'B', 'C', 'D']);
    expect(c.options.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 12);
    expect(c.top).toBe('C');
  });

  it('refuses a missing or non-finite logit', () => {
    expect(() => answerConfidence([0, 1], [0, 5], ['Yes', 'No'])).toThrow();
    expect(() => answerConfidence([0, NaN], [0, 1], ['Yes', 'No'])).toThrow();
  });
});
