/**
 * The quality map's grid: which grid a photo's shape gets, cells that tile the picture exactly
 * (no pixel shared, none left out) and crops that carry exactly the pixels of their cell.
 */
import { describe, expect, it } from 'vitest';
import {
  cropPixels,
  regionCount,
  regionGridFor,
  regionName,
  regionRect,
  type PixelBlock,
} from './region-grid.ts';

describe('regionGridFor', () => {
  it.each([
    [1000, 1000, 3, 3],
    [4000, 3000, 3, 3], // 4:3: cells 1.33:1 beat 4 × 2's 0.67:1
    [3000, 4000, 3, 3],
    [6000, 4000, 4, 2], // 3:2: cells 0.75:1 beat 3 × 3's 1.5:1
    [4000, 6000, 2, 4],
    [1920, 1080, 4, 2], // 16:9
    [1080, 1920, 2, 4],
    [1410, 1000, 3, 3], // just below √2:1
    [1420, 1000, 4, 2], // just above
  ])('gives a %i × %i photo a %i × %i grid', (width, height, columns, rows) => {
    expect(regionGridFor(width, height)).toEqual({ columns, rows });
  });

  it('refuses an empty picture', () => {
    expect(() => regionGridFor(0, 10)).toThrow();
  });
});

describe('regionRect', () => {
  it.each([
    [3, 3, 1000, 1000],
    [4, 2, 1531, 1021],
    [2, 4, 7, 9],
  ])('a %i × %i grid tiles a %i × %i picture exactly', (columns, rows, width, height) => {
    const grid = { columns, rows };
    const covered = new Uint8Array(width * height);
    for (let i = 0; i < regionCount(grid); i++) {
      const r = regionRect(grid, i, width, height);
      expect(r.width).toBeGreaterThan(0);
      expect(r.height).toBeGreaterThan(0);
      // Cells of one grid differ by at most a pixel in each direction.
      expect(Math.abs(r.width - width / columns)).toBeLessThanOrEqual(1);
      expect(Math.abs(r.height - height / rows)).toBeLessThanOrEqual(1);
      for (let y = r.y; y < r.y + r.height; y++)
        for (let x = r.x; x < r.x + r.width; x++) covered[y * width + x]! += 1;
    }
    // Every pixel in exactly one cell.
    expect(covered.every((n) => n === 1)).toBe(true);
  });

  it('numbers regions row by row from the top-left', () => {
    const grid = { columns: 4, rows: 2 };
    expect(regionRect(grid, 0, 400, 200)).toEqual({ x: 0, y: 0, width: 100, height: 100 });
    expect(regionRect(grid, 3, 400, 200)).toEqual({ x: 300, y: 0, width: 100, height: 100 });
    expect(regionRect(grid, 4, 400, 200)).toEqual({ x: 0, y: 100, width: 100, height: 100 });
    expect(() => regionRect(grid, 8, 400, 200)).toThrow();
  });
});

describe('cropPixels', () => {
  /** A picture whose every byte says where it is: channel c of (x, y) holds (x + 10 y) · 4 + c. */
  function labelled(width: number, height: number, channels: number): PixelBlock {
    const data = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++)
          data[(y * width + x) * channels + c] = ((x + 10 * y) * 4 + c) % 256;
    return { data, width, height, channels };
  }

  it.each([3, 4])('copies exactly the cell’s pixels (%i channels)', (channels) => {
    const image = labelled(9, 6, channels);
    const crop = cropPixels(image, { x: 3, y: 2, width: 4, height: 3 });
    expect([crop.width, crop.height, crop.channels]).toEqual([4, 3, channels]);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < channels; c++)
          expect(crop.data[(y * 4 + x) * channels + c]).toBe(
            ((x + 3 + 10 * (y + 2)) * 4 + c) % 256,
          );
  });

  it('refuses a rectangle that leaves the picture', () => {
    const image = labelled(9, 6, 4);
    expect(() => cropPixels(image, { x: 6, y: 0, width: 4, height: 2 })).toThrow(/outside/);
    expect(() => cropPixels(image, { x: 0, y: 0, width: 0, height: 2 })).toThrow(/outside/);
  });
});

describe('regionName', () => {
  it('names cells as a person would', () => {
    const square = { columns: 3, rows: 3 };
    expect([0, 1, 2, 4, 8].map((i) => regionName(square, i))).toEqual([
      'top-left',
      'top-centre',
      'top-right',
      'centre',
      'bottom-right',
    ]);
    expect(regionName({ columns: 4, rows: 2 }, 5)).toBe('bottom, left of centre');
    expect(regionName({ columns: 2, rows: 4 }, 3)).toBe('upper middle, right');
  });
});
