/**
 * The regions a photo is split into for its quality map: a small grid that follows the photo's
 * shape (3 × 3 for roughly square frames, 4 × 2 for wide, 2 × 4 for tall), chosen so each cell is
 * as close to square as the candidates allow. Both workers cut the same cells from pictures of the
 * same size, so the model's region score and the pixel measures of a region are about the same
 * pixels. Pure: the workers, the page and the Node tests share it.
 */

/** How many columns and rows the photo is cut into. */
export interface RegionGrid {
  columns: number;
  rows: number;
}

/** One cell of the grid in pixels of a given picture: left, top, width, height. */
export interface RegionRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The grids a photo may get: few cells (each one is a full model pass), all about equally many. */
const CANDIDATES: readonly RegionGrid[] = [
  { columns: 3, rows: 3 },
  { columns: 4, rows: 2 },
  { columns: 2, rows: 4 },
];

/**
 * The grid for a photo of this size: the candidate whose cells are closest to square (the model
 * sees each cell squeezed to a square input, so square cells are distorted least). A 3:2 frame
 * gets 4 × 2 (cells 0.75:1), a 4:3 frame 3 × 3 (cells 1.33:1); the switch is at √2:1.
 */
export function regionGridFor(width: number, height: number): RegionGrid {
  if (!(width > 0 && height > 0))
    throw new Error(`No region grid for a ${width} × ${height} photo`);
  let best = CANDIDATES[0]!;
  let bestSkew = Infinity;
  for (const grid of CANDIDATES) {
    const cellAspect = width / grid.columns / (height / grid.rows);
    const skew = Math.abs(Math.log(cellAspect));
    if (skew < bestSkew - 1e-9) {
      best = grid;
      bestSkew = skew;
    }
  }
  return best;
}

/** Number of regions in a grid. */
export function regionCount(grid: RegionGrid): number {
  return grid.columns * grid.rows;
}

/**
 * The pixel rectangle of region `index` (row-major, top-left first) in a `width` × `height`
 * picture. Edges are rounded to whole pixels so neighbouring cells share no pixel and leave none
 * out: together the cells cover the picture exactly.
 */
export function regionRect(
  grid: RegionGrid,
  index: number,
  width: number,
  height: number,
): RegionRect {
  if (!Number.isInteger(index) || index < 0 || index >= regionCount(grid)) {
    throw new Error(`Region ${index} is outside a ${grid.columns} × ${grid.rows} grid`);
  }
  const column = index % grid.columns;
  const row = Math.floor(index / grid.columns);
  const x0 = Math.round((column * width) / grid.columns);
  const x1 = Math.round(((column + 1) * width) / grid.columns);
  const y0 = Math.round((row * height) / grid.rows);
  const y1 = Math.round(((row + 1) * height) / grid.rows);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Interleaved 8-bit pixels of any channel count (RGBA from a canvas, RGB from sharp). */
export interface PixelBlock {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Copies a rectangle out of a picture (same channels), row by row. */
export function cropPixels(image: PixelBlock, rect: RegionRect): PixelBlock {
  const { x, y, width, height } = rect;
  if (
    width <= 0 ||
    height <= 0 ||
    x < 0 ||
    y < 0 ||
    x + width > image.width ||
    y + height > image.height
  ) {
    throw new Error(
      `The crop ${width} × ${height} at (${x}, ${y}) is outside the ${image.width} × ${image.height} picture`,
    );
  }
  const { channels } = image;
  const out = new Uint8ClampedArray(width * height * channels);
  const rowBytes = width * channels;
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * image.width + x) * channels;
    out.set(image.data.subarray(from, from + rowBytes), r * rowBytes);
  }
  return { data: out, width, height, channels };
}

/** Words for each position along an axis, by how many cells it has. */
const ROW_WORDS: Record<number, readonly string[]> = {
  2: ['top', 'bottom'],
  3: ['top', 'middle', 'bottom'],
  4: ['top', 'upper middle', 'lower middle', 'bottom'],
};
const COLUMN_WORDS: Record<number, readonly string[]> = {
  2: ['left', 'right'],
  3: ['left', 'centre', 'right'],
  4: ['left', 'left of centre', 'right of centre', 'right'],
};

/** Where a region lies in words a person uses: "top-left", "centre", "bottom, right of centre". */
export function regionName(grid: RegionGrid, index: number): string {
  const vertical =
    ROW_WORDS[grid.rows]?.[Math.floor(index / grid.columns)] ??
    `row ${Math.floor(index / grid.columns) + 1}`;
  const horizontal =
    COLUMN_WORDS[grid.columns]?.[index % grid.columns] ?? `column ${(index % grid.columns) + 1}`;
  if (vertical === 'middle' && horizontal === 'centre') return 'centre';
  if (!vertical.includes(' ') && !horizontal.includes(' ')) return `${vertical}-${horizontal}`;
  return `${vertical}, ${horizontal}`;
}
