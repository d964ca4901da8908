import type { Histogram } from '../../protocol.ts';
import { SRGB_TO_LINEAR, type Plane, type Rgba } from './image.ts';

/** Channel values at or above this count as blown highlights (JPEG rounding rarely reaches 255). */
export const HIGHLIGHT_LEVEL = 254;
/** Pixels whose brightest channel is at or below this count as crushed shadows. */
export const SHADOW_LEVEL = 2;

/** RGB and luminance histograms, 256 bins each. */
export function histogramOf(image: Rgba): Histogram {
  const r = new Uint32Array(256);
  const g = new Uint32Array(256);
  const b = new Uint32Array(256);
  const l = new Uint32Array(256);
  const { data } = image;
  const end = image.width * image.height * 4;
  for (let p = 0; p < end; p += 4) {
    const red = data[p]!;
    const green = data[p + 1]!;
    const blue = data[p + 2]!;
    r[red]!++;
    g[green]!++;
    b[blue]!++;
    // Rec. 709 weights in 1/256ths (54 + 183 + 19 = 256), rounded.
    l[(54 * red + 183 * green + 19 * blue + 128) >> 8]!++;
  }
  return { r, g, b, luma: l };
}

/**
 * Shares (0–1) of pixels with at least one blown channel (`highlights`), of those blown in all
 * three (`white`), and of pixels black in every channel (`shadows`).
 */
export function clippingOf(image: Rgba): { highlights: number; white: number; shadows: number } {
  const { data } = image;
  const n = image.width * image.height;
  let high = 0;
  let white = 0;
  let low = 0;
  for (let p = 0; p < n * 4; p += 4) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    const blown =
      (r >= HIGHLIGHT_LEVEL ? 1 : 0) +
      (g >= HIGHLIGHT_LEVEL ? 1 : 0) +
      (b >= HIGHLIGHT_LEVEL ? 1 : 0);
    if (blown > 0) {
      high++;
      if (blown === 3) white++;
    } else if (r <= SHADOW_LEVEL && g <= SHADOW_LEVEL && b <= SHADOW_LEVEL) low++;
  }
  return n > 0
    ? { highlights: high / n, white: white / n, shadows: low / n }
    : { highlights: 0, white: 0, shadows: 0 };
}

/**
 * Exposure as mean linear luminance and its distance in stops from 18 % mid-grey:
 * 0 EV is a scene averaging mid-grey, −1 EV half as much light.
 */
export function exposureOf(image: Rgba): { meanLinear: number; ev: number; meanEncoded: number } {
  const { data } = image;
  const n = image.width * image.height;
  let linear = 0;
  let encoded = 0;
  for (let p = 0; p < n * 4; p += 4) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    linear +=
      0.2126 * SRGB_TO_LINEAR[r]! + 0.7152 * SRGB_TO_LINEAR[g]! + 0.0722 * SRGB_TO_LINEAR[b]!;
    encoded += 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const meanLinear = n > 0 ? linear / n : 0;
  return {
    meanLinear,
    ev: Math.log2(Math.max(meanLinear, 1e-6) / 0.18),
    meanEncoded: n > 0 ? encoded / n / 255 : 0,
  };
}

/** RMS contrast: the standard deviation of luminance on a 0–1 scale (Peli 1990). */
export function rmsContrastOf(luma: Plane): number {
  const n = luma.data.length;
  if (n === 0) return 0;
  let sum = 0;
  let sq = 0;
  for (const v of luma.data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean)) / 255;
}

/**
 * Colourfulness M of Hasler & Süsstrunk (2003) on 0–255 sRGB values:
 * σ and μ of the opponent channels rg = R − G and yb = (R + G)/2 − B, M = σ_rgyb + 0.3 μ_rgyb.
 * Their scale: 0 not colourful, 15 slightly, 33 moderately, 45 averagely, 59 quite, 82 highly, 109 extremely.
 */
export function colourfulnessOf(image: Rgba): number {
  const { data } = image;
  const n = image.width * image.height;
  if (n === 0) return 0;
  let srg = 0;
  let syb = 0;
  let qrg = 0;
  let qyb = 0;
  for (let p = 0; p < n * 4; p += 4) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    const rg = r - g;
    const yb = 0.5 * (r + g) - b;
    srg += rg;
    syb += yb;
    qrg += rg * rg;
    qyb += yb * yb;
  }
  const mrg = srg / n;
  const myb = syb / n;
  const vrg = Math.max(0, qrg / n - mrg * mrg);
  const vyb = Math.max(0, qyb / n - myb * myb);
  return Math.sqrt(vrg + vyb) + 0.3 * Math.sqrt(mrg * mrg + myb * myb);
}
