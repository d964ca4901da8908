/**
 * The pixel fingerprint used to group bursts before (or instead of) the model's features: a
 * difference hash and a tiny greyscale layout (both indifferent to exposure, blur and small
 * shifts), and a coarse colour layout that tells apart scenes of the same shapes.
 */
import type { PhotoFingerprint } from '../../protocol.ts';
import { shrinkTo, type Plane, type Rgba } from './image.ts';

/** Long side the photo is first shrunk to, in one pass: a few times the finest cell grid (9 × 8). */
const SMALL_LONG_SIDE = 144;

/**
 * The picture's R, G and B box-averaged to a long side of at most `longSide` (each output pixel
 * the mean of the source pixels it covers, as shrinkTo does), in one pass over the pixels: every
 * plane the fingerprint needs is linear in R, G and B, so it can be made from these small ones.
 */
function shrinkRgb(image: Rgba, longSide: number): { r: Plane; g: Plane; b: Plane } {
  const { data, width: w, height: h } = image;
  const scale = Math.max(1, Math.max(w, h) / longSide);
  const width = Math.max(1, Math.round(w / scale));
  const height = Math.max(1, Math.round(h / scale));
  const edges = (count: number, size: number) =>
    Int32Array.from({ length: count + 1 }, (_, i) => Math.min(size, Math.round(i * scale)));
  const xs = edges(width, w);
  const ys = edges(height, h);
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  const sums = [0, 1, 2].map(() => new Float64Array(w));
  const [sr, sg, sb] = sums as [Float64Array, Float64Array, Float64Array];
  for (let y = 0; y < height; y++) {
    for (const s of sums) s.fill(0);
    const y0 = ys[y]!;
    const y1 = Math.max(y0 + 1, ys[y + 1]!);
    for (let sy = y0; sy < y1; sy++) {
      for (let x = 0, p = sy * w * 4; x < w; x++, p += 4) {
        sr[x]! += data[p]!;
        sg[x]! += data[p + 1]!;
        sb[x]! += data[p + 2]!;
      }
    }
    for (let x = 0; x < width; x++) {
      const x0 = xs[x]!;
      const x1 = Math.max(x0 + 1, xs[x + 1]!);
      const area = (x1 - x0) * (y1 - y0);
      sums.forEach((s, c) => {
        let sum = 0;
        for (let sx = x0; sx < x1; sx++) sum += s[sx]!;
        planes[c]![y * width + x] = sum / area;
      });
    }
  }
  const [r, g, b] = planes.map((data) => ({ data, width, height })) as [Plane, Plane, Plane];
  return { r, g, b };
}

/** A plane computed cell by cell from the small R, G and B planes. */
function mix(
  { r, g, b }: { r: Plane; g: Plane; b: Plane },
  f: (r: number, g: number, b: number) => number,
): Plane {
  const data = new Float32Array(r.data.length);
  for (let i = 0; i < data.length; i++) data[i] = f(r.data[i]!, g.data[i]!, b.data[i]!);
  return { data, width: r.width, height: r.height };
}

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

/**
 * The fingerprint of an upright photo (any size; the working copy is what the worker passes).
 * It reads the pixels once, into a small copy (long side 144), and works on that.
 */
export function fingerprintOf(image: Rgba): PhotoFingerprint {
  const small = shrinkRgb(image, SMALL_LONG_SIDE);
  // Rec. 709 luma, as lumaOf; the mean brightness is the small copy's (its cells are equal to ±1 px).
  const luma = mix(small, (r, g, b) => 0.2126 * r + 0.7152 * g + 0.0722 * b);

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
  let total = 0;
  for (const v of luma.data) total += v;
  const scale = Math.max(8, total / luma.data.length);
  const rgCells = squeeze(
    mix(small, (r, g) => r - g),
    4,
    4,
  );
  const ybCells = squeeze(
    mix(small, (r, g, b) => (r + g) / 2 - b),
    4,
    4,
  );
  const colour = [...rgCells, ...ybCells].map((v) => round4(v / scale));
  return { dHash, layout, colour };
}
