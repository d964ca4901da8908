/**
 * The quality map's pixel legend on real photos: a region blurred on purpose has the least
 * detail, a region noised on purpose the highest σ, a region blown to white the most clipping,
 * each among all regions of the grid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  distort,
  ensureTestPhotos,
  LADDER_SOURCES,
  ladderSourcePath,
  loadRaw,
  type RawPhoto,
} from '../../../../scripts/test-photos.ts';
import { regionGridFor, regionRect, type RegionGrid } from '../../../lib/region-grid.ts';
import { regionMeasuresOf } from './regions.ts';

beforeAll(ensureTestPhotos, 300_000);

/** `photo` with region `index` of `grid` taken from `damaged`. */
function withRegionFrom(photo: RawPhoto, damaged: RawPhoto, grid: RegionGrid, index: number) {
  const rect = regionRect(grid, index, photo.width, photo.height);
  const data = new Uint8ClampedArray(photo.data);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const from = (y * photo.width + rect.x) * 4;
    data.set(damaged.data.subarray(from, from + rect.width * 4), from);
  }
  return { data, width: photo.width, height: photo.height };
}

const argmin = (values: number[]) => values.indexOf(Math.min(...values));
const argmax = (values: number[]) => values.indexOf(Math.max(...values));

describe('regionMeasuresOf on real photos', () => {
  it('finds the region blurred, noised or blown on purpose', async () => {
    for (const [n, source] of LADDER_SOURCES.slice(0, 3).entries()) {
      const photo = await loadRaw(ladderSourcePath(source), 1024);
      const grid = regionGridFor(photo.width, photo.height);
      const cells = grid.columns * grid.rows;
      const target = (n * 5 + 2) % cells;

      const blurred = withRegionFrom(photo, await distort(photo, 'blur', 6), grid, target);
      const blurredMeasures = regionMeasuresOf(blurred, grid);
      expect(blurredMeasures).toHaveLength(cells);
      expect(argmin(blurredMeasures.map((r) => r.sharpness)), source).toBe(target);

      const noisy = withRegionFrom(photo, await distort(photo, 'noise', 15), grid, target);
      expect(argmax(regionMeasuresOf(noisy, grid).map((r) => r.noiseSigma)), source).toBe(target);

      const white = { ...photo, data: new Uint8ClampedArray(photo.data.length).fill(255) };
      const blown = regionMeasuresOf(withRegionFrom(photo, white, grid, target), grid);
      expect(argmax(blown.map((r) => r.highlights)), source).toBe(target);
      expect(blown[target]!.highlights).toBeCloseTo(1, 6);
    }
  });
});
