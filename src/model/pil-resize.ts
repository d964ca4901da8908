/**
 * Pillow's `Image.resize(size, Image.BICUBIC)` for 8-bit RGB pictures, reimplemented so the
 * reference image mode resizes exactly as transformers' LLaVA-OneVision image processor does (it
 * hands uint8 pictures to Pillow). The browser's canvas and sharp both resize differently.
 *
 * What Pillow does (libImaging/Resample.c, read to learn the algorithm, not copied):
 * - a separable, antialiased convolution: the bicubic kernel (a = −0.5, support 2) is stretched by
 *   the downscale factor, so shrinking averages over every source pixel it covers;
 * - per output pixel, the taps run from ⌊centre − support + ½⌋ to ⌊centre + support + ½⌋ (clamped
 *   to the picture), their weights normalised to sum to 1, then turned into 22-bit fixed point
 *   (rounded half away from zero);
 * - the horizontal pass runs first and is stored as 8-bit (rounded, clipped), then the vertical
 *   pass reads those bytes; a side whose size does not change is not resampled at all.
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** Pillow's bicubic kernel (a = −0.5, Keys' cubic convolution). */
export function bicubicKernel(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** One output pixel's taps: the first source index and the fixed-point weights. */
export interface Taps {
  first: number;
  weights: Int32Array;
}

/** The taps of every output pixel along one side (Pillow's precompute_coeffs + 8-bit normalise). */
export function bicubicTaps(inSize: number, outSize: number): Taps[] {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const taps: Taps[] = [];
  for (let out = 0; out < outSize; out++) {
    const centre = (out + 0.5) * scale;
    const first = Math.max(0, Math.trunc(centre - support + 0.5));
    const end = Math.min(inSize, Math.trunc(centre + support + 0.5));
    const raw: number[] = [];
    let sum = 0;
    for (let x = first; x < end; x++) {
      const w = bicubicKernel((x - centre + 0.5) / filterScale);
      raw.push(w);
      sum += w;
    }
    const weights = Int32Array.from(raw, (w) => {
      const normalised = sum !== 0 ? w / sum : w;
      return Math.trunc(normalised < 0 ? normalised * ONE - 0.5 : normalised * ONE + 0.5);
    });
    taps.push({ first, weights });
  }
  return taps;
}

function clip8(accumulated: number): number {
  if (accumulated <= 0) return 0;
  const value = Math.floor(accumulated / ONE);
  return value > 255 ? 255 : value;
}

/**
 * Resizes interleaved 8-bit pixels (`channels` per pixel; the first three, RGB, are kept) to
 * `outWidth` × `outHeight` RGB, as Pillow's BICUBIC resize of an RGB image.
 */
export function resizeBicubicPil(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Uint8ClampedArray {
  // Plain RGB first (Pillow's image has three bands here).
  let rgb = new Uint8ClampedArray(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = pixels[i * channels] ?? 0;
    rgb[i * 3 + 1] = pixels[i * channels + 1] ?? 0;
    rgb[i * 3 + 2] = pixels[i * channels + 2] ?? 0;
  }
  let w = width;
  if (outWidth !== width) {
    const taps = bicubicTaps(width, outWidth);
    const out = new Uint8ClampedArray(outWidth * height * 3);
    for (let y = 0; y < height; y++) {
      const row = y * width * 3;
      for (let x = 0; x < outWidth; x++) {
        const { first, weights } = taps[x]!;
        let r = HALF;
        let g = HALF;
        let b = HALF;
        for (let k = 0; k < weights.length; k++) {
          const at = row + (first + k) * 3;
          const wk = weights[k]!;
          r += rgb[at]! * wk;
          g += rgb[at + 1]! * wk;
          b += rgb[at + 2]! * wk;
        }
        const o = (y * outWidth + x) * 3;
        out[o] = clip8(r);
        out[o + 1] = clip8(g);
        out[o + 2] = clip8(b);
      }
    }
    rgb = out;
    w = outWidth;
  }
  if (outHeight !== height) {
    const taps = bicubicTaps(height, outHeight);
    const out = new Uint8ClampedArray(w * outHeight * 3);
    for (let y = 0; y < outHeight; y++) {
      const { first, weights } = taps[y]!;
      for (let x = 0; x < w; x++) {
        let r = HALF;
        let g = HALF;
        let b = HALF;
        for (let k = 0; k < weights.length; k++) {
          const at = ((first + k) * w + x) * 3;
          const wk = weights[k]!;
          r += rgb[at]! * wk;
          g += rgb[at + 1]! * wk;
          b += rgb[at + 2]! * wk;
        }
        const o = (y * w + x) * 3;
        out[o] = clip8(r);
        out[o + 1] = clip8(g);
        out[o + 2] = clip8(b);
      }
    }
    rgb = out;
  }
  return rgb;
}
