/**
 * The quality map's figures, shared by the model worker and the page: each region of a photo
 * scored by the model as if it were a photo of its own (same prompt, same level words, five
 * probabilities, 1–5), on the grid of lib/region-grid.ts.
 */
import type { RegionGrid, RegionRect } from '../lib/region-grid.ts';
import type { QualityScore } from './scoring.ts';

/** One region of the map: where it is and how the model rated it. */
export interface RegionScore extends QualityScore {
  /** Row-major index in the grid, top-left first. */
  index: number;
  /** The cell in pixels of the picture the worker was given. */
  rect: RegionRect;
  /** Raw logits of the five level words, LEVELS order. */
  levelLogits: number[];
  /** Milliseconds: vision encoding of the crop, prefill and total. */
  timings: { encodeMs: number; prefillMs: number; totalMs: number };
}

/** A photo's quality map (partial when cancelled). */
export interface QualityMapResult {
  grid: RegionGrid;
  /** Size of the picture the regions were cut from. */
  width: number;
  height: number;
  regions: RegionScore[];
  ms: number;
  cancelled: boolean;
}
