/**
 * The model side of the quality map: each region of the photo is cut out and scored exactly as a
 * whole photo is (QualityModel.scoreTransient: encoded as its own image, the recipe's question and
 * answer prefix, the level words' logits), one region at a time; a cancel is seen between regions.
 * The region's features and caches are dropped as soon as it is scored, so a map never pushes the
 * shoot's photos out of the worker's caches.
 */
import { RawImage } from '@huggingface/transformers';
import {
  cropPixels,
  regionCount,
  regionRect,
  type PixelBlock,
  type RegionGrid,
} from '../../lib/region-grid.ts';
import type { QualityMapResult, RegionScore } from '../quality-map.ts';
import type { ScoringRecipe } from '../recipes.ts';
import type { QualityModel } from './quality-model.ts';

/** How a running map reports each region and learns it was cancelled. */
export interface QualityMapHooks {
  isCancelled(): boolean;
  onRegion?(region: RegionScore): void;
  /** Lets a cancel message in between two regions. */
  yieldToEvents?(): Promise<void>;
}

/** The crop of region `index` as transformers.js takes it. */
export function regionImage(image: PixelBlock, grid: RegionGrid, index: number): RawImage {
  const crop = cropPixels(image, regionRect(grid, index, image.width, image.height));
  return new RawImage(
    crop.data as Uint8ClampedArray,
    crop.width,
    crop.height,
    crop.channels as 1 | 2 | 3 | 4,
  );
}

/** Scores every region of `image` on `grid`, in reading order. */
export async function scoreRegions(
  model: QualityModel,
  photoId: string,
  image: PixelBlock,
  grid: RegionGrid,
  recipe: ScoringRecipe,
  hooks: QualityMapHooks,
): Promise<QualityMapResult> {
  const started = performance.now();
  const result: QualityMapResult = {
    grid,
    width: image.width,
    height: image.height,
    regions: [],
    ms: 0,
    cancelled: false,
  };
  for (let index = 0; index < regionCount(grid); index++) {
    await hooks.yieldToEvents?.();
    if (hooks.isCancelled()) return { ...result, cancelled: true, ms: performance.now() - started };
    const crop = regionImage(image, grid, index);
    // A key no photo id can take: the region is never confused with a photo.
    const scored = await model.scoreTransient(`${photoId}\u0000region ${index}`, crop, recipe);
    const region: RegionScore = {
      index,
      rect: regionRect(grid, index, image.width, image.height),
      probabilities: scored.probabilities,
      score: scored.score,
      score100: scored.score100,
      topLevel: scored.topLevel,
      levelLogits: scored.levelLogits,
      timings: scored.timings,
    };
    result.regions.push(region);
    hooks.onRegion?.(region);
  }
  return { ...result, ms: performance.now() - started };
}
