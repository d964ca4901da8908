import type { Plane } from './image.ts';

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
  // Large planes are sampled on every second row: 100 000 samples or more are plenty for one σ,
  // and it halves the time.
  const rowStep = w * h > 200_000 ? 2 : 1;
  const sampledRows = Math.ceil((h - 2) / rowStep);
  const inner = (w - 2) * sampledRows;
  // |gx| + |gy| of a Sobel pair is at most 8 × 255; whole grey levels are fine enough to rank.
  const gradient = new Uint16Array(inner);
  const response = new Float32Array(inner);
  const ranks = new Uint32Array(8 * 256 + 1);
  let o = 0;
  for (let y = 1; y < h - 1; y += rowStep) {
    let i = y * w + 1;
    for (let x = 1; x < w - 1; x++, i++, o++) {
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
      const magnitude = ((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy) + 0.5) | 0;
      gradient[o] = magnitude;
      ranks[magnitude]!++;
      const r = a + c + g + m - 2 * (b + d + f + k) + 4 * e;
      response[o] = e < 3 || e > 252 ? -1 : r < 0 ? -r : r;
    }
  }
  // Gradient level below which (1 − EDGE_SHARE) of the pixels lie.
  let edge = 0;
  for (let seen = 0, target = (1 - EDGE_SHARE) * inner; edge < ranks.length; edge++) {
    seen += ranks[edge]!;
    if (seen >= target) break;
  }
  const size = tileSize > 0 ? tileSize : Math.max(w, h);
  const columns = Math.ceil((w - 2) / size);
  const rows = Math.ceil((h - 2) / size);
  const tileSum = new Float64Array(columns * rows);
  const tileCount = new Uint32Array(columns * rows);
  let sum = 0;
  let count = 0;
  for (let sy = 0; sy < sampledRows; sy++) {
    const tileRow = Math.floor((sy * rowStep) / size) * columns;
    const row = sy * (w - 2);
    for (let x0 = 0; x0 < w - 2; x0 += size) {
      const t = tileRow + x0 / size;
      const end = Math.min(w - 2, x0 + size);
      let s = 0;
      let n = 0;
      for (let x = x0; x < end; x++) {
        const r = response[row + x]!;
        // Ties at the threshold stay in, so a flat (noise-free) image still measures σ = 0.
        if (r < 0 || gradient[row + x]! > edge) continue;
        s += r;
        n++;
      }
      tileSum[t]! += s;
      tileCount[t]! += n;
      sum += s;
      count += n;
    }
  }
  const scale = SQRT_HALF_PI / 6;
  const sigma = count > 0 ? (scale * sum) / count : NaN;
  if (tileSize <= 0) return { sigma, tiles: null };
  const tileSigma = new Float32Array(columns * rows);
  const minimum = (size * size) / 8 / rowStep;
  for (let t = 0; t < tileSigma.length; t++) {
    tileSigma[t] = tileCount[t]! >= minimum ? (scale * tileSum[t]!) / tileCount[t]! : NaN;
  }
  return { sigma, tiles: { columns, rows, size, sigma: tileSigma } };
}
