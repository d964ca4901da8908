/**
 * Scoring recipes: the exact question, assistant prefix and level words a model was tuned with.
 * The score reads the next-token logits at the five level words (Q-Align / Q-SiT), so these strings
 * are part of each model's method, not presentation.
 */

/** The five quality levels, best first, with the weight G(l) each contributes to the 1–5 score. */
export const LEVELS = [
  { key: 'excellent', label: 'Excellent', weight: 5 },
  { key: 'good', label: 'Good', weight: 4 },
  { key: 'fair', label: 'Fair', weight: 3 },
  { key: 'poor', label: 'Poor', weight: 2 },
  { key: 'bad', label: 'Bad', weight: 1 },
] as const;

export type LevelKey = (typeof LEVELS)[number]['key'];

/** How a model is asked for a rating and where its answer is read. */
export interface ScoringRecipe {
  name: string;
  /** The user turn's text; the image is placed before it, as the chat template does. */
  question: string;
  /** The start of the assistant's answer; the level word is the next token after it. */
  assistantPrefix: string;
  /** Level words in LEVELS order; each must be a single token of the model's vocabulary. */
  levelWords: readonly [string, string, string, string, string];
}

/**
 * Q-SiT (zhangzicheng/q-sit-mini), from eval_scripts/qsit_transformers_test_iqa.py: note the space
 * before each newline, the trailing space of the prefix, and capitalised level words read without a
 * leading space.
 */
export const QSIT_RECIPE: ScoringRecipe = {
  name: 'Q-SiT',
  question:
    'Assume you are an image quality evaluator. \nYour rating should be chosen from the following five categories: Excellent, Good, Fair, Poor, and Bad (from high to low). \nHow would you rate the quality of this image?',
  assistantPrefix: 'The quality of this image is ',
  levelWords: ['Excellent', 'Good', 'Fair', 'Poor', 'Bad'],
};

/** Q-Align: lowercase level words after a space, prefix without trailing space. */
export const QALIGN_RECIPE: ScoringRecipe = {
  name: 'Q-Align',
  question: 'How would you rate the quality of this image?',
  assistantPrefix: 'The quality of the image is',
  levelWords: [' excellent', ' good', ' fair', ' poor', ' bad'],
};

export const RECIPES: Record<string, ScoringRecipe> = {
  qsit: QSIT_RECIPE,
  qalign: QALIGN_RECIPE,
};
