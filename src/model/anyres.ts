/**
 * LLaVA-OneVision "anyres" image layout as pure functions: which grid pinpoint an image gets, how it
 * is resized, padded and cut into tiles, which feature rows survive unpadding, the anyres_max_9 cap,
 * where the image_newline rows go, and so how many `<image>` tokens the prompt must hold.
 *
 * Written from the Hugging Face transformers sources (read to learn, not copied):
 * - image_processing_utils.py `select_best_resolution`: the pinpoint (height, width) whose
 *   aspect-preserving downscale keeps the most pixels (capped at the original count), ties broken by
 *   the least wasted area; the first such pinpoint wins.
 * - models/llava_onevision/image_processing_llava_onevision.py: `get_patch_output_size` (scale by
 *   the tighter side, the other side rounded up and capped), `_pad_for_patching` (centred, the odd
 *   pixel on the bottom/right), `divide_to_patches` (row-major tiles of image_size), and the base
 *   image: the whole picture resized to image_size × image_size, first in pixel_values.
 * - models/llava_onevision/modeling_llava_onevision.py: `get_anyres_image_grid_shape` (tiles per
 *   side = pinpoint / image_size), `pack_image_features` (tile features laid out as one
 *   [rows·27, cols·27] grid, `unpad_image` crops the padding's rows or columns using
 *   int(round(side · scale, 7)), the cap: if √(h·w / (9·27²)) > 1.1 the grid is bilinearly resized
 *   to h // ratio × w // ratio (Python floor division), then image_newline is appended after each row, and the base image's
 *   729 rows come first).
 * - models/llava_onevision/processing_llava_onevision.py `_get_number_of_features` /
 *   `_get_unpadded_features`: the same count, used to expand `<image>` in the prompt.
 *
 * transformers.js 4.3.1 does not do this (its LlavaOnevision processor resizes to one 384×384 image
 * and its model merges exactly 729 rows; TRANSFORMERS_JS_NOTES.md), so the model worker's
 * reference mode (worker/reference-image.ts) builds it from these functions.
 */

/** (height, width). */
export type Size = readonly [number, number];

/** The geometry an anyres layout depends on (from config.json / preprocessor_config.json). */
export interface AnyresGeometry {
  /** vision_config.image_size: the side of the base image and of each tile (384). */
  tileSize: number;
  /** vision_config.patch_size (14): features per tile side = ⌊tileSize / patchSize⌋. */
  patchSize: number;
  /** image_grid_pinpoints, each (height, width). */
  pinpoints: readonly Size[];
  /** The N of `vision_aspect_ratio: anyres_max_N` (9). */
  maxTiles: number;
}

/** Parses `anyres_max_9` → 9 (the reference strips the prefix the same way). */
export function maxTilesOf(visionAspectRatio: string): number {
  const match = /^anyres_max_(\d+)$/.exec(visionAspectRatio);
  if (!match) throw new Error(`unsupported vision_aspect_ratio ${visionAspectRatio}`);
  return Number(match[1]);
}

/** The pinpoint an image of `original` (h, w) is fitted into. */
export function selectBestResolution(original: Size, pinpoints: readonly Size[]): Size {
  const [oh, ow] = original;
  let best: Size | null = null;
  let bestEffective = 0;
  let leastWasted = Infinity;
  for (const [h, w] of pinpoints) {
    const scale = Math.min(w / ow, h / oh);
    const effective = Math.min(Math.trunc(ow * scale) * Math.trunc(oh * scale), ow * oh);
    const wasted = w * h - effective;
    if (effective > bestEffective || (effective === bestEffective && wasted < leastWasted)) {
      best = [h, w];
      bestEffective = effective;
      leastWasted = wasted;
    }
  }
  if (!best) throw new Error('no grid pinpoints');
  return best;
}

/** Size of the image after the aspect-preserving resize into `target` (before padding). */
export function resizedForPatching(original: Size, target: Size): Size {
  const [oh, ow] = original;
  const [th, tw] = target;
  const scaleW = tw / ow;
  const scaleH = th / oh;
  if (scaleW < scaleH) return [Math.min(Math.ceil(oh * scaleW), th), tw];
  return [th, Math.min(Math.ceil(ow * scaleH), tw)];
}

/** Where the resized image sits inside the padded pinpoint canvas: top/left padding. */
export function paddingForPatching(resized: Size, target: Size): { top: number; left: number } {
  return {
    top: Math.floor((target[0] - resized[0]) / 2),
    left: Math.floor((target[1] - resized[1]) / 2),
  };
}

