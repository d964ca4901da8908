/**
 * How each model is asked to explain a score: the description prompt, the words whose first-token
 * probabilities give an answer's confidence, and the decoding settings. Like the scoring recipes
 * (recipes.ts) these strings are part of each model's method, so they live together here.
 */

/** Decoding settings of one kind of generation. */
export interface DecodeSettings {
  maxNewTokens: number;
  /** CTRL-style penalty on tokens already generated (1 = none); small models loop without it. */
  repetitionPenalty: number;
}

/** How a model is asked to describe a photo's quality and to answer questions about it. */
export interface ExplainRecipe {
  name: string;
  /**
   * The user turn that asks for a description. It opens with the papers' benchmark prompt
   * (Q-Instruct / Q-Bench: "Describe and evaluate the quality of the image.") and adds the
   * pathway order: each low-level attribute and where it shows, then a conclusion.
   */
  describePrompt: string;
  /** Appended to multiple-choice questions (Q-Bench's wording) so the answer starts with a letter. */
  choiceInstruction: string;
  /** The first word of a yes/no answer, in order yes, no (read without a leading space). */
  yesNoWords: readonly [string, string];
  description: DecodeSettings;
  answer: DecodeSettings;
}

/** The recipe for Q-SiT and LLaVA-OneVision (both tuned on Q-Instruct-style data). */
export const PATHWAY_RECIPE: ExplainRecipe = {
  name: 'pathway',
  describePrompt:
    'Describe and evaluate the quality of the image.\n' +
    'Go through its low-level attributes one by one: clarity (sharpness or blur), noise, exposure, ' +
    'colour, contrast, compression artefacts and focus. For each, say whether it is good or bad ' +
    'and where in the image it shows. Then give an overall conclusion about the quality.',
  choiceInstruction: "Answer with the option's letter from the given choices directly.",
  yesNoWords: ['Yes', 'No'],
  description: { maxNewTokens: 384, repetitionPenalty: 1.1 },
  answer: { maxNewTokens: 256, repetitionPenalty: 1.1 },
};

/** Explain recipes by scoring recipe name; models without an entry use the pathway recipe. */
const BY_SCORING_RECIPE: Record<string, ExplainRecipe> = {
  'Q-SiT': PATHWAY_RECIPE,
  'Q-Align': PATHWAY_RECIPE,
};

/** The explain recipe that goes with a model's scoring recipe. */
export function explainRecipeFor(scoringRecipeName: string): ExplainRecipe {
  return BY_SCORING_RECIPE[scoringRecipeName] ?? PATHWAY_RECIPE;
}

/**
 * Tokens the whole conversation may use: prompt (with the photo's 729 image tokens) plus the
 * answer. The model itself allows 32,768 positions, but in a browser the prefill's attention
 * scores grow with the square of the prompt (14 heads × n² floats per layer: ≈ 235 MB at 2,048
 * tokens, ≈ 3.8 GB at 8,192) and the KV cache with its length, so conversations are kept within
 * 2,048 tokens: the photo, about a dozen short exchanges and the answer being written.
 */
export const CONTEXT_TOKENS = 2048;
