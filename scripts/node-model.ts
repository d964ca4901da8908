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
import { FIXTURE_MODEL_ID, writeFixtureModel } from './model-graphs/fixture-model.ts';
import { ensureTestPhotos, PHOTOS_DIR } from './test-photos.ts';

const MODELS = resolve('.cache/models');

/** Generates the fixture and the test photos if needed, then loads the fixture from disk. */
export async function loadFixtureQualityModel(
  dtypes: DtypeMap = presetDtypes('fp32'),
): Promise<QualityModel> {
  writeFixtureModel(join(MODELS, FIXTURE_MODEL_ID));
  await ensureTestPhotos();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
  return new QualityModel(await loadModelParts(FIXTURE_MODEL_ID, dtypes, 'cpu'));
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
