/**
 * A converted checkpoint is a model the app can use: the app's own loading and scoring code
 * (loadModelParts + QualityModel, what the worker runs) on the converted folder, in Node, with the
 * Q-SiT recipe and every precision the converter writes.
 */
import { resolve } from 'node:path';
import { env, RawImage, type Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetDtypes } from '../../src/model/precision.ts';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import { QualityModel } from '../../src/model/worker/quality-model.ts';
import { loadModelParts } from '../../src/model/worker/runtime.ts';
import { FIXTURE_CONFIG } from '../model-graphs/configs.ts';
import { openCheckpoint } from './checkpoint.ts';
import { CONVERTED_MODEL_NAME, ensureConvertedTestModel, testCheckpointDir } from './e2e-model.ts';
import {
  referenceDecoder,
  referenceEmbed,
  referenceProjector,
  referenceVisionTower,
  type Params,
} from './reference-forward.ts';
import { readTensor } from './safetensors.ts';

const MODELS = resolve('.cache/models');
const OUT = resolve(MODELS, CONVERTED_MODEL_NAME);
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
  await ensureConvertedTestModel(OUT);
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

  it('gives the Q-SiT next-token logits of the plain TypeScript reference on the same prompt', async () => {
    // The app's whole path (processor, tokenizer, <image> expansion, embedding merge, decoder with
    // num_logits_to_keep) against the reference forward pass on the checkpoint's own F16 values.
    const image = gradient();
    const { pixel_values } = (await fp32.parts.processor.image_processor!(image)) as {
      pixel_values: Tensor;
    };
    await fp32.encode('reference', image);
    const prompt = await fp32.prepare(
      'reference',
      [{ role: 'user', text: QSIT_RECIPE.question, withImage: true }],
      QSIT_RECIPE.assistantPrefix,
    );
    const appLogits = await fp32.nextTokenLogits(prompt);

    const checkpoint = openCheckpoint(testCheckpointDir(OUT));
    const cache = new Map<string, Float32Array>();
    const params: Params = (name) => {
      let values = cache.get(name);
      if (!values) {
        values = readTensor(checkpoint.where.get(name)!, name);
        cache.set(name, values);
      }
      return values;
    };
    const features = referenceProjector(
      FIXTURE_CONFIG,
      params,
      referenceVisionTower(FIXTURE_CONFIG, params, pixel_values.data as Float32Array),
    );
    const ids = Array.from(prompt.inputIds.data as BigInt64Array, Number);
    const embeds = referenceEmbed(FIXTURE_CONFIG, params, ids);
    const H = FIXTURE_CONFIG.text.hidden;
    let row = 0;
    ids.forEach((id, position) => {
      if (id !== FIXTURE_CONFIG.imageTokenIndex) return;
      embeds.set(features.subarray(row * H, (row + 1) * H), position * H);
      row++;
    });
    expect(row).toBe(729);
    const positions = ids.map((_, i) => i);
    const head = 'language_model.model.embed_tokens.weight';
    const reference = referenceDecoder(FIXTURE_CONFIG, params, embeds, positions, [], head, 1);
    let max = 0;
    appLogits.forEach((v, i) => (max = Math.max(max, Math.abs(v - reference.logits[i]!))));
    console.log(`app vs reference, last-position logits over ${ids.length} tokens: max |Δ| ${max}`);
    expect(max).toBeLessThan(1e-4); // measured 4e-6
    const levels = fp32.levelTokenIds(QSIT_RECIPE);
    const levelDiff = Math.max(
      ...levels.map((id) => Math.abs(appLogits[id]! - reference.logits[id]!)),
    );
    expect(levelDiff).toBeLessThan(1e-4);
  });
});
