/**
 * The app's model code in Node, for tests: the fixture model loaded through the same
 * loadModelParts the worker uses, and real photos as RawImages (sharp standing in for the canvas).
 */
import { join, resolve } from 'node:path';
import { env, RawImage } from '@huggingface/transformers';
import sharp from 'sharp';
import { presetDtypes, type DtypeMap } from '../src/model/precision.ts';
import { QualityModel } from '../src/model/worker/quality-model.ts';
import { loadModelParts } from '../src/model/worker/runtime.ts';
import type { ModelVariant } from './model-graphs/configs.ts';
import {
  FIXTURE_MODEL_ID,
  OPINIONATED_FIXTURE,
  OPINIONATED_FIXTURE_ID,
  writeFixtureModel,
} from './model-graphs/fixture-model.ts';
import { ensureTestPhotos, PHOTOS_DIR } from './test-photos.ts';

const MODELS = resolve('.cache/models');

/** Fixture variants written beside the fixture (same weights), by folder name. */
export const FIXTURE_VARIANTS = {
  /** A decoder exported without the optional `num_logits_to_keep` input: every position's logits. */
  'llava-onevision-fixture-all-logits': { decoderNumLogitsToKeep: false },
  /** The fixture with +30 on the logit of `Excellent`: it rates every photo and attribute 5 / 5. */
  [OPINIONATED_FIXTURE_ID]: OPINIONATED_FIXTURE,
} satisfies Record<string, ModelVariant>;

/**
 * Generates the fixture (or one of its variants) and the test photos if needed, then loads it
 * from disk.
 */
export async function loadFixtureQualityModel(
  dtypes: DtypeMap = presetDtypes('fp32'),
  variant?: keyof typeof FIXTURE_VARIANTS,
): Promise<QualityModel> {
  const id = variant ?? FIXTURE_MODEL_ID;
  if (variant) writeFixtureModel(join(MODELS, id), ['fp32'], false, FIXTURE_VARIANTS[variant]);
  else writeFixtureModel(join(MODELS, id));
  await ensureTestPhotos();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
  return new QualityModel(await loadModelParts(id, dtypes, 'cpu'));
}

/** A test photo (from .cache/photos), upright, as RGB pixels. */
export async function photoPixels(name: string): Promise<RawImage> {
  const { data, info } = await sharp(join(PHOTOS_DIR, name))
    .rotate()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new RawImage(new Uint8ClampedArray(data), info.width, info.height, 3);
}
