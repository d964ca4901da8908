/**
 * Two photos compared in one prompt (Q-Bench pairs, Co-Instruct): the questions, the two-image
 * prompt in the LLaVA-OneVision chat template, and how the answer words' probabilities become a
 * preference. The model is asked in both orders, because a small model leans towards one slot
 * whatever it sees; the two readings are averaged and shown apart when they disagree.
 */
import { IMAGE_TOKEN } from './prompt.ts';

/** What a comparison asks about: quality overall, or one attribute. */
export type CompareAspect = 'overall' | 'sharpness' | 'exposure' | 'noise';

/** One question of a comparison, answered with the first or the second image. */
export interface CompareQuestion {
  aspect: CompareAspect;
  /** Short label the UI shows ("Better quality", "Sharper"…). */
  label: string;
  question: string;
}

/**
 * The words whose first-token probabilities are read as the answer (looked up in the vocabulary;
 * capitalised and without a leading space, as the answer starts the assistant turn).
 */
export const ANSWER_WORDS = ['First', 'Second'] as const;

const ANSWER_RULE = 'Answer with First or Second, then say why in one or two sentences.';

/** The overall question and the per-attribute ones, in the order the UI shows them. */
export const COMPARE_QUESTIONS: readonly CompareQuestion[] = [
  {
    aspect: 'overall',
    label: 'Better quality',
    question: `Which of the two images has better quality, the first or the second? ${ANSWER_RULE}`,
  },
  {
    aspect: 'sharpness',
    label: 'Sharper',
    question: `Which of the two images is sharper, the first or the second? ${ANSWER_RULE}`,
  },
  {
    aspect: 'exposure',
    label: 'Better exposed',
    question: `Which of the two images is better exposed, the first or the second? ${ANSWER_RULE}`,
  },
  {
    aspect: 'noise',
    label: 'Less noisy',
    question: `Which of the two images is less noisy, the first or the second? ${ANSWER_RULE}`,
  },
];

/** The question of an aspect. */
export function compareQuestion(aspect: CompareAspect): CompareQuestion {
  const found = COMPARE_QUESTIONS.find((q) => q.aspect === aspect);
  if (!found) throw new Error(`Unknown comparison aspect: ${aspect}`);
  return found;
}

/**
 * The start every question about an ordered pair shares: the user turn's header and both images
 * (one `<image>\n` each, images before text, as the chat template renders a turn's content).
 */
export function pairPrefix(): string {
  return `<|im_start|>user\n${IMAGE_TOKEN}\n${IMAGE_TOKEN}\n`;
}

/** The whole two-image prompt for one question, ending where the model's answer starts. */
export function renderPairPrompt(question: string): string {
  return `${pairPrefix()}${question}<|im_end|>\n<|im_start|>assistant\n`;
}

/**
 * Image tokens per photo in a multi-image prompt. transformers' LLaVA-OneVision shows each image
 * of a multi-image prompt as one base crop (no anyres tiles) followed by one `image_newline` row,
 * so a 384-px SigLIP gives 729 + 1. A model folder without image_newline.json gets 729.
 */
export function pairImageTokens(baseTokens: number, hasNewline: boolean): number {
  return baseTokens + (hasNewline ? 1 : 0);
}

/**
 * Where each photo's image tokens sit in the prompt's ids: runs of `imageTokenId`, in order.
 * Used to check the layout (two runs of the expected length) before the decoder runs.
 */
export function imageTokenRuns(
  ids: readonly number[],
  imageTokenId: number,
): { start: number; length: number }[] {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== imageTokenId) continue;
    const last = runs.at(-1);
    if (last && last.start + last.length === i) last.length++;
    else runs.push({ start: i, length: 1 });
  }
  return runs;
}

/** Probability of the first answer word against the second (softmax over their two logits). */
export function firstProbability(logits: ArrayLike<number>, answerIds: readonly number[]): number {
  const [first, second] = answerIds;
  if (first === undefined || second === undefined) throw new Error('Two answer ids are needed.');
  const a = logits[first]!;
  const b = logits[second]!;
  const top = Math.max(a, b);
  const ea = Math.exp(a - top);
  const eb = Math.exp(b - top);
  return ea / (ea + eb);
}

/** How far apart the two orders may be before both are shown as a disagreement. */
export const ORDER_DISAGREEMENT = 0.2;

/** One aspect judged in both orders: everything expressed as "the left photo (A) is better". */
export interface PairPreference {
  aspect: CompareAspect;
  /** P(A better) asked with A shown first: P("First"). */
  aFirst: number;
  /** P(A better) asked with B shown first: P("Second") of the swapped prompt. */
  bFirst: number;
  /** Their mean: the order bias cancels to first order. */
  average: number;
  /** How much the model leans towards whichever photo it sees first (0: none, ±0.5 at most). */
  firstSlotLean: number;
  /** Whether the two orders differ by more than ORDER_DISAGREEMENT or pick different photos. */
  disagree: boolean;
}

/**
 * Combines the two orders' P("First"): `forward` from the prompt with A first, `swapped` from the
 * prompt with B first (where A is the second image).
 */
export function combineOrders(
  aspect: CompareAspect,
  forward: number,
  swapped: number,
): PairPreference {
  const aFirst = forward;
  const bFirst = 1 - swapped;
  const picksDiffer = aFirst !== 0.5 && bFirst !== 0.5 && aFirst > 0.5 !== bFirst > 0.5;
  return {
    aspect,
    aFirst,
    bFirst,
    average: (aFirst + bFirst) / 2,
    firstSlotLean: (forward + swapped) / 2 - 0.5,
    disagree: Math.abs(aFirst - bFirst) > ORDER_DISAGREEMENT || picksDiffer,
  };
}

/** Which photo a preference picks, or neither when it is within `margin` of even. */
export function preferredSide(pAFirst: number, margin = 0.02): 'a' | 'b' | 'even' {
  if (pAFirst > 0.5 + margin) return 'a';
  if (pAFirst < 0.5 - margin) return 'b';
  return 'even';
}