/** One crop of the padded canvas (pixels), in the order pixel_values holds them after the base. */
export interface Tile {
  row: number;
  col: number;
  top: number;
  left: number;
}

/** Everything about one image's anyres layout. */
export interface AnyresLayout {
  pinpoint: Size;
  resized: Size;
  padding: { top: number; left: number };
  /** Tiles per side (rows, cols) = pinpoint / tileSize. */
  grid: Size;
  tiles: Tile[];
  /** pixel_values rows: base image + tiles. */
  imageCount: number;
  /** Feature grid of the tiles before unpadding, in patches. */
  featureGrid: Size;
  /** After unpad_image. */
  unpadded: Size;
  /** After the anyres_max cap (equal to unpadded when no resize is needed). */
  capped: Size;
  /** Base image features (patchesPerSide²). */
  baseTokens: number;
  /** Image tokens in the prompt: base + capped h·w + one newline per capped row. */
  tokens: number;
}

/** Python's `int(round(x, 7))` for the non-negative values unpadding sees. */
function roundTo7(x: number): number {
  return Math.trunc(Math.round(x * 1e7) / 1e7);
}

/** unpad_image on a (height, width) feature grid for an image of `original` (h, w). */
export function unpaddedSize(grid: Size, original: Size): Size {
  const [ch, cw] = grid;
  const [oh, ow] = original;
  if (ow / oh > cw / ch) {
    const newHeight = roundTo7(oh * (cw / ow));
    const padding = Math.floor((ch - newHeight) / 2);
    return [ch - 2 * padding, cw];
  }
  const newWidth = roundTo7(ow * (ch / oh));
  const padding = Math.floor((cw - newWidth) / 2);
  return [ch, cw - 2 * padding];
}

/** The anyres_max_N cap: the grid size after the optional bilinear downsizing. */
export function cappedSize(unpadded: Size, patchesPerSide: number, maxTiles: number): Size {
  const [h, w] = unpadded;
  const ratio = Math.sqrt((h * w) / (maxTiles * patchesPerSide ** 2));
  if (ratio <= 1.1) return unpadded;
  return [floorDivide(h, ratio), floorDivide(w, ratio)];
}

/**
 * Python's float `a // b` for positive values: the floor of the exact quotient, computed from the
 * exact remainder (fmod). It can differ from ⌊a / b⌋ when a / b rounds up to an integer:
 * 90 // 1.1111111111111112 is 80 in Python while Math.floor(90 / 1.1111111111111112) is 81.
 */
export function floorDivide(a: number, b: number): number {
  const remainder = a % b; // exact, like C fmod
  const quotient = (a - remainder) / b;
  let floor = Math.floor(quotient);
  if (quotient - floor > 0.5) floor += 1;
  return floor;
}

/** The whole layout of an image of `original` (h, w) pixels. */
export function anyresLayout(original: Size, geometry: AnyresGeometry): AnyresLayout {
  const { tileSize, patchSize, pinpoints, maxTiles } = geometry;
  const pinpoint = selectBestResolution(original, pinpoints);
  const resized = resizedForPatching(original, pinpoint);
  const padding = paddingForPatching(resized, pinpoint);
  const grid: Size = [Math.floor(pinpoint[0] / tileSize), Math.floor(pinpoint[1] / tileSize)];
  const tiles: Tile[] = [];
  for (let row = 0; row < grid[0]; row++) {
    for (let col = 0; col < grid[1]; col++) {
      tiles.push({ row, col, top: row * tileSize, left: col * tileSize });
    }
  }
  const side = Math.floor(tileSize / patchSize);
  const featureGrid: Size = [grid[0] * side, grid[1] * side];
  const unpadded = unpaddedSize(featureGrid, original);
  const capped = cappedSize(unpadded, side, maxTiles);
  const baseTokens = side * side;
  return {
    pinpoint,
    resized,
    padding,
    grid,
    tiles,
    imageCount: 1 + tiles.length,
    featureGrid,
    unpadded,
    capped,
    baseTokens,
    tokens: baseTokens + capped[0] * capped[1] + capped[0],
  };
}

/** Image tokens of the single-crop path the app uses: one resized image, no newline rows. */
export function singleCropTokens(tileSize: number, patchSize: number): number {
  return Math.floor(tileSize / patchSize) ** 2;
}

