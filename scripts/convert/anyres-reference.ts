/**
 * The converted tiny checkpoint opened twice — through the app's own model code in Node
 * (QualityModel in reference mode, onnxruntime-node, fp32) and as plain tensors for the TypeScript
 * reference forward pass — and the reference's level logits for a photo in reference (anyres)
 * mode. Shared by the Node numerics test (anyres-numerics.test.ts) and the browser one
 * (anyres-browser-numerics.test.ts), so both check against the very same reference.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { env, RawImage } from '@huggingface/transformers';
import sharp, { type Sharp } from 'sharp';
import { presetDtypes } from '../../src/model/precision.ts';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import { referencePixelValues } from '../../src/model/reference-image.ts';
import { QualityModel } from '../../src/model/worker/quality-model.ts';
import { loadModelParts } from '../../src/model/worker/runtime.ts';
import { FIXTURE_CONFIG } from '../model-graphs/configs.ts';
import { imageGridPinpoints } from '../model-graphs/model-files.ts';
import { openCheckpoint } from './checkpoint.ts';
import { CONVERTED_MODEL_NAME, ensureConvertedTestModel, testCheckpointDir } from './e2e-model.ts';
import { referenceAnyresFeatures } from './reference-anyres.ts';
import { referenceDecoder, referenceEmbed, type Params } from './reference-forward.ts';
import { readTensor } from './safetensors.ts';

export const MODELS = resolve('public/models');
export const CONVERTED_DIR = join(MODELS, CONVERTED_MODEL_NAME);

/** A real photo, cropped and sized by sharp, as 8-bit RGB. */
export async function photo(
  file: string,
  shape: (s: Sharp) => Sharp = (s) => s,
): Promise<RawImage> {
  const { data, info } = await shape(sharp(file).rotate().removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new RawImage(new Uint8ClampedArray(data), info.width, info.height, 3);
}

/** The app's model (reference mode) and the checkpoint's tensors, from the converted checkpoint. */
export async function openConvertedCheckpoint(): Promise<{ model: QualityModel; params: Params }> {
  await ensureConvertedTestModel(CONVERTED_DIR);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
  const parts = await loadModelParts(
    CONVERTED_MODEL_NAME,
    presetDtypes('fp32'),
    'cpu',
    undefined,
    async (file) => readFileSync(join(CONVERTED_DIR, file), 'utf8'),
  );
  const model = new QualityModel(parts);
  model.imageMode = 'reference';
  const checkpoint = openCheckpoint(testCheckpointDir(CONVERTED_DIR));
  const cache = new Map<string, Float32Array>();
  const params: Params = (name) => {
    let values = cache.get(name);
    if (!values) {
      values = readTensor(checkpoint.where.get(name)!, name);
      cache.set(name, values);
    }
    return values;
  };
  return { model, params };
}

export interface ReferenceLogits {
  /** The reference's logits over the whole vocabulary at the prompt's last position. */
  logits: ArrayLike<number>;
  /** Image tokens in the app's prompt (checked equal to the reference's feature rows). */
  imageTokens: number;
  /** Images through the vision tower: the base picture and the tiles. */
  images: number;
}

/**
 * The reference forward pass over the Q-SiT prompt for `image` in reference mode: the prompt's ids
 * come from the app's own template (`model.prepare`), everything after the pixel values from the
 * reference (its own pinpoint choice, tiles, unpadding, cap and newline rows, float64).
 */
export async function referenceAnyresLogits(
  model: QualityModel,
  params: Params,
  photoId: string,
  image: RawImage,
): Promise<ReferenceLogits> {
  const prompt = await model.prepare(
    photoId,
    [{ role: 'user', text: QSIT_RECIPE.question, withImage: true }],
    QSIT_RECIPE.assistantPrefix,
  );
  const ids = Array.from(prompt.inputIds.data as BigInt64Array, Number);
  const reference = model.parts.reference!;
  const { pixelValues } = referencePixelValues(
    { data: image.data, width: image.width, height: image.height, channels: image.channels },
    reference.geometry,
    reference.normalisation,
  );
  const features = referenceAnyresFeatures(
    FIXTURE_CONFIG,
    params,
    pixelValues,
    [image.height, image.width],
    imageGridPinpoints(),
    9,
  );
  const H = FIXTURE_CONFIG.text.hidden;
  const imageTokens = ids.filter((id) => id === FIXTURE_CONFIG.imageTokenIndex).length;
  if (imageTokens !== features.length / H) {
    throw new Error(
      `The prompt holds ${imageTokens} image tokens, the reference made ${features.length / H} feature rows.`,
    );
  }
  const embeds = referenceEmbed(FIXTURE_CONFIG, params, ids);
  let row = 0;
  ids.forEach((id, position) => {
    if (id !== FIXTURE_CONFIG.imageTokenIndex) return;
    embeds.set(features.subarray(row * H, (row + 1) * H), position * H);
    row++;
  });
  const head = 'language_model.model.embed_tokens.weight';
  const positions = ids.map((_, i) => i);
  const { logits } = referenceDecoder(FIXTURE_CONFIG, params, embeds, positions, [], head, 1);
  return {
    logits,
    imageTokens,
    images: pixelValues.length / (3 * 384 * 384),
  };
}
