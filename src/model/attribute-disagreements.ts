/**
 * Where the model's attribute ratings and the pixel measures disagree, in plain words: the panel
 * shows both rather than hiding either (the model says sharp, the Laplacian says soft; the model
 * says noisy, the measured σ is low).
 */
import type { AttributeRating } from './attribute-recipes.ts';
import type { AttributeRatingResult } from './protocol.ts';
import type { Measure, PixelAnalysis } from '../pixels/protocol.ts';

/** Which pixel measure speaks to each attribute (composition has none). */
const MEASURE_OF: Partial<Record<AttributeRating['key'], keyof PixelAnalysis['measures']>> = {
  sharpness: 'sharpness',
  noise: 'noise',
  exposure: 'exposure',
  contrast: 'contrast',
  colour: 'colourfulness',
  compression: 'blockiness',
};

/** A sub-score at or above this reads as good, at or below LOW as poor; between is no claim. */
const HIGH = 3.5;
const LOW = 2.5;

/** One disagreement, as a sentence for the panel. */
export interface Disagreement {
  key: AttributeRating['key'];
  text: string;
}

/** The attributes whose model rating and pixel measure point opposite ways. */
export function disagreements(
  ratings: readonly AttributeRatingResult[],
  recipes: readonly AttributeRating[],
  measures: PixelAnalysis['measures'],
): Disagreement[] {
  const found: Disagreement[] = [];
  for (const rating of ratings) {
    const recipe = recipes.find((r) => r.key === rating.key);
    const measureKey = MEASURE_OF[rating.key];
    if (!recipe || !measureKey) continue;
    const measure: Measure = measures[measureKey];
    const name = recipe.label.toLowerCase();
    const sub = rating.score.toFixed(1);
    if (rating.score >= HIGH && measure.verdict === 'poor') {
      found.push({
        key: rating.key,
        text: `The model rates ${name} good (${sub}/5, ${recipe.highMeans}), but the pixel measure disagrees: ${measure.reading}`,
      });
    } else if (rating.score <= LOW && measure.verdict === 'good') {
      found.push({
        key: rating.key,
        text: `The model rates ${name} poor (${sub}/5, not ${recipe.highMeans}), but the pixel measure finds it good: ${measure.reading}`,
      });
    }
  }
  return found;
}
