/**
 * The attribute panel's figures for one photo: each attribute's five level probabilities and
 * 1–5 sub-score (level words read after the attribute's answer prefix, as the overall score), and
 * each yes/no check's probability of Yes. Every prompt continues from the photo's cached prefix,
 * so each costs only its own few dozen tokens; a cancel is seen between two prompts.
 */
import {
  ATTRIBUTE_RATINGS,
  attributePrefix,
  YES_NO_CHECKS,
  type AttributeRating,
  type YesNoCheck,
} from '../attribute-recipes.ts';
import { conversationTurns } from '../conversation.ts';
import type { ExplainRecipe } from '../explain-recipes.ts';
import type { AttributeRatingResult, AttributesResult, CheckResult } from '../protocol.ts';
import { answerConfidence } from '../questions.ts';
import type { ScoringRecipe } from '../recipes.ts';
import { scoreFromLevelLogits } from '../scoring.ts';
import { answerTokenIds } from './generation.ts';
import type { QualityModel } from './quality-model.ts';

/** How a running attribute pass reports and learns it was cancelled. */
export interface AttributeHooks {
  isCancelled(): boolean;
  onRating?(rating: AttributeRatingResult): void;
  onCheck?(check: CheckResult): void;
  /** Lets a cancel message in between two prompts. */
  yieldToEvents?(): Promise<void>;
}

/** Rates every attribute and answers every check about an encoded photo, in recipe order. */
export async function rateAttributes(
  model: QualityModel,
  photoId: string,
  scoring: ScoringRecipe,
  explain: ExplainRecipe,
  hooks: AttributeHooks,
  ratings: readonly AttributeRating[] = ATTRIBUTE_RATINGS,
  checks: readonly YesNoCheck[] = YES_NO_CHECKS,
): Promise<AttributesResult> {
  const started = performance.now();
  const levelIds = model.levelTokenIds(scoring);
  const yesNoIds = answerTokenIds(model, explain.yesNoWords);
  const result: AttributesResult = { ratings: [], checks: [], ms: 0, cancelled: false };
  const stop = async () => {
    await hooks.yieldToEvents?.();
    return hooks.isCancelled();
  };
  const prompts = ratings.map((rating) => ({
    turns: conversationTurns([], rating.question),
    assistantPrefix: attributePrefix(rating, scoring.assistantPrefix),
  }));
  // The ratings share their instruction (Q-SiT's rating form) after the photo: run it once.
  const shared = (await stop()) ? null : await model.keepShared(photoId, prompts);
  try {
    for (const [i, rating] of ratings.entries()) {
      if (await stop()) return { ...result, cancelled: true, ms: performance.now() - started };
      const { turns, assistantPrefix } = prompts[i]!;
      const prompt = await model.prefill(photoId, turns, assistantPrefix, false);
      const levelLogits = levelIds.map((id) => prompt.logits[id]!);
      const rated: AttributeRatingResult = {
        key: rating.key,
        ...scoreFromLevelLogits(levelLogits),
        levelLogits,
        reusedTokens: prompt.reused.tokens,
        promptTokens: prompt.ids.length,
      };
      result.ratings.push(rated);
      hooks.onRating?.(rated);
    }
  } finally {
    model.dropShared(shared);
  }
  for (const check of checks) {
    if (await stop()) return { ...result, cancelled: true, ms: performance.now() - started };
    const prompt = await model.prefill(photoId, conversationTurns([], check.question), '', false);
    const confidence = answerConfidence(prompt.logits, yesNoIds, explain.yesNoWords);
    const answered: CheckResult = {
      key: check.key,
      yes: confidence.options[0]!.probability,
      reusedTokens: prompt.reused.tokens,
    };
    result.checks.push(answered);
    hooks.onCheck?.(answered);
  }
  return { ...result, ms: performance.now() - started };
}
