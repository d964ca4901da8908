/**
 * The app's own scoring path (QualityModel + loadModelParts) in Node, on the fixture model and real
 * photographs: what the browser runs, minus the worker and canvas.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { loadFixtureQualityModel, photoPixels as photo } from '../../../scripts/node-model.ts';
import { TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { FIXTURE_MODEL_ID } from '../../../scripts/model-graphs/fixture-model.ts';
import { presetDtypes } from '../precision.ts';
import { QALIGN_RECIPE, QSIT_RECIPE } from '../recipes.ts';
import { QualityModel } from './quality-model.ts';
import { loadModelParts } from './runtime.ts';

let model: QualityModel;

beforeAll(async () => {
  model = await loadFixtureQualityModel();
  // Every test that reads 'landscape' without pixels finds it encoded here, whatever ran before.
  await model.encode('landscape', await photo(TEST_PHOTOS.landscapeJpeg));
});

describe('QualityModel on the fixture', () => {
  it('supplies the processor fields the real processor_config.json lacks', () => {
    expect(model.parts.processorFields).toEqual({ patch_size: 14, num_additional_image_tokens: 0 });
    expect(model.parts.hasNumLogitsToKeep).toBe(true);
  });

  it('maps each Q-SiT level word to one token of the real Qwen2 vocabulary', () => {
    const tokenizer = model.parts.processor.tokenizer!;
    for (const word of QSIT_RECIPE.levelWords) {
      expect(tokenizer.encode(word, { add_special_tokens: false })).toHaveLength(1);
    }
    // The ids the Q-SiT maintainers report for this vocabulary.
    expect(model.levelTokenIds(QSIT_RECIPE)).toEqual([49655, 15216, 60795, 84103, 17082]);
  });

  it('maps each Q-Align level word (with its leading space) to one token', () => {
    const tokenizer = model.parts.processor.tokenizer!;
    for (const word of QALIGN_RECIPE.levelWords) {
      expect(tokenizer.encode(word, { add_special_tokens: false })).toHaveLength(1);
    }
  });

  it('scores a real photo: probabilities sum to 1 and the score is their weighted sum', async () => {
    const result = await model.score(
      'landscape',
      await photo(TEST_PHOTOS.landscapeJpeg),
      QSIT_RECIPE,
    );
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const expected = result.probabilities.reduce((s, p, i) => s + p * (5 - i), 0);
    expect(result.score).toBeCloseTo(expected, 10);
    expect(result.score).toBeGreaterThanOrEqual(1);
    expect(result.score).toBeLessThanOrEqual(5);
    // 729 image tokens plus the question and the assistant prefix.
    expect(result.promptTokens).toBeGreaterThan(729 + 40);
  });

  it('gives the same probabilities for the same photo twice and reuses its encoding', async () => {
    const again = await model.score('landscape', null, QSIT_RECIPE);
    const fresh = new QualityModel(model.parts);
    const first = await fresh.score(
      'landscape-2',
      await photo(TEST_PHOTOS.landscapeJpeg),
      QSIT_RECIPE,
    );
    expect(again.timings.encodeMs).toBe(0);
    expect(first.probabilities).toEqual(again.probabilities);
    // One mean-pooled feature vector per photo, of the text model's width (64 in the fixture),
    // the same whether the encoding was fresh or reused.
    expect(first.imageFeatures).toHaveLength(64);
    expect(Array.from(again.imageFeatures!)).toEqual(Array.from(first.imageFeatures!));
  });

  it('gives different probabilities for two different photos', async () => {
    const a = await model.score('landscape', null, QSIT_RECIPE);
    const b = await model.score('ladybird', await photo(TEST_PHOTOS.png), QSIT_RECIPE);
    const diff = Math.max(...a.probabilities.map((p, i) => Math.abs(p - b.probabilities[i]!)));
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('reads the same last-position logits from a decoder exported without num_logits_to_keep', async () => {
    // The same weights, written as a decoder that lacks the input and always returns every
    // position's logits (as some exports do); each model encodes the photo itself.
    const without = await loadFixtureQualityModel(
      presetDtypes('fp32'),
      'llava-onevision-fixture-all-logits',
    );
    const decoderInputs = (
      without.parts.model as unknown as {
        sessions: Record<string, { inputNames: string[] }>;
      }
    ).sessions.decoder_model_merged!.inputNames;
    expect(decoderInputs).not.toContain('num_logits_to_keep');
    expect(without.parts.hasNumLogitsToKeep).toBe(false);
    expect(model.parts.hasNumLogitsToKeep).toBe(true);

    const pixels = await photo(TEST_PHOTOS.landscapeJpeg);
    const turns = [{ role: 'user' as const, text: QSIT_RECIPE.question, withImage: true }];
    const logitsOf = async (m: QualityModel) => {
      await m.encode('logits-to-keep', pixels);
      return m.nextTokenLogits(
        await m.prepare('logits-to-keep', turns, QSIT_RECIPE.assistantPrefix),
      );
    };
    const cheap = await logitsOf(model);
    const expensive = await logitsOf(without);
    expect(cheap.length).toBe(152000);
    expect(expensive.length).toBe(152000);
    let maxDiff = 0;
    for (let i = 0; i < cheap.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(cheap[i]! - expensive[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    // And the scores read from them agree.
    const a = await model.score('logits-to-keep', null, QSIT_RECIPE);
    const b = await without.score('logits-to-keep', null, QSIT_RECIPE);
    expect(b.score).toBeCloseTo(a.score, 5);
  });
});

describe('precision checks', () => {
  it('refuses fp16 embeddings with an fp32 decoder instead of running into garbage', async () => {
    await expect(
      loadModelParts(
        FIXTURE_MODEL_ID,
        { vision_encoder: 'fp32', embed_tokens: 'fp16', decoder_model_merged: 'fp32' },
        'cpu',
      ),
    ).rejects.toThrow(/do not fit together/);
  });

  it('scores with the fp16 preset (float16 pixel values and embeddings throughout)', async () => {
    const fp16 = new QualityModel(
      await loadModelParts(FIXTURE_MODEL_ID, presetDtypes('fp16'), 'cpu'),
    );
    const result = await fp16.score(
      'landscape',
      await photo(TEST_PHOTOS.landscapeJpeg),
      QSIT_RECIPE,
    );
    const fp32 = await model.score('landscape', null, QSIT_RECIPE);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(Math.abs(result.score - fp32.score)).toBeLessThan(0.1);
  });
});
