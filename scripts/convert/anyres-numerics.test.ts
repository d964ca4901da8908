/**
 * Reference (anyres) image mode, end to end, on the converted tiny checkpoint: the app's own model
 * code (loadModelParts + QualityModel in reference mode, onnxruntime-node, fp32) against the plain
 * TypeScript reference forward pass extended to anyres (reference-anyres.ts: its own pinpoint
 * choice, tile grid, unpadding, anyres_max_9 cap and newline rows, float64 throughout), on the
 * checkpoint's own values. Both read the same pixel_values (src/model/reference-image.ts, whose
 * Pillow resize pil-resize.test.ts checks against Pillow's published values), so this checks
 * everything after preprocessing: vision tower on every tile, packing, the count of image tokens
 * in the prompt (the reference's own count must equal the prompt's), merge and decoder.
 *
 * Tolerance: the five Q-SiT level logits within 1e-4 (measured ≤ 1.3e-6; logged per photo). Each
 * photo is also scored in the fast mode, and the gap between the modes logged (docs/SCORING.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import type { QualityModel } from '../../src/model/worker/quality-model.ts';
import { ensureTestPhotos, photoPath } from '../test-photos.ts';
import { openConvertedCheckpoint, photo, referenceAnyresLogits } from './anyres-reference.ts';
import type { Params } from './reference-forward.ts';
import type { RawImage } from '@huggingface/transformers';

let model: QualityModel;
let params: Params;
const measured: Record<string, Record<string, number>> = {};

beforeAll(async () => {
  ({ model, params } = await openConvertedCheckpoint());
  await ensureTestPhotos();
}, 120_000);

async function checkAgainstReference(name: string, image: RawImage) {
  const result = await model.score(name, image, QSIT_RECIPE);
  expect(result.imageMode).toBe('reference');
  const reference = await referenceAnyresLogits(model, params, name, image);
  const { logits, imageTokens } = reference;
  expect(result.imageTokens).toBe(imageTokens);
  const levelIds = model.levelTokenIds(QSIT_RECIPE);
  const diff = Math.max(...levelIds.map((id, i) => Math.abs(result.levelLogits[i]! - logits[id]!)));
  // The same photo in the fast mode (single crop), for the gap between the modes.
  model.imageMode = 'fast';
  const fast = await model.score(name, image, QSIT_RECIPE);
  model.imageMode = 'reference';
  expect(fast.imageTokens).toBe(729);
  const gap = Math.max(...result.levelLogits.map((v, i) => Math.abs(v - fast.levelLogits[i]!)));
  measured[name] = {
    tokens: imageTokens,
    images: reference.images,
    maxLevelDiff: diff,
    fastGap: gap,
    scoreGap: Math.abs(result.score - fast.score),
  };
  // Reference mode is not single crop in disguise: its logits move.
  expect(gap).toBeGreaterThan(1e-5);
  console.log(`anyres ${name} ${image.width}×${image.height}:`, measured[name]);
  expect(diff).toBeLessThan(1e-4);
  return result;
}

describe('reference (anyres) level logits equal the TypeScript reference forward pass', () => {
  // Sizes are kept modest where the shape, not the size, is the point: the float64 reference
  // decoder's cost grows with the square of the image tokens (a 1050² square has 7 371).
  it('a square photo (500 × 500)', async () => {
    await checkAgainstReference(
      'square',
      await photo(photoPath('landscapeJpeg'), (s) =>
        s.extract({ left: 400, top: 200, width: 500, height: 500 }),
      ),
    );
  }, 300_000);

  it('a 3:1 panorama (960 × 320)', async () => {
    await checkAgainstReference(
      'panorama',
      await photo(photoPath('landscapeJpeg'), (s) =>
        s.extract({ left: 300, top: 400, width: 960, height: 320 }),
      ),
    );
  }, 300_000);

  it('a portrait photo (410 × 656, the portrait test photo halved)', async () => {
    await checkAgainstReference(
      'portrait',
      await photo(photoPath('portraitUpright'), (s) => s.resize(410, 656, { fit: 'fill' })),
    );
  }, 300_000);

  it('a tiny photo (300 × 200)', async () => {
    await checkAgainstReference(
      'tiny',
      await photo(photoPath('landscapeJpeg'), (s) => s.resize(300, 200, { fit: 'fill' })),
    );
  }, 300_000);

  it('a 24 MP photo (6000 × 4000)', async () => {
    const result = await checkAgainstReference('large', await photo(photoPath('jpeg24mp')));
    // 4 × 6 tiles, 108 × 162 features capped to 66 × 99, a newline per row, 729 base.
    expect(result.imageTokens).toBe(729 + 66 * 99 + 66);
  }, 900_000); // ≈ 80 s of CPU (mostly the reference's attention over 7 369 tokens); 6 min wall seen on a loaded machine
});
