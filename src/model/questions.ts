/**
 * Questions about a photo's quality: their kind (yes/no, multiple choice, open), the suggested
 * questions that cover the papers' kinds, and the confidence of a closed answer read from the
 * first answer token's logits (Q-Bench A1 / Q-Adapt), the same way the score reads level words.
 */
import type { ExplainRecipe } from './explain-recipes.ts';
import { softmax } from './scoring.ts';

/** Yes/no, multiple choice (A/B/C/D) or open (what/how/why, longer answers). */
export type QuestionKind = 'yes-no' | 'choice' | 'open';

/** A question offered to the person, with the kind it was written as. */
export interface SuggestedQuestion {
  text: string;
  kind: QuestionKind;
}

/** Questions of each kind the papers' benchmarks ask, global and in context. */
export const SUGGESTED_QUESTIONS: readonly SuggestedQuestion[] = [
  { text: 'Is the image blurry?', kind: 'yes-no' },
  { text: 'Is there visible noise in the dark areas?', kind: 'yes-no' },
  { text: 'How is the exposure?', kind: 'open' },
  { text: 'Which distortion is most severe?', kind: 'open' },
  {
    text: 'How is the clarity of this image?\nA. High\nB. Medium\nC. Low',
    kind: 'choice',
  },
  {
    text: 'Which problem affects this image most?\nA. Blur\nB. Noise\nC. Over-exposure\nD. Compression artefacts',
    kind: 'choice',
  },
  { text: 'Why is it noisy, and how could I shoot it better?', kind: 'open' },
  { text: 'Which edit would help most?', kind: 'open' },
];

/** Words that open a yes/no question in English. */
const YES_NO_OPENERS = new Set([
  'is',
  'are',
  'was',
  'were',
  'am',
  'do',
  'does',
  'did',
  'can',
  'could',
  'has',
  'have',
  'had',
  'will',
  'would',
  'should',
  'shall',
  'may',
  'might',
  'must',
  "isn't",
  "aren't",
  "wasn't",
  "doesn't",
  "don't",
  "didn't",
  "can't",
  "hasn't",
  "haven't",
]);

const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/**
 * The option letters a multiple-choice question lists ("A. …", "(B) …", "C) …" at the start of a
 * line or after a "?" / ";"), in order from A; empty when fewer than two consecutive options.
 */
export function choiceLetters(question: string): string[] {
  const found = new Set<string>();
  const marker = /(?:^|\n|[?:;]\s*|\s)\(?([A-F])[.)]\s+\S/g;
  for (const match of question.matchAll(marker)) found.add(match[1]!);
  const letters: string[] = [];
  for (const letter of OPTION_LETTERS) {
    if (!found.has(letter)) break;
    letters.push(letter);
  }
  return letters.length >= 2 ? letters : [];
}

/**
 * The kind of a question from its text: listed options make it multiple choice; an auxiliary verb
 * first ("Is…", "Does…", "Can…") makes it yes/no unless it offers alternatives ("… or …?").
 */
export function detectQuestionKind(question: string): QuestionKind {
  if (choiceLetters(question).length > 0) return 'choice';
  const text = question.trim().toLowerCase();
  const first = text.match(/^[a-z']+/)?.[0] ?? '';
  if (YES_NO_OPENERS.has(first) && !/\bor\b/.test(text)) return 'yes-no';
  return 'open';
}

/** The words whose first-token probabilities are read for a question of this kind. */
export function answerWords(kind: QuestionKind, question: string, recipe: ExplainRecipe): string[] {
  if (kind === 'yes-no') return [...recipe.yesNoWords];
  if (kind === 'choice') {
    const letters = choiceLetters(question);
    return letters.length > 0 ? letters : ['A', 'B', 'C', 'D'];
  }
  return [];
}

/** The text sent to the model for a question: multiple choice gets the letter instruction. */
export function questionPrompt(
  kind: QuestionKind,
  question: string,
  recipe: ExplainRecipe,
): string {
  const text = question.trim();
  return kind === 'choice' ? `${text}\n${recipe.choiceInstruction}` : text;
}

/** How sure the model is of a closed answer: the probability of each answer word. */
export interface AnswerConfidence {
  /** Answer words in the order asked (Yes, No / A, B, C, D) with their probabilities (sum 1). */
  options: { word: string; probability: number }[];
  /** The most probable word. */
  top: string;
}

/**
 * Softmax over the first answer step's logits at the answer words' tokens only (like the score
 * over the level words). `tokenIds[i]` is the first token of `words[i]` in the model's vocabulary.
 */
export function answerConfidence(
  logits: ArrayLike<number>,
  tokenIds: readonly number[],
  words: readonly string[],
): AnswerConfidence {
  if (tokenIds.length !== words.length || words.length < 2) {
    throw new Error('An answer confidence needs at least two words, each with its token id.');
  }
  const picked = tokenIds.map((id) => {
    const value = logits[id];
    if (value === undefined || !Number.isFinite(value)) {
      throw new Error(`No finite logit for token ${id}`);
    }
    return value;
  });
  const probabilities = softmax(picked);
  const options = words.map((word, i) => ({ word, probability: probabilities[i]! }));
  const top = options.reduce((best, o) => (o.probability > best.probability ? o : best));
  return { options, top: top.word };
}
