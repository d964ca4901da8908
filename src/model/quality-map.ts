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

/** What the pixel legend knows of a region (the pixels worker's RegionMeasures). */
export interface RegionPixels {
  index: number;
  sharpness: number;
  noiseSigma: number;
  highlights: number;
  shadows: number;
}

/** Index of the smallest (or, with `sign` −1, largest) finite value; −1 when there is none. */
function extreme(values: readonly number[], sign: 1 | -1 = 1): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (best < 0 || sign * v < sign * values[best]!) best = i;
  }
  return best;
}

/** Median of the finite values (NaN when none). */
function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/**
 * The regions the legend points at: the model's lowest, and the pixels' softest, noisiest and most
 * clipped (−1 where no region stands out: within 15 % of the typical detail, 25 % of its noise).
 */
export interface MapExtremes {
  modelLowest: number;
  softest: number;
  noisiest: number;
  /** −1 when no region has more than 1 % of its pixels clipped. */
  mostClipped: number;
}

/** Finds the regions each reading points at (indices in grid order). */
export function mapExtremes(
  regions: readonly RegionScore[],
  pixels: readonly RegionPixels[],
): MapExtremes {
  const byIndex = <T extends { index: number }>(items: readonly T[], read: (t: T) => number) => {
    const out: number[] = [];
    for (const item of items) out[item.index] = read(item);
    return Array.from(out, (v) => v ?? NaN);
  };
  const clipped = byIndex(pixels, (p) => p.highlights + p.shadows);
  const mostClipped = extreme(clipped, -1);
  const sharpness = byIndex(pixels, (p) => p.sharpness);
  const softest = extreme(sharpness);
  const noise = byIndex(pixels, (p) => p.noiseSigma);
  const noisiest = extreme(noise, -1);
  // A pixel reading points somewhere only when that region stands out from the typical one.
  const typicalNoise = median(noise);
  return {
    modelLowest: extreme(byIndex(regions, (r) => r.score)),
    softest: softest >= 0 && sharpness[softest]! < 0.85 * median(sharpness) ? softest : -1,
    noisiest:
      noisiest >= 0 && noise[noisiest]! > Math.max(1.25 * typicalNoise, typicalNoise + 0.5)
        ? noisiest
        : -1,
    mostClipped: mostClipped >= 0 && clipped[mostClipped]! > 0.01 ? mostClipped : -1,
  };
}

/**
 * One or two plain sentences on whether the model and the pixels point at the same place, e.g.
 * "The model rates the top-left lowest; the pixels find the bottom-right softest."
 */
export function describeAgreement(
  name: (index: number) => string,
  regions: readonly RegionScore[],
  pixels: readonly RegionPixels[],
): string {
  const { modelLowest, softest, noisiest, mostClipped } = mapExtremes(regions, pixels);
  if (modelLowest < 0) return '';
  const lowest = name(modelLowest);
  if (pixels.length === 0) return `The model rates the ${lowest} lowest.`;
  const pointsAt: string[] = [];
  if (softest === modelLowest) pointsAt.push('softest');
  if (noisiest === modelLowest) pointsAt.push('noisiest');
  if (mostClipped === modelLowest) pointsAt.push('most clipped');
  if (pointsAt.length > 0) {
    return `The model and the pixels point at the same place: the model rates the ${lowest} lowest, and the pixels find it the ${joinWords(pointsAt)}.`;
  }
  const elsewhere: string[] = [];
  if (softest >= 0) elsewhere.push(`the ${name(softest)} softest`);
  if (noisiest >= 0) elsewhere.push(`the ${name(noisiest)} noisiest`);
  if (mostClipped >= 0) elsewhere.push(`the ${name(mostClipped)} most clipped`);
  if (elsewhere.length === 0) {
    return `The model rates the ${lowest} lowest; the pixels find no region clearly softer, noisier or more clipped than the rest.`;
  }
  return `The model and the pixels disagree: the model rates the ${lowest} lowest; the pixels find ${joinWords(elsewhere)}.`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
