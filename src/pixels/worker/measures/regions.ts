/**
 * The pixel measures of each region of a quality map's grid, from the same measures code as the
 * whole photo: detail (sharpness), noise σ and clipped share, so the page can set them beside the
 * model's region scores. Sharpness is judged at the whole photo's viewing scale (a region of a
 * third of the frame at a third of the 1024 px viewing size), so regions compare with each other.
 */
import { cropPixels, regionCount, regionRect, type RegionGrid } from '../../../lib/region-grid.ts';
import type { RegionMeasures } from '../../protocol.ts';
import { lumaOf, type Rgba } from './image.ts';
import { noiseOf } from './noise.ts';
import { SHARPNESS_LONG_SIDE, sharpnessOf } from './sharpness.ts';
import { toneOf } from './tone.ts';

/** Sharpness, noise and clipping of every region of `image` on `grid`, in reading order. */
export function regionMeasuresOf(image: Rgba, grid: RegionGrid): RegionMeasures[] {
  const longSide = Math.max(image.width, image.height);
  const out: RegionMeasures[] = [];
  for (let index = 0; index < regionCount(grid); index++) {
    const rect = regionRect(grid, index, image.width, image.height);
    const crop = cropPixels({ ...image, channels: 4 }, rect);
    const luma = lumaOf(crop);
    const noise = noiseOf(luma).sigma;
    const viewing = (SHARPNESS_LONG_SIDE * Math.max(rect.width, rect.height)) / longSide;
    const sharpness = sharpnessOf(luma, { noiseSigma: noise, longSide: viewing }).value;
    const { clipping } = toneOf(crop);
    out.push({
      index,
      sharpness,
      noiseSigma: noise,
      highlights: clipping.highlights,
      shadows: clipping.shadows,
    });
  }
  return out;
}
