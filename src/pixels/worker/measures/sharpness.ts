import { halve, shrinkTo, type Plane } from './image.ts';
import { noiseOf } from './noise.ts';

/** Share of the image, by tiles, that decides "how sharp": the sharpest tenth. */
const SHARPEST_SHARE = 0.1;
/** Octaves measured: the plane at the reference size, then halved twice. */
const OCTAVES = 3;
/**
 * Sharpness is judged at a fixed viewing size, a 1024 px long side (a photo on a screen), so the
 * same scene scores alike from a phone or a 24 MP camera. Pixel-level (100 %) softness is read
 * separately from 1:1 crops.
 */
export const SHARPNESS_LONG_SIDE = 1024;
/** A 4-neighbour Laplacian turns white noise of variance σ² into variance 20σ². */
const LAPLACIAN_NOISE_GAIN = 20;

export interface SharpnessResult {
  /**
   * Detail strength: geometric mean over octaves of the RMS Laplacian (grey levels) in the
   * sharpest tenth of the image, with the part explained by noise taken out.
   */
  value: number;
  /** Detail strength per octave, finest first. */
  octaves: number[];
}

/** Mean squared Laplacian per tile, finest octave: the raw material of the score and the map. */
function laplacianEnergy(plane: Plane, tile: number): Float32Array {
  const { data, width: w, height: h } = plane;
  const columns = Math.max(1, Math.floor((w - 2) / tile));
  const rows = Math.max(1, Math.floor((h - 2) / tile));
  const sum = new Float64Array(columns * rows);
  const count = new Uint32Array(columns * rows);
  for (let y = 1; y < h - 1; y++) {
    const ty = Math.min(rows - 1, Math.floor((y - 1) / tile)) * columns;
    for (let tx = 0; tx < columns; tx++) {
      // The last tile of a row takes the leftover columns.
      const start = 1 + tx * tile;
      const end = tx === columns - 1 ? w - 1 : start + tile;
      let s = 0;
      for (let i = y * w + start, last = y * w + end; i < last; i++) {
        const l = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
        s += l * l;
      }
      sum[ty + tx]! += s;
      count[ty + tx]! += end - start;
    }
  }
  const out = new Float32Array(columns * rows);
  for (let t = 0; t < out.length; t++) out[t] = count[t]! > 0 ? sum[t]! / count[t]! : 0;
  return out;
}

/** RMS Laplacian of the sharpest tiles of one octave, less the share that noise explains. */
function octaveDetail(plane: Plane, knownSigma?: number): number {
  if (plane.width < 8 || plane.height < 8) return NaN;
  const tile = Math.max(8, Math.round(Math.max(plane.width, plane.height) / 32));
  const energy = laplacianEnergy(plane, tile).sort();
  const keep = Math.max(1, Math.round(energy.length * SHARPEST_SHARE));
  let top = 0;
  for (let i = energy.length - keep; i < energy.length; i++) top += energy[i]!;
  top /= keep;
  const sigma = knownSigma ?? noiseOf(plane).sigma;
  const noiseEnergy = Number.isFinite(sigma) ? LAPLACIAN_NOISE_GAIN * sigma * sigma : 0;
  return Math.sqrt(Math.max(0, top - noiseEnergy));
}

/**
 * Multi-scale sharpness from the variance of the Laplacian (Pech-Pacheco et al. 2000), taken in
 * the sharpest tenth of the frame (photographers blur backgrounds on purpose) at three octaves.
 * Pass the plane's noise σ when it is already known, to save measuring it again; `longSide`
 * changes the viewing size (Infinity measures the plane as it is, as for 1:1 crops), `octaves`
 * how many octaves to measure (1 for the finest only).
 */
export function sharpnessOf(
  luma: Plane,
  options: { noiseSigma?: number; longSide?: number; octaves?: number } = {},
): SharpnessResult {
  const octaves: number[] = [];
  const longSide = options.longSide ?? SHARPNESS_LONG_SIDE;
  let plane = shrinkTo(luma, longSide);
  // The noise σ of the given plane holds only if it was not shrunk.
  const knownSigma = plane === luma ? options.noiseSigma : undefined;
  for (let o = 0; o < (options.octaves ?? OCTAVES); o++) {
    const detail = octaveDetail(plane, o === 0 ? knownSigma : undefined);
    if (!Number.isFinite(detail)) break;
    octaves.push(detail);
    plane = halve(plane);
  }
  if (octaves.length === 0) return { value: NaN, octaves };
  // A small floor keeps one empty octave from zeroing the geometric mean.
  const logMean = octaves.reduce((s, d) => s + Math.log(d + 0.5), 0) / octaves.length;
  return { value: Math.exp(logMean) - 0.5, octaves };
}