/**
 * bilinear resize of a [channels, h, w] grid to (oh, ow), as torch's interpolate(mode="bilinear",
 * align_corners=False) without antialiasing: source = (dst + ½)·(in/out) − ½, clamped at 0.
 * Weighted in float64, stored in float32 (the features' own precision).
 */
export function resizeBilinear(
  grid: ArrayLike<number>,
  channels: number,
  from: Size,
  to: Size,
): Float32Array {
  const [h, w] = from;
  const [oh, ow] = to;
  const out = new Float32Array(channels * oh * ow);
  const source = (dst: number, inSize: number, outSize: number) => {
    const s = Math.max(0, (dst + 0.5) * (inSize / outSize) - 0.5);
    const i0 = Math.min(Math.floor(s), inSize - 1);
    return { i0, i1: Math.min(i0 + 1, inSize - 1), t: s - i0 };
  };
  for (let y = 0; y < oh; y++) {
    const sy = source(y, h, oh);
    for (let x = 0; x < ow; x++) {
      const sx = source(x, w, ow);
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => grid[(c * h + yy) * w + xx] ?? 0;
        const top = at(sy.i0, sx.i0) * (1 - sx.t) + at(sy.i0, sx.i1) * sx.t;
        const bottom = at(sy.i1, sx.i0) * (1 - sx.t) + at(sy.i1, sx.i1) * sx.t;
        out[(c * oh + y) * ow + x] = top * (1 - sy.t) + bottom * sy.t;
      }
    }
  }
  return out;
}

/**
 * pack_image_features for one image: `features` holds the projected features of the base image and
 * its tiles ([imageCount, patches, hidden], row-major); returns [layout.tokens, hidden].
 *
 * Everything is held in float32, the precision the features come in and the decoder takes: only
 * copies and the cap's bilinear weighting happen here, so float64 would buy nothing but twice the
 * memory (a square photo's 6 × 6 tiles at the 0.5B model's width of 896 give 162² · 896 values:
 * 94 MB in float32, 188 MB in float64). The padded grid is never laid out.
 */
export function packImageFeatures(
  features: ArrayLike<number>,
  hidden: number,
  newline: ArrayLike<number>,
  layout: AnyresLayout,
): Float32Array {
  const side = Math.sqrt(layout.baseTokens);
  const [gh, gw] = layout.featureGrid;
  const cols = gw / side;
  // The tiles' features form one [hidden, gh, gw] grid: tile (r, c), patch (py, px) sits at
  // (r·side + py, c·side + px). unpad_image keeps its centre rows or columns; they are read from
  // the tiles straight into a [hidden, uh, uw] grid, never laying out the padded one.
  const [uh, uw] = layout.unpadded;
  const top = (gh - uh) / 2;
  const left = (gw - uw) / 2;
  let cropped: Float32Array = new Float32Array(hidden * uh * uw);
  for (let y = 0; y < uh; y++) {
    const gy = y + top;
    const tileRow = Math.floor(gy / side);
    const py = gy - tileRow * side;
    for (let x = 0; x < uw; x++) {
      const gx = x + left;
      const tileCol = Math.floor(gx / side);
      const px = gx - tileCol * side;
      const tile = tileRow * cols + tileCol;
      const row = ((1 + tile) * side * side + py * side + px) * hidden;
      for (let d = 0; d < hidden; d++) cropped[(d * uh + y) * uw + x] = features[row + d] ?? 0;
    }
  }
  const [ch, cw] = layout.capped;
  if (ch !== uh || cw !== uw) cropped = resizeBilinear(cropped, hidden, [uh, uw], [ch, cw]);
  const out = new Float32Array(layout.tokens * hidden);
  for (let i = 0; i < layout.baseTokens * hidden; i++) out[i] = features[i] ?? 0;
  let token = layout.baseTokens;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++, token++) {
      for (let d = 0; d < hidden; d++)
        out[token * hidden + d] = cropped[(d * ch + y) * cw + x] ?? 0;
    }
    for (let d = 0; d < hidden; d++) out[token * hidden + d] = newline[d] ?? 0;
    token++;
  }
  return out;
}

/**
 * The prompt with its one `<image>` placeholder expanded to the layout's token count, as
 * LlavaOnevisionProcessor does before tokenizing (so features and tokens match one for one).
 */
export function expandImageTokens(prompt: string, imageToken: string, tokens: number): string {
  const parts = prompt.split(imageToken);
  if (parts.length !== 2) {
    throw new Error(`expected one ${imageToken} in the prompt, found ${parts.length - 1}`);
  }
  return parts.join(imageToken.repeat(tokens));
}
