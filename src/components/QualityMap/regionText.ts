/**
 * Words and colours for one region of the quality map, shared by the overlay and the legend:
 * the model's score first, then the same region's pixel measures.
 */
import type { RegionScore } from '../../model/quality-map.ts';
import type { RegionMeasures } from '../../pixels/protocol.ts';

/** "12.3" or "–" when the number could not be measured. */
export const figure = (value: number | undefined, digits = 1): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);

/** Share of clipped pixels (blown + black) as a percentage. */
export const clippedPercent = (pixels: RegionMeasures | undefined): string =>
  pixels ? `${((pixels.highlights + pixels.shadows) * 100).toFixed(1)} %` : '–';

/**
 * A translucent fill from red (1, bad) through amber to green (5, excellent). The score number is
 * always printed on the region too, so colour is never the only carrier.
 */
export function regionFill(score: number): string {
  const t = Math.min(1, Math.max(0, (score - 1) / 4));
  return `hsla(${Math.round(t * 120)}, 85%, 45%, 0.38)`;
}

/** The sentence a screen reader and the tooltip give for a region. */
export function regionSummary(
  name: string,
  region: RegionScore | undefined,
  pixels: RegionMeasures | undefined,
): string {
  const model = region
    ? `model ${region.score.toFixed(2)} of 5 (${region.topLevel} most likely)`
    : 'model score not yet known';
  const measured = pixels
    ? `; sharpness ${figure(pixels.sharpness)}, noise σ ${figure(pixels.noiseSigma)}, clipped ${clippedPercent(pixels)}`
    : '';
  return `${name}: ${model}${measured}`;
}
