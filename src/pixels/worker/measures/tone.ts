import type { Histogram } from '../../protocol.ts';
import { SRGB_TO_LINEAR, type Plane, type Rgba } from './image.ts';

/** Channel values at or above this count as blown highlights (JPEG rounding rarely reaches 255). */
export const HIGHLIGHT_LEVEL = 254;
/** Pixels whose brightest channel is at or below this count as crushed shadows. */
export const SHADOW_LEVEL = 2;

/** Everything measured from the colour values alone, in one pass over the pixels. */
export interface ToneStats {
  histogram: Histogram;
  clipping: {
    /** Share (0–1) of pixels with at least one blown channel. */
    highlights: number;
    /** Share blown in all three channels (pure white). */
    white: number;
    /** Share black in every channel. */
    shadows: number;
  };
  exposure: {
    /** Mean linear-light luminance, 0–1. */
    meanLinear: number;
    /** Stops from 18 % mid-grey: 0 EV averages mid-grey, −1 EV half as much light. */
    ev: number;
    /** Mean gamma-encoded luma, 0–1 (what "average brightness" means to a viewer). */
    meanEncoded: number;
  };
  /**
   * Colourfulness M of Hasler & Süsstrunk (2003) on 0–255 sRGB values: σ and μ of the opponent
   * channels rg = R − G and yb = (R + G)/2 − B, M = σ_rgyb + 0.3 μ_rgyb. Their scale: 0 not
   * colourful, 15 slightly, 33 moderately, 45 averagely, 59 quite, 82 highly, 109 extremely.
   */
  colourfulness: number;
}

/** Histograms, clipping, exposure and colourfulness of an image. */
export function toneOf(image: Rgba): ToneStats {
  const r = new Uint32Array(256);
  const g = new Uint32Array(256);
  const b = new Uint32Array(256);
  const l = new Uint32Array(256);
  const { data } = image;
  const n = image.width * image.height;
  let high = 0;
  let white = 0;
  let low = 0;
  let qrg = 0;
  let qyb = 0;
  for (let p = 0, end = n * 4; p < end; p += 4) {
    const red = data[p]!;
    const green = data[p + 1]!;
    const blue = data[p + 2]!;
    r[red]!++;
    g[green]!++;
    b[blue]!++;
    // Rec. 709 weights in 1/256ths (54 + 183 + 19 = 256), rounded.
    l[(54 * red + 183 * green + 19 * blue + 128) >> 8]!++;
    const blown =
      (red >= HIGHLIGHT_LEVEL ? 1 : 0) +
      (green >= HIGHLIGHT_LEVEL ? 1 : 0) +
      (blue >= HIGHLIGHT_LEVEL ? 1 : 0);
    if (blown > 0) {
      high++;
      if (blown === 3) white++;
    } else if (red <= SHADOW_LEVEL && green <= SHADOW_LEVEL && blue <= SHADOW_LEVEL) low++;
    const rg = red - green;
    const yb = 0.5 * (red + green) - blue;
    qrg += rg * rg;
    qyb += yb * yb;
  }
  // Sums that are linear in each channel follow from the channel histograms, not per pixel.
  let linear = 0;
  let sr = 0;
  let sg = 0;
  let sb = 0;
  for (let v = 0; v < 256; v++) {
    const lin = SRGB_TO_LINEAR[v]!;
    linear += lin * (0.2126 * r[v]! + 0.7152 * g[v]! + 0.0722 * b[v]!);
    sr += v * r[v]!;
    sg += v * g[v]!;
    sb += v * b[v]!;
  }
  const encoded = 0.2126 * sr + 0.7152 * sg + 0.0722 * sb;
  const srg = sr - sg;
  const syb = 0.5 * (sr + sg) - sb;
  const meanLinear = n > 0 ? linear / n : 0;
  const mrg = n > 0 ? srg / n : 0;
  const myb = n > 0 ? syb / n : 0;
  const vrg = n > 0 ? Math.max(0, qrg / n - mrg * mrg) : 0;
  const vyb = n > 0 ? Math.max(0, qyb / n - myb * myb) : 0;
  return {
    histogram: { r, g, b, luma: l },
    clipping:
      n > 0
        ? { highlights: high / n, white: white / n, shadows: low / n }
        : { highlights: 0, white: 0, shadows: 0 },
    exposure: {
      meanLinear,
      ev: Math.log2(Math.max(meanLinear, 1e-6) / 0.18),
      meanEncoded: n > 0 ? encoded / n / 255 : 0,
    },
    colourfulness: Math.sqrt(vrg + vyb) + 0.3 * Math.sqrt(mrg * mrg + myb * myb),
  };
}

/** RMS contrast: the standard deviation of luminance on a 0–1 scale (Peli 1990). */
export function rmsContrastOf(luma: Plane): number {
  const { data } = luma;
  const n = data.length;
  if (n === 0) return 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean)) / 255;
}
