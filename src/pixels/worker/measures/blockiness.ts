import type { Plane } from './image.ts';

/** Steps larger than this are real edges, not block seams, and are left out. */
const SEAM_LIMIT = 24;

export interface BlockinessResult {
  /**
   * How much stronger luminance steps are on one 8-pixel phase than on the others, as a ratio
   * minus one: ~0 for a clean image, 0.1 faint blocking, ≥ 0.3 plainly visible 8×8 blocks.
   */
  value: number;
  /** Pixel pairs that took part; too few means the measure was not possible. */
  samples: number;
}

/**
 * JPEG blockiness in the spirit of Wang, Bovik & Evans (2000, "Blind measurement of blocking
 * artifacts in images"): block coding leaves a periodic step every 8 pixels, so the mean absolute
 * neighbour difference is compared across the eight column (and row) phases. The strongest phase
 * is taken as the block seam, whichever offset a crop or rotation gave it, and set against the
 * median of the other seven. Must run on pixels at their original size: any resampling blurs the
 * 8-pixel grid away.
 */
export function blockinessOf(planes: Plane[]): BlockinessResult {
  const sums = new Float64Array(16);
  const counts = new Float64Array(16);
  for (const { data, width: w, height: h } of planes) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x + 1 < w; x++) {
        const d = Math.abs(data[row + x + 1]! - data[row + x]!);
        if (d > SEAM_LIMIT) continue;
        sums[x & 7]! += d;
        counts[x & 7]!++;
      }
    }
    for (let y = 0; y + 1 < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        const d = Math.abs(data[row + w + x]! - data[row + x]!);
        if (d > SEAM_LIMIT) continue;
        sums[8 + (y & 7)]! += d;
        counts[8 + (y & 7)]!++;
      }
    }
  }
  let samples = 0;
  for (const c of counts) samples += c;
  if (samples < 4096) return { value: NaN, samples };
  const ratio = (offset: number): number => {
    const means = Array.from({ length: 8 }, (_, i) =>
      counts[offset + i]! > 0 ? sums[offset + i]! / counts[offset + i]! : 0,
    );
    const seam = means.indexOf(Math.max(...means));
    const others = means.filter((_, i) => i !== seam).sort((a, b) => a - b);
    const median = others[3]!;
    return median > 0.05 ? means[seam]! / median - 1 : 0;
  };
  return { value: (ratio(0) + ratio(8)) / 2, samples };
}
