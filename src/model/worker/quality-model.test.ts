/**
 * The app's own scoring path (QualityModel + loadModelParts) in Node, on the fixture model and real
 * photographs: what the browser runs, minus the worker and canvas.
 */
import { join } from 'node:path';
import { RawImage, type Tensor } from '@huggingface/transformers';
import sharp from 'sharp';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadFixtureQualityModel, photoPixels as photo } from '../../../scripts/node-model.ts';
import { PHOTOS_DIR, TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { FIXTURE_MODEL_ID } from '../../../scripts/model-graphs/fixture-model.ts';
import { presetDtypes } from '../precision.ts';
import { QALIGN_RECIPE, QSIT_RECIPE } from '../recipes.ts';
import { QualityModel } from './quality-model.ts';
import { normalisePlanes } from '../reference-image.ts';
import { fastInputOf, loadModelParts } from './runtime.ts';

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

describe('the fast mode drawn at the processor size', () => {
  /** The photo at 384 × 384 as RGBA, as the worker's canvas hands it over (sharp resizes here). */
  async function atInputSize(): Promise<RawImage> {
    const { data, info } = await sharp(join(PHOTOS_DIR, TEST_PHOTOS.landscapeJpeg))
      .resize(384, 384, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new RawImage(new Uint8ClampedArray(data), info.width, info.height, 4);
  }

  it("reads the processor's size and normalisation from its config, and declines a cropping one", () => {
    expect(model.parts.fastInput).toEqual({
      width: 384,
      height: 384,
      normalisation: { rescaleFactor: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    });
    const config = { size: { height: 384, width: 384 }, image_mean: [0.5, 0.5, 0.5] };
    expect(fastInputOf({ ...config, do_center_crop: true, crop_size: { height: 336 } })).toBeNull();
    expect(fastInputOf({ ...config, do_normalize: false })).toBeNull();
    expect(fastInputOf({ size: { shortest_edge: 384 } })).toBeNull();
  });

  it('normalises a picture at that size exactly as the processor does, and scores it the same', async () => {
    const image = await atInputSize();
    // Ours first: the processor turns its RawImage to RGB in place.
    const ours = normalisePlanes(image.data, 4, 384 * 384, model.parts.fastInput!.normalisation);
    const { pixel_values } = (await model.parts.processor.image_processor!(
      await atInputSize(),
    )) as {
      pixel_values: Tensor;
    };
    expect(pixel_values.dims).toEqual([1, 3, 384, 384]);
    expect(Buffer.compare(Buffer.from(ours), Buffer.from(pixel_values.data as Float32Array))).toBe(
      0,
    );

    // The same picture through the processor (fastInput off) gives the same level logits.
    const viaProcessor = new QualityModel({ ...model.parts, fastInput: null });
    const fast = await model.score('fast-384', await atInputSize(), QSIT_RECIPE);
    const plain = await viaProcessor.score('plain-384', await atInputSize(), QSIT_RECIPE);
    model.forget('fast-384');
    viaProcessor.forget('plain-384');
    for (let i = 0; i < 5; i++) expect(fast.levelLogits[i]).toBe(plain.levelLogits[i]);
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
