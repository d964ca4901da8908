/**
 * The anyres image features of the plain TypeScript reference forward pass: base image and tiles
 * through the reference vision tower and projector, then LLaVA-OneVision's packing written a second
 * time, apart from the app's (src/model/anyres.ts), straight from the transformers formulas:
 * - `select_best_resolution` / `get_anyres_image_grid_shape`: the pinpoint keeping the most pixels
 *   of an aspect-preserving fit (then the least waste), in tiles of image_size;
 * - `pack_image_features`: the tiles' [27 × 27] features viewed as one (rows·27) × (cols·27) grid;
 *   `unpad_image` (int(round(side · scale, 7)), the padding (current − new) // 2 off both ends);
 *   the anyres_max_N ratio √(h·w / (N·27²)) and, above 1.1, torch's bilinear interpolate
 *   (align_corners=False) to (h // ratio, w // ratio); image_newline after each row; base first.
 * Grids here are arrays of feature vectors (row-major), not the app's channel-first buffers.
 */
import type { LlavaOnevisionConfig } from '../model-graphs/configs.ts';
import { referenceProjector, referenceVisionTower, type Params } from './reference-forward.ts';

type Grid = Float64Array[][];

/** The pinpoint (height, width) transformers picks for a picture of (height, width). */
export function referenceBestPinpoint(
  original: [number, number],
  pinpoints: number[][],
): [number, number] {
  const [oh, ow] = original;
  let best: [number, number] = [0, 0];
  let bestKept = -1;
  let bestWaste = Infinity;
  for (const [h = 0, w = 0] of pinpoints) {
    const scale = Math.min(w / ow, h / oh);
    const kept = Math.min(Math.floor(ow * scale) * Math.floor(oh * scale), ow * oh);
    const waste = h * w - kept;
    if (kept > bestKept || (kept === bestKept && waste < bestWaste)) {
      best = [h, w];
      bestKept = kept;
      bestWaste = waste;
    }
  }
  return best;
}

/** Python's float a // b for positive values. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  return q;
}

function unpad(grid: Grid, original: [number, number]): Grid {
  const [oh, ow] = original;
  const h = grid.length;
  const w = grid[0]!.length;
  if (ow / oh > w / h) {
    const newHeight = Math.trunc(Number((oh * (w / ow)).toFixed(7)));
    const padding = Math.floor((h - newHeight) / 2);
    return grid.slice(padding, h - padding);
  }
  const newWidth = Math.trunc(Number((ow * (h / oh)).toFixed(7)));
  const padding = Math.floor((w - newWidth) / 2);
  return grid.map((row) => row.slice(padding, w - padding));
}

/** torch.nn.functional.interpolate(mode="bilinear", align_corners=False) of a grid of vectors. */
function bilinear(grid: Grid, outH: number, outW: number): Grid {
  const inH = grid.length;
  const inW = grid[0]!.length;
  const along = (dst: number, inSize: number, outSize: number) => {
    const src = Math.max(0, (dst + 0.5) * (inSize / outSize) - 0.5);
    const lo = Math.min(Math.floor(src), inSize - 1);
    return [lo, Math.min(lo + 1, inSize - 1), src - lo] as const;
  };
  const out: Grid = [];
  for (let y = 0; y < outH; y++) {
    const [y0, y1, ty] = along(y, inH, outH);
    const row: Float64Array[] = [];
    for (let x = 0; x < outW; x++) {
      const [x0, x1, tx] = along(x, inW, outW);
      const a = grid[y0]![x0]!;
      const b = grid[y0]![x1]!;
      const c = grid[y1]![x0]!;
      const d = grid[y1]![x1]!;
      row.push(
        a.map(
          (_, i) =>
            (1 - ty) * ((1 - tx) * a[i]! + tx * b[i]!) + ty * ((1 - tx) * c[i]! + tx * d[i]!),
        ),
      );
    }
    out.push(row);
  }
  return out;
}

/**
 * Image features [tokens, text hidden] for pixel_values [images, 3, S, S] (base image first) of a
 * picture of `original` (height, width).
 */
export function referenceAnyresFeatures(
  config: LlavaOnevisionConfig,
  params: Params,
  pixelValues: Float32Array,
  original: [number, number],
  pinpoints: number[][],
  maxTiles: number,
): Float64Array {
  const S = config.vision.imageSize;
  const side = Math.floor(S / config.vision.patchSize);
  const H = config.text.hidden;
  const images = pixelValues.length / (3 * S * S);
  const perImage: Float64Array[] = [];
  for (let i = 0; i < images; i++) {
    const pixels = pixelValues.subarray(i * 3 * S * S, (i + 1) * 3 * S * S);
    perImage.push(referenceProjector(config, params, referenceVisionTower(config, params, pixels)));
  }
  const [ph, pw] = referenceBestPinpoint(original, pinpoints);
  const rows = Math.floor(ph / S);
  const cols = Math.floor(pw / S);
  if (rows * cols + 1 !== images) throw new Error(`${images} images for a ${rows}×${cols} grid`);
  const vector = (image: number, patch: number) =>
    perImage[image]!.slice(patch * H, (patch + 1) * H);
  let grid: Grid = [];
  for (let y = 0; y < rows * side; y++) {
    const row: Float64Array[] = [];
    for (let x = 0; x < cols * side; x++) {
      const tile = 1 + Math.floor(y / side) * cols + Math.floor(x / side);
      row.push(vector(tile, (y % side) * side + (x % side)));
    }
    grid.push(row);
  }
  grid = unpad(grid, original);
  const h = grid.length;
  const w = grid[0]!.length;
  const ratio = Math.sqrt((h * w) / (maxTiles * side * side));
  if (ratio > 1.1) grid = bilinear(grid, floorDiv(h, ratio), floorDiv(w, ratio));
  const newline = Float64Array.from(params('image_newline'));
  const tokens: Float64Array[] = [];
  for (let p = 0; p < side * side; p++) tokens.push(vector(0, p));
  for (const row of grid) tokens.push(...row, newline);
  const out = new Float64Array(tokens.length * H);
  tokens.forEach((t, i) => out.set(t, i * H));
  return out;
}
