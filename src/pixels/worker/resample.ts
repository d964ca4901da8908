/**
 * Working copies made straight from a JPEG's decoded Y′CbCr planes: an area-averaging (box)
 * reduction of each plane to the working size, then one JFIF colour conversion at that size.
 * Pure: the worker and the Node tests run the same code.
 */
import type { Rgba } from './measures/image.ts';

/** One 8-bit plane, rows `stride` bytes apart. */
export interface Plane8 {
  data: Uint8Array;
  width: number;
  height: number;
  stride: number;
}

/** A JPEG's planes as the decoder left them; chroma may be subsampled (4:2:0, 4:2:2) or not. */
export interface YCbCrPlanes {
  /** Luma size, the picture's stored (not yet upright) size. */
  width: number;
  height: number;
  y: Plane8;
  cb: Plane8;
  cr: Plane8;
}

/**
 * Area weights of a reduction from `from` to `to` samples of a line `span` luma pixels long:
 * output sample j covers [j·s, (j+1)·s) with s = span / to, source sample i covers
 * [i·unit, (i+1)·unit) with unit = span / from (2 for half-width chroma). Each output's weights
 * sum to 1. `taps` weights per output, starting at `first[j]`.
 */
export function areaWeights(
  from: number,
  to: number,
  span = from,
): { first: Int32Array; taps: number; weights: Float32Array } {
  const unit = span / from;
  const scale = span / to;
  const taps = Math.min(from, Math.ceil(scale / unit) + 1);
  const first = new Int32Array(to);
  const weights = new Float32Array(to * taps);
  for (let j = 0; j < to; j++) {
    const start = j * scale;
    const end = Math.min(span, (j + 1) * scale);
    // The window starts at the first sample touched, moved left near the end so it stays inside.
    const i0 = Math.max(0, Math.min(from - taps, Math.floor(start / unit)));
    first[j] = i0;
    let total = 0;
    for (let k = 0; k < taps; k++) {
      const i = i0 + k;
      const overlap = Math.min(end, (i + 1) * unit) - Math.max(start, i * unit);
      if (overlap <= 0) continue;
      weights[j * taps + k] = overlap;
      total += overlap;
    }
    for (let k = 0; k < taps; k++) weights[j * taps + k]! /= total;
  }
  return { first, taps, weights };
}

/**
 * Catmull–Rom weights of a reduction from `from` to `to` samples (`span` as in areaWeights):
 * each output is interpolated from the 4 source samples around its centre, with no prefilter,
 * which is what the browser's "high" resize quality does (Skia's CatmullRom cubic). Edges repeat
 * the last sample.
 */
export function cubicWeights(
  from: number,
  to: number,
  span = from,
): { first: Int32Array; taps: number; weights: Float32Array } {
  const taps = Math.min(4, from);
  const first = new Int32Array(to);
  const weights = new Float32Array(to * taps);
  const step = span / to / (span / from);
  for (let j = 0; j < to; j++) {
    const centre = (j + 0.5) * step - 0.5;
    const base = Math.floor(centre);
    const t = centre - base;
    const raw = [
      (-t * t * t + 2 * t * t - t) / 2,
      (3 * t * t * t - 5 * t * t + 2) / 2,
      (-3 * t * t * t + 4 * t * t + t) / 2,
      (t * t * t - t * t) / 2,
    ];
    const i0 = Math.max(0, Math.min(from - taps, base - 1));
    first[j] = i0;
    raw.forEach((w, k) => {
      const i = Math.max(0, Math.min(from - 1, base - 1 + k));
      weights[j * taps + (i - i0)]! += w;
    });
  }
  return { first, taps, weights };
}

/** How a plane is reduced: by area (box) or by Catmull–Rom interpolation. */
export type ReduceFilter = 'area' | 'cubic';

/**
 * Reduces a plane to `width` × `height`, by area averaging (each output pixel is the mean of the
 * source area it covers) or Catmull–Rom interpolation, one source row at a time, so no
 * full-size intermediate is kept.
 * `spanWidth`/`spanHeight` give the luma size the plane stands for (chroma planes are smaller).
 */
export function reducePlane(
  plane: Plane8,
  width: number,
  height: number,
  spanWidth = plane.width,
  spanHeight = plane.height,
  filter: ReduceFilter = 'area',
): Float32Array {
  const weightsOf = filter === 'cubic' ? cubicWeights : areaWeights;
  const across = weightsOf(plane.width, width, spanWidth);
  const down = weightsOf(plane.height, height, spanHeight);
  const out = new Float32Array(width * height);
  // Down first: each output row mixes a few whole source rows into one full-width row, then
  // that row is reduced across. Four taps (Catmull–Rom) get their own unrolled loops.
  const mixed = new Float32Array(plane.width);
  const { data, stride } = plane;
  const sw = plane.width;
  for (let j = 0; j < height; j++) {
    const t = j * down.taps;
    const r0 = down.first[j]! * stride;
    if (down.taps === 4) {
      const [w0, w1, w2, w3] = down.weights.subarray(t, t + 4) as unknown as number[];
      const r1 = r0 + stride;
      const r2 = r1 + stride;
      const r3 = r2 + stride;
      for (let x = 0; x < sw; x++) {
        mixed[x] =
          w0! * data[r0 + x]! + w1! * data[r1 + x]! + w2! * data[r2 + x]! + w3! * data[r3 + x]!;
      }
    } else {
      mixed.fill(0);
      for (let k = 0; k < down.taps; k++) {
        const w = down.weights[t + k]!;
        if (w === 0) continue;
        const r = r0 + k * stride;
        for (let x = 0; x < sw; x++) mixed[x]! += w * data[r + x]!;
      }
    }
    const o = j * width;
    const { first, taps, weights } = across;
    if (taps === 4) {
      for (let x = 0, q = 0; x < width; x++, q += 4) {
        const i = first[x]!;
        out[o + x] =
          weights[q]! * mixed[i]! +
          weights[q + 1]! * mixed[i + 1]! +
          weights[q + 2]! * mixed[i + 2]! +
          weights[q + 3]! * mixed[i + 3]!;
      }
    } else {
      for (let x = 0, q = 0; x < width; x++, q += taps) {
        let sum = 0;
        for (let k = 0, i = first[x]!; k < taps; k++, i++) sum += weights[q + k]! * mixed[i]!;
        out[o + x] = sum;
      }
    }
  }
  return out;
}

