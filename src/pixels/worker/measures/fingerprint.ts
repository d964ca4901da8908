/**
 * The pixel fingerprint used to group bursts before (or instead of) the model's features: a
 * difference hash and a tiny greyscale layout (both indifferent to exposure, blur and small
 * shifts), and a coarse colour layout that tells apart scenes of the same shapes.
 */
import type { PhotoFingerprint } from '../../protocol.ts';
import { lumaOf, shrinkTo, type Plane, type Rgba } from './image.ts';

/** Box-averages a plane to exactly `width` × `height` (the picture is squeezed, not cropped). */
function squeeze(plane: Plane, width: number, height: number): Float32Array {
  // Shrink first to a few times the target with the fast area average, then sample cells.
  const small = shrinkTo(plane, Math.max(width, height) * 8);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * small.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * small.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * small.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * small.width) / width));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) sum += small.data[sy * small.width + sx]!;
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The fingerprint of an upright photo (any size; the working copy is what the worker passes). */
export function fingerprintOf(image: Rgba): PhotoFingerprint {
  const luma = lumaOf(image);

  // dHash: is each cell brighter than its right neighbour, over a 9 × 8 grid.
  const grid = squeeze(luma, 9, 8);
  let dHash = '';
  for (let y = 0; y < 8; y++) {
    let nibbles = 0;
    for (let x = 0; x < 8; x++) {
      nibbles = (nibbles << 1) | (grid[y * 9 + x]! > grid[y * 9 + x + 1]! ? 1 : 0);
    }
    dHash += nibbles.toString(16).padStart(2, '0');
  }

  const cells = squeeze(luma, 8, 8);
  const mean = cells.reduce((a, b) => a + b, 0) / cells.length;
  let norm = 0;
  for (const v of cells) norm += (v - mean) ** 2;
  norm = Math.sqrt(norm) || 1;
  const layout = Array.from(cells, (v) => round4((v - mean) / norm));

  // Opponent colour planes, divided by the mean brightness so a brighter frame keeps its colours.
  const { data, width, height } = image;
  const rg = new Float32Array(width * height);
  const yb = new Float32Array(width * height);
  for (let i = 0, p = 0; i < rg.length; i++, p += 4) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    rg[i] = r - g;
    yb[i] = (r + g) / 2 - b;
  }
  const scale = Math.max(8, luma.data.reduce((a, b) => a + b, 0) / luma.data.length);
  const rgCells = squeeze({ data: rg, width, height }, 4, 4);
  const ybCells = squeeze({ data: yb, width, height }, 4, 4);
  const colour = [...rgCells, ...ybCells].map((v) => round4(v / scale));
  return { dHash, layout, colour };
}
