/**
 * The model folders the benchmark loads: the fixture (CI smoke) or the full-size random model
 * (real shapes), each with and without the decoder's optional `num_logits_to_keep` input. They
 * are generated on demand into .cache/models/ (git-ignored) and skipped when up to date.
 */
import { basename, resolve } from 'node:path';
import type { ModelVariant } from '../model-graphs/configs.ts';
import { FIXTURE_MODEL_ID, writeFixtureModel } from '../model-graphs/fixture-model.ts';
import { writeFullSizeRandomModel } from '../model-graphs/full-size-model.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';

/** Which model the benchmark runs: generated (fixture, full-size random) or a given folder. */
export type ModelSize = 'fixture' | 'full' | 'folder';

/** One model folder to serve and measure. */
export interface BenchModel {
  /** Folder name under the served models/ path (`?model=local:<id>`). */
  id: string;
  dir: string;
  size: ModelSize;
  /** Whether the decoder declares num_logits_to_keep (a given folder: found out when loading). */
  numLogitsToKeep: boolean;
  precisions: PrecisionName[];
}

const FULL_SIZE_ID = 'llava-onevision-full-size';

/** The folders for a size; `withoutKeep` adds the variant whose decoder lacks num_logits_to_keep. */
export function benchModels(
  size: ModelSize,
  precisions: PrecisionName[],
  noKeepPrecisions: PrecisionName[],
): BenchModel[] {
  const base = size === 'fixture' ? `${FIXTURE_MODEL_ID}-bench` : FULL_SIZE_ID;
  const models: BenchModel[] = [
    {
      id: base,
      dir: resolve('.cache/models', base),
      size,
      numLogitsToKeep: true,
      precisions,
    },
  ];
  if (noKeepPrecisions.length > 0) {
    const id = `${base}-no-logits-to-keep`;
    models.push({
      id,
      dir: resolve('.cache/models', id),
      size,
      numLogitsToKeep: false,
      precisions: noKeepPrecisions,
    });
  }
  return models;
}

/**
 * A model folder someone already has (e.g. the real weights downloaded from the Hub, in the same
 * layout: config files, tokenizer, onnx/*.onnx); it is served as it is, never written to.
 */
export function folderModel(dir: string, precisions: PrecisionName[]): BenchModel {
  const path = resolve(dir);
  return {
    id: basename(path),
    dir: path,
    size: 'folder',
    numLogitsToKeep: true,
    precisions,
  };
}

/** Generates (or leaves alone, when up to date) one benchmark model folder. */
export function ensureBenchModel(model: BenchModel): { skipped: boolean; seconds: number } {
  const started = performance.now();
  if (model.size === 'folder') return { skipped: true, seconds: 0 };
  const variant: ModelVariant = { decoderNumLogitsToKeep: model.numLogitsToKeep };
  const result =
    model.size === 'fixture'
      ? writeFixtureModel(model.dir, model.precisions, false, variant)
      : writeFullSizeRandomModel(model.dir, model.precisions, false, variant);
  return { skipped: result.skipped, seconds: (performance.now() - started) / 1000 };
}