/**
 * The planes reduced to `width` × `height` and turned into RGBA. Reducing before the conversion
 * gives the same values as converting first, because the conversion is linear (up to clipping at
 * 0 and 255). The default filter is the browser's own "high" resize (Catmull–Rom), so the
 * measures read what they read on a working copy the browser made.
 */
export function rgbaFromYCbCr(
  planes: YCbCrPlanes,
  width: number,
  height: number,
  filter: ReduceFilter = 'cubic',
): Rgba {
  const { width: w, height: h } = planes;
  const y = reducePlane(planes.y, width, height, w, h, filter);
  const cb = reducePlane(planes.cb, width, height, w, h, filter);
  const cr = reducePlane(planes.cr, width, height, w, h, filter);
  const data = new Uint8ClampedArray(width * height * 4);
  // One 32-bit store per pixel (RGBA in memory order on the little-endian machines browsers run
  // on); the word stays a signed 32-bit integer, which the Uint32Array stores as its bits.
  const words = new Uint32Array(data.buffer);
  for (let i = 0; i < y.length; i++) {
    const l = y[i]!;
    const u = cb[i]! - 128;
    const v = cr[i]! - 128;
    const r = l + 1.402 * v;
    const g = l - 0.344136 * u - 0.714136 * v;
    const b = l + 1.772 * u;
    words[i] =
      (r <= 0 ? 0 : r >= 255 ? 255 : (r + 0.5) | 0) |
      ((g <= 0 ? 0 : g >= 255 ? 255 : (g + 0.5) | 0) << 8) |
      ((b <= 0 ? 0 : b >= 255 ? 255 : (b + 0.5) | 0) << 16) |
      0xff000000;
  }
  return { data, width, height };
}

/**
 * Where each output pixel of one axis takes its chroma under libjpeg's "fancy" upsampling: the
 * sample under it (`near`, weight `weight`) and the neighbour on its side (`side`, 1 − weight),
 * clamped to the plane. Without subsampling both are the sample under it.
 */
function chromaTaps(
  start: number,
  count: number,
  factor: number,
  size: number,
): { near: Int32Array; side: Int32Array; weight: number } {
  const near = new Int32Array(count);
  const side = new Int32Array(count);
  const clamp = (i: number) => (i < 0 ? 0 : i >= size ? size - 1 : i);
  for (let k = 0; k < count; k++) {
    const pos = start + k;
    if (factor === 1) {
      near[k] = side[k] = clamp(pos);
    } else {
      const a = pos >> 1;
      near[k] = clamp(a);
      side[k] = clamp(pos & 1 ? a + 1 : a - 1);
    }
  }
  return { near, side, weight: factor === 1 ? 1 : 0.75 };
}

/**
 * A 1:1 crop in RGBA, its chroma upsampled as libjpeg's "fancy" upsampling does (each luma pixel
 * takes its chroma sample at 3/4 and the neighbour on its side at 1/4, per direction), which is
 * what the browser's JPEG decoder gives for the same pixels, and converted as JFIF says
 * (full-range BT.601).
 */
export function cropFromYCbCr(
  planes: YCbCrPlanes,
  left: number,
  top: number,
  width: number,
  height: number,
): Rgba {
  const { cb, cr, y: luma } = planes;
  const columns = chromaTaps(left, width, cb.width < planes.width ? 2 : 1, cb.width);
  const rows = chromaTaps(top, height, cb.height < planes.height ? 2 : 1, cb.height);
  const wx = columns.weight;
  const wy = rows.weight;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let j = 0; j < height; j++) {
    const nearRow = rows.near[j]! * cb.stride;
    const sideRow = rows.side[j]! * cb.stride;
    const nearRowCr = rows.near[j]! * cr.stride;
    const sideRowCr = rows.side[j]! * cr.stride;
    const lumaRow = (top + j) * luma.stride + left;
    for (let i = 0, p = j * width * 4; i < width; i++, p += 4) {
      const a = columns.near[i]!;
      const b = columns.side[i]!;
      const u =
        (cb.data[nearRow + a]! * wx + cb.data[nearRow + b]! * (1 - wx)) * wy +
        (cb.data[sideRow + a]! * wx + cb.data[sideRow + b]! * (1 - wx)) * (1 - wy) -
        128;
      const v =
        (cr.data[nearRowCr + a]! * wx + cr.data[nearRowCr + b]! * (1 - wx)) * wy +
        (cr.data[sideRowCr + a]! * wx + cr.data[sideRowCr + b]! * (1 - wx)) * (1 - wy) -
        128;
      const l = luma.data[lumaRow + i]!;
      data[p] = l + 1.402 * v;
      data[p + 1] = l - 0.344136 * u - 0.714136 * v;
      data[p + 2] = l + 1.772 * u;
      data[p + 3] = 255;
    }
  }
  return { data, width, height };
}
