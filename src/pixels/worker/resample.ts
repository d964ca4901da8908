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
  const row = new Float32Array(width);
  // Which output rows each source row feeds, and with what weight (at most `down.taps` rows).
  const feeds: { j: number; w: number }[][] = Array.from({ length: plane.height }, () => []);
  for (let j = 0; j < height; j++) {
    for (let k = 0; k < down.taps; k++) {
      const w = down.weights[j * down.taps + k]!;
      if (w !== 0) feeds[down.first[j]! + k]!.push({ j, w });
    }
  }
  const { data, stride } = plane;
  const { first, taps, weights } = across;
  for (let sy = 0; sy < plane.height; sy++) {
    const targets = feeds[sy]!;
    if (targets.length === 0) continue;
    const base = sy * stride;
    for (let x = 0, t = 0; x < width; x++, t += taps) {
      let s = 0;
      for (let k = 0, i = base + first[x]!; k < taps; k++, i++) s += data[i]! * weights[t + k]!;
      row[x] = s;
    }
    for (const { j, w } of targets) {
      const o = j * width;
      for (let x = 0; x < width; x++) out[o + x]! += w * row[x]!;
    }
  }
  return out;
}

/** JFIF (full-range BT.601) Y′CbCr → RGBA, as every JPEG decoder converts. */
function writeRgb(out: Uint8ClampedArray, p: number, l: number, cb: number, cr: number): void {
  const u = cb - 128;
  const v = cr - 128;
  out[p] = l + 1.402 * v;
  out[p + 1] = l - 0.344136 * u - 0.714136 * v;
  out[p + 2] = l + 1.772 * u;
  out[p + 3] = 255;
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
  for (let i = 0, p = 0; i < y.length; i++, p += 4) writeRgb(data, p, y[i]!, cb[i]!, cr[i]!);
  return { data, width, height };
}

/**
 * A 1:1 crop in RGBA, its chroma upsampled as libjpeg's "fancy" upsampling does (each luma pixel
 * takes its chroma sample at 3/4 and the neighbour on its side at 1/4, per direction), which is
 * what the browser's JPEG decoder gives for the same pixels.
 */
export function cropFromYCbCr(
  planes: YCbCrPlanes,
  left: number,
  top: number,
  width: number,
  height: number,
): Rgba {
  const sx = planes.cb.width < planes.width ? 2 : 1;
  const sy = planes.cb.height < planes.height ? 2 : 1;
  const { cb, cr, y: luma } = planes;
  const data = new Uint8ClampedArray(width * height * 4);
  const clampX = (i: number) => Math.max(0, Math.min(cb.width - 1, i));
  const clampY = (i: number) => Math.max(0, Math.min(cb.height - 1, i));
  // Chroma sample and its neighbour on the pixel's side, with their weights, per axis.
  const axis = (pos: number, factor: number, clamp: (i: number) => number) => {
    if (factor === 1) return { a: clamp(pos), b: clamp(pos), wa: 1 };
    const a = pos >> 1;
    return { a: clamp(a), b: clamp(pos & 1 ? a + 1 : a - 1), wa: 0.75 };
  };
  for (let j = 0; j < height; j++) {
    const Y = top + j;
    const ry = axis(Y, sy, clampY);
    for (let i = 0; i < width; i++) {
      const X = left + i;
      const rx = axis(X, sx, clampX);
      const sample = (plane: Plane8) => {
        const near = plane.data[ry.a * plane.stride + rx.a]! * rx.wa;
        const side = plane.data[ry.a * plane.stride + rx.b]! * (1 - rx.wa);
        const far = plane.data[ry.b * plane.stride + rx.a]! * rx.wa;
        const corner = plane.data[ry.b * plane.stride + rx.b]! * (1 - rx.wa);
        return (near + side) * ry.wa + (far + corner) * (1 - ry.wa);
      };
      writeRgb(data, (j * width + i) * 4, luma.data[Y * luma.stride + X]!, sample(cb), sample(cr));
    }
  }
  return { data, width, height };
}
