import { quantile, type Plane } from './image.ts';

/** Per-tile noise, for the noise map. */
export interface NoiseTiles {
  columns: number;
  rows: number;
  /** Tile size in pixels of the measured plane. */
  size: number;
  /** σ per tile, NaN where a tile had too few flat pixels to say. */
  sigma: Float32Array;
}

/** Share of strongest-gradient pixels left out as edges (Tai & Yang use 10 %). */
const EDGE_SHARE = 0.1;
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/**
 * Standard deviation of additive noise in grey levels (0–255), by Immerkær's fast estimator
 * (1996): the mean absolute response to the mask [1 −2 1; −2 4 −2; 1 −2 1], which cancels
 * smooth image structure, scaled by √(π/2)/6. Following Tai & Yang (2008) the strongest 10 % of
 * Sobel edges are left out, and so are clipped pixels, where noise cannot show.
 */
export function noiseOf(luma: Plane, tileSize = 0): { sigma: number; tiles: NoiseTiles | null } {
  const { data, width: w, height: h } = luma;
  if (w < 3 || h < 3) return { sigma: NaN, tiles: null };
  const gradient = new Float32Array((w - 2) * (h - 2));
  const response = new Float32Array((w - 2) * (h - 2));
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const a = data[i - w - 1]!;
      const b = data[i - w]!;
      const c = data[i - w + 1]!;
      const d = data[i - 1]!;
      const e = data[i]!;
      const f = data[i + 1]!;
      const g = data[i + w - 1]!;
      const k = data[i + w]!;
      const m = data[i + w + 1]!;
      const gx = c + 2 * f + m - a - 2 * d - g;
      const gy = g + 2 * k + m - a - 2 * b - c;
      const o = (y - 1) * (w - 2) + (x - 1);
      gradient[o] = Math.abs(gx) + Math.abs(gy);
      response[o] = e < 3 || e > 252 ? -1 : Math.abs(a + c + g + m - 2 * (b + d + f + k) + 4 * e);
    }
  }
  const edge = quantile(gradient, 1 - EDGE_SHARE);
  const size = tileSize > 0 ? tileSize : Math.max(w, h);
  const columns = Math.ceil((w - 2) / size);
  const rows = Math.ceil((h - 2) / size);
  const tileSum = new Float64Array(columns * rows);
  const tileCount = new Uint32Array(columns * rows);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < h - 2; y++) {
    const tileRow = Math.floor(y / size) * columns;
    for (let x = 0; x < w - 2; x++) {
      const o = y * (w - 2) + x;
      const r = response[o]!;
      // Ties at the threshold stay in, so a flat (noise-free) image still measures σ = 0.
      if (r < 0 || (gradient[o]! > edge && edge > 0)) continue;
      sum += r;
      count++;
      const t = tileRow + Math.floor(x / size);
      tileSum[t]! += r;
      tileCount[t]!++;
    }
  }
  const scale = SQRT_HALF_PI / 6;
  const sigma = count > 0 ? (scale * sum) / count : NaN;
  if (tileSize <= 0) return { sigma, tiles: null };
  const tileSigma = new Float32Array(columns * rows);
  const minimum = (size * size) / 8;
  for (let t = 0; t < tileSigma.length; t++) {
    tileSigma[t] = tileCount[t]! >= minimum ? (scale * tileSum[t]!) / tileCount[t]! : NaN;
  }
  return { sigma, tiles: { columns, rows, size, sigma: tileSigma } };
}
