/**
 * A converted checkpoint is a model the app can use: the app's own loading and scoring code
 * (loadModelParts + QualityModel, what the worker runs) on the converted folder, in Node, with the
 * Q-SiT recipe and every precision the converter writes.
 */
import { resolve } from 'node:path';
import { env, RawImage } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetDtypes } from '../../src/model/precision.ts';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import { QualityModel } from '../../src/model/worker/quality-model.ts';
import { loadModelParts } from '../../src/model/worker/runtime.ts';
import { CONVERTED_MODEL_NAME, ensureConvertedTestModel } from './e2e-model.ts';

const MODELS = resolve('.cache/models');
let fp32: QualityModel;

/** A 384×384 gradient photo (already at the model's size, so no resize differences). */
function gradient(): RawImage {
  const size = 384;
  const data = new Uint8ClampedArray(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    data[i * 3] = i % size;
    data[i * 3 + 1] = Math.floor(i / size) % 256;
    data[i * 3 + 2] = 128;
  }
  return new RawImage(data, size, size, 3);
}

beforeAll(async () => {
  await ensureConvertedTestModel(resolve(MODELS, CONVERTED_MODEL_NAME));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
});

describe('the app scores with a converted checkpoint', () => {
  it('loads fp32, finds the Q-SiT level words in the real vocabulary and scores', async () => {
    fp32 = new QualityModel(
      await loadModelParts(CONVERTED_MODEL_NAME, presetDtypes('fp32'), 'cpu'),
    );
    const model = fp32;
    expect(model.parts.hasNumLogitsToKeep).toBe(true);
    expect(model.parts.processorFields).toEqual({ patch_size: 14, num_additional_image_tokens: 0 });
    expect(model.levelTokenIds(QSIT_RECIPE)).toEqual([49655, 15216, 60795, 84103, 17082]);
    const result = await model.score('gradient', gradient(), QSIT_RECIPE);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(result.score).toBeGreaterThanOrEqual(1);
    expect(result.score).toBeLessThanOrEqual(5);
    expect(result.promptTokens).toBeGreaterThan(729 + 40);
  });

  it('the 8-bit and 4-bit variants load and give probabilities near fp32', async () => {
    const image = gradient();
    const probabilities: Record<string, number[]> = {
      fp32: (await fp32.score('fp32', image, QSIT_RECIPE)).probabilities,
    };
    for (const preset of ['q8', 'q4'] as const) {
      const model = new QualityModel(
        await loadModelParts(CONVERTED_MODEL_NAME, presetDtypes(preset), 'cpu'),
      );
      probabilities[preset] = (await model.score(preset, image, QSIT_RECIPE)).probabilities;
    }
    for (const preset of ['q8', 'q4']) {
      const diff = Math.max(
        ...probabilities[preset]!.map((p, i) => Math.abs(p - probabilities.fp32![i]!)),
      );
      expect(diff, `${preset} vs fp32`).toBeLessThan(0.2);
    }
  });
});
