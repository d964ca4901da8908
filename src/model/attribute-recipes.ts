/**
 * The attribute panel's prompts, all in one place: one rating question per low-level attribute,
 * read exactly as the overall score is (the level word after a fixed answer prefix), and yes/no
 * checks read as the chat's closed answers (the first token of Yes against No). Each prompt says
 * where its wording comes from. Answer words are looked up in the model's vocabulary at run time.
 */

/** Where a prompt's wording comes from. */
export type PromptSource =
  | 'Q-Align/Q-SiT rating form'
  | 'Q-Instruct pathway attribute'
  | 'Q-Bench A1 yes/no'
  | 'Q-Adapt attribute-wise';

/** One attribute rated on the five quality levels. */
export interface AttributeRating {
  key: 'sharpness' | 'noise' | 'exposure' | 'colour' | 'contrast' | 'compression' | 'composition';
  label: string;
  /** The user turn (the photo is placed before it). */
  question: string;
  /**
   * Started for the model; the level word is its next token. Written without a trailing space:
   * the space follows the scoring recipe's (Q-SiT's prefix ends in one, Q-Align's does not).
   */
  assistantPrefix: string;
  source: PromptSource;
  /** What a high level means for this attribute, for the panel's words. */
  highMeans: string;
}

/** One yes/no check with its confidence. */
export interface YesNoCheck {
  key: 'motion-blur' | 'out-of-focus' | 'blown-highlights' | 'eyes-closed' | 'heavy-compression';
  label: string;
  question: string;
  source: PromptSource;
}

/**
 * The rating form of Q-SiT's scoring question (src/model/recipes.ts) with the attribute named, so
 * the level words and their reading are the overall score's.
 */
function ratingQuestion(attribute: string): string {
  return (
    `Assume you are an image quality evaluator. \nYour rating should be chosen from the following five categories: Excellent, Good, Fair, Poor, and Bad (from high to low). \n` +
    `How would you rate the ${attribute} of this image?`
  );
}

/** The attributes of the Q-Instruct pathway, in its order, plus composition (Q-Adapt). */
export const ATTRIBUTE_RATINGS: readonly AttributeRating[] = [
  {
    key: 'sharpness',
    label: 'Sharpness / focus',
    question: ratingQuestion('sharpness and focus'),
    assistantPrefix: 'The sharpness and focus of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'sharp',
  },
  {
    key: 'noise',
    label: 'Noise',
    question: ratingQuestion('noise level (Excellent means no visible noise)'),
    assistantPrefix: 'The noise level of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'clean',
  },
  {
    key: 'exposure',
    label: 'Exposure',
    question: ratingQuestion('exposure'),
    assistantPrefix: 'The exposure of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'well exposed',
  },
  {
    key: 'colour',
    label: 'Colour',
    question: ratingQuestion('colour'),
    assistantPrefix: 'The colour of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'natural colour',
  },
  {
    key: 'contrast',
    label: 'Contrast',
    question: ratingQuestion('contrast'),
    assistantPrefix: 'The contrast of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'good contrast',
  },
  {
    key: 'compression',
    label: 'Compression artefacts',
    question: ratingQuestion('compression quality (Excellent means no visible artefacts)'),
    assistantPrefix: 'The compression quality of this image is',
    source: 'Q-Instruct pathway attribute',
    highMeans: 'free of artefacts',
  },
  {
    key: 'composition',
    label: 'Composition',
    question: ratingQuestion('composition'),
    assistantPrefix: 'The composition of this image is',
    source: 'Q-Adapt attribute-wise',
    highMeans: 'well composed',
  },
];

/** Q-Bench A1-style yes/no questions about one distortion each. */
export const YES_NO_CHECKS: readonly YesNoCheck[] = [
  {
    key: 'motion-blur',
    label: 'Motion blur',
    question: 'Is there motion blur in this image?',
    source: 'Q-Bench A1 yes/no',
  },
  {
    key: 'out-of-focus',
    label: 'Subject out of focus',
    question: 'Is the main subject of this image out of focus?',
    source: 'Q-Bench A1 yes/no',
  },
  {
    key: 'blown-highlights',
    label: 'Blown highlights',
    question: 'Are there blown-out highlights in this image?',
    source: 'Q-Bench A1 yes/no',
  },
  {
    key: 'eyes-closed',
    label: "People's eyes closed",
    question: 'Does anyone in this image have their eyes closed?',
    source: 'Q-Bench A1 yes/no',
  },
  {
    key: 'heavy-compression',
    label: 'Heavy compression',
    question: 'Is this image heavily compressed?',
    source: 'Q-Bench A1 yes/no',
  },
];

/** An attribute's answer prefix in the style of the model's scoring recipe. */
export function attributePrefix(rating: AttributeRating, scoringPrefix: string): string {
  return scoringPrefix.endsWith(' ') ? `${rating.assistantPrefix} ` : rating.assistantPrefix;
}
