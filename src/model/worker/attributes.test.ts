/**
 * The attribute panel's figures in Node on the fixture model: every rating and check continued
 * from the photo's prefix, equal to a full prefill of the same prompt, probabilities that sum to 1,
 * and a pass that stops between prompts when cancelled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureQualityModel, photoPixels } from '../../../scripts/node-model.ts';
import { TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { ATTRIBUTE_RATINGS, attributePrefix, YES_NO_CHECKS } from '../attribute-recipes.ts';
import { conversationTurns } from '../conversation.ts';
import { PATHWAY_RECIPE } from '../explain-recipes.ts';
import { QSIT_RECIPE } from '../recipes.ts';
import { softmax } from '../scoring.ts';
import { rateAttributes } from './attributes.ts';
import { answerTokenIds } from './generation.ts';
import { QualityModel } from './quality-model.ts';

const PHOTO = 'landscape';
let cached: QualityModel;
let plain: QualityModel;

beforeAll(async () => {
  cached = await loadFixtureQualityModel();
  plain = new QualityModel(cached.parts, 12, 0);
  const photo = await photoPixels(TEST_PHOTOS.landscapeJpeg);
  await cached.encode(PHOTO, photo);
  await plain.encode(PHOTO, photo);
});

describe('rateAttributes on the fixture', () => {
  it('rates every attribute and check from the cached prefix, as a full prefill would', async () => {
    const result = await rateAttributes(cached, PHOTO, QSIT_RECIPE, PATHWAY_RECIPE, {
      isCancelled: () => false,
    });
    expect(result.cancelled).toBe(false);
    expect(result.ratings.map((r) => r.key)).toEqual(ATTRIBUTE_RATINGS.map((a) => a.key));
    expect(result.checks.map((c) => c.key)).toEqual(YES_NO_CHECKS.map((c) => c.key));
    const levelIds = cached.levelTokenIds(QSIT_RECIPE);
    // The ratings continue from their shared instruction, run once after the 733-token prefix.
    const shared = result.ratings[0]!.reusedTokens;
    expect(shared).toBeGreaterThan(733 + 8);
    console.log(
      `attribute ratings: ${shared - 733} shared instruction tokens run once; each rating then runs ${result.ratings.map((r) => r.promptTokens - r.reusedTokens).join(', ')}`,
    );
    for (const [i, rating] of result.ratings.entries()) {
      expect(rating.reusedTokens).toBe(shared);
      expect(rating.promptTokens - rating.reusedTokens).toBeGreaterThan(0);
      expect(rating.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(rating.score).toBeGreaterThanOrEqual(1);
      expect(rating.score).toBeLessThanOrEqual(5);
      const recipe = ATTRIBUTE_RATINGS[i]!;
      const full = await plain.nextTokenLogits(
        await plain.prepare(
          PHOTO,
          conversationTurns([], recipe.question),
          attributePrefix(recipe, QSIT_RECIPE.assistantPrefix),
        ),
      );
      for (const [l, id] of levelIds.entries()) {
        expect(Math.abs(rating.levelLogits[l]! - full[id]!)).toBeLessThan(1e-4);
      }
    }
    const [yes, no] = answerTokenIds(cached, PATHWAY_RECIPE.yesNoWords);
    for (const [i, check] of result.checks.entries()) {
      expect(check.reusedTokens).toBe(733);
      const full = await plain.nextTokenLogits(
        await plain.prepare(PHOTO, conversationTurns([], YES_NO_CHECKS[i]!.question), ''),
      );
      expect(check.yes).toBeCloseTo(softmax([full[yes!]!, full[no!]!])[0]!, 5);
    }
    // The shared opening is freed with the pass; the photo's prefix stays.
    expect(cached.caches.status().entries.map((e) => e.kind)).toEqual(['photo']);
    // Different questions about the same photo give different answers.
    const scores = new Set(result.ratings.map((r) => r.score.toFixed(6)));
    expect(scores.size).toBeGreaterThan(1);
  });

  it('stops between prompts when cancelled', async () => {
    let seen = 0;
    const result = await rateAttributes(cached, PHOTO, QSIT_RECIPE, PATHWAY_RECIPE, {
      isCancelled: () => seen >= 2,
      onRating: () => seen++,
    });
    expect(result.cancelled).toBe(true);
    expect(result.ratings).toHaveLength(2);
    expect(result.checks).toHaveLength(0);
  });
});
