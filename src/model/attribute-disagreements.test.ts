import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_RATINGS } from './attribute-recipes.ts';
import { disagreements } from './attribute-disagreements.ts';
import type { AttributeRatingResult } from './protocol.ts';
import type { Measure, PixelAnalysis } from '../pixels/protocol.ts';

const measure = (verdict: Measure['verdict'], reading: string): Measure => ({
  value: 1,
  unit: '',
  verdict,
  reading,
});

function measures(change: Partial<PixelAnalysis['measures']>): PixelAnalysis['measures'] {
  const fair = measure('fair', 'fair');
  return {
    highlightClipping: fair,
    shadowClipping: fair,
    exposure: fair,
    contrast: fair,
    colourfulness: fair,
    sharpness: fair,
    noise: fair,
    blockiness: fair,
    resolution: fair,
    ...change,
  };
}

const rated = (key: AttributeRatingResult['key'], score: number) =>
  ({ key, score }) as AttributeRatingResult;

describe('disagreements between model and pixels', () => {
  it('says so when the model rates sharp and the Laplacian says soft, or noisy while σ is low', () => {
    const found = disagreements(
      [rated('sharpness', 4.2), rated('noise', 1.8), rated('exposure', 4.5)],
      ATTRIBUTE_RATINGS,
      measures({
        sharpness: measure('poor', 'Soft: fine detail is missing everywhere.'),
        noise: measure('good', 'Clean: σ 0.8.'),
        exposure: measure('good', 'Well exposed.'),
      }),
    );
    expect(found.map((d) => d.key)).toEqual(['sharpness', 'noise']);
    expect(found[0]!.text).toBe(
      'The model rates sharpness / focus good (4.2/5, sharp), but the pixel measure disagrees: Soft: fine detail is missing everywhere.',
    );
    expect(found[1]!.text).toContain('rates noise poor (1.8/5, not clean)');
    expect(found[1]!.text).toContain('Clean: σ 0.8.');
  });

  it('claims nothing for middling ratings, unknown measures or composition', () => {
    const found = disagreements(
      [rated('sharpness', 3), rated('noise', 4.9), rated('composition', 1)],
      ATTRIBUTE_RATINGS,
      measures({ sharpness: measure('poor', 'Soft'), noise: measure('unknown', '?') }),
    );
    expect(found).toEqual([]);
  });
});
