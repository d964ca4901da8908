/**
 * The Pillow bicubic resize against values Pillow itself publishes: the expected pixels of
 * Pillow's own resampling-accuracy tests (Tests/test_image_resample.py: two bright and two dark
 * squares, reduced 12→6 and enlarged 4→8 with BICUBIC; and its rounding test, a 254/0 step
 * reduced from 400 000 px to 5, whose middle pixel must be 127), plus one case worked by hand from
 * the kernel formula. These numbers come from Pillow's test suite, not from this code; Pillow is
 * not installed here, so nothing is computed by Pillow at test time.
 */
import { describe, expect, it } from 'vitest';
import { bicubicKernel, bicubicTaps, resizeBicubicPil } from './pil-resize.ts';

/** Pillow's make_case: dark (255 − c) picture, bright (c) top-left and bottom-right quarters. */
function squares(size: number, color: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(size * size * 3);
  const half = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bright = (x < half && y < half) || (x >= half && y >= half);
      out.fill(bright ? color : 255 - color, (y * size + x) * 3, (y * size + x) * 3 + 3);
    }
  }
  return out;
}

/** Pillow's make_sample: the top-left quarter given, the rest by its symmetries. */
function sample(hex: string, size: number): number[] {
  const values = hex.split(/\s+/).map((h) => parseInt(h, 16));
  const q = size / 2;
  const out = new Array<number>(size * size).fill(-1);
  for (let y = 0; y < q; y++) {
    for (let x = 0; x < q; x++) {
      const v = values[y * q + x]!;
      out[y * size + x] = v;
      out[(size - y - 1) * size + size - x - 1] = v;
      out[(size - y - 1) * size + x] = 255 - v;
      out[y * size + size - x - 1] = 255 - v;
    }
  }
  return out;
}

function channel(rgb: Uint8ClampedArray, c: number): number[] {
  return Array.from({ length: rgb.length / 3 }, (_, i) => rgb[i * 3 + c]!);
}

describe('Pillow bicubic resize', () => {
  it("reduces 12×12 → 6×6 as Pillow's accuracy test expects", () => {
    const out = resizeBicubicPil(squares(12, 0xe1), 12, 12, 3, 6, 6);
    const expected = sample('e1 e3 d4 e3 e5 d6 d4 d6 c9', 6);
    for (let c = 0; c < 3; c++) expect(channel(out, c)).toEqual(expected);
  });

  it("enlarges 4×4 → 8×8 as Pillow's accuracy test expects", () => {
    const out = resizeBicubicPil(squares(4, 0xe1), 4, 4, 3, 8, 8);
    const expected = sample('e1 e5 ee b9 e5 e9 f3 bc ee f3 fd c1 b9 bc c1 a2', 8);
    for (let c = 0; c < 3; c++) expect(channel(out, c)).toEqual(expected);
  });

  it("rounds as Pillow's coefficient test expects: a 254 | 0 step shrunk to 5 px has 127 in the middle", () => {
    for (const size of [400_000, 400_002, 400_008]) {
      const row = new Uint8ClampedArray(size * 3);
      row.fill(254, 0, (size / 2) * 3);
      expect(resizeBicubicPil(row, size, 1, 3, 5, 1)[2 * 3]).toBe(127);
    }
  });

  it('a hand-worked 4 → 2 reduction of 0 0 255 255', () => {
    // Scale 2: the kernel is stretched ×2 (support 4); output 0 is centred at 1.0 and reads
    // pixels 0–3 at distances −¼, ¼, ¾, 1¼ (kernel 0.8671875, 0.8671875, 0.2265625, −0.0703125,
    // sum 1.890625): 255·(0.2265625 − 0.0703125)/1.890625 = 21.07 → 21; output 1 mirrors it:
    // 255·(2·0.8671875)/1.890625 = 233.93 → 234.
    expect(bicubicKernel(0.25)).toBe(0.8671875);
    expect(bicubicKernel(0.75)).toBe(0.2265625);
    expect(bicubicKernel(1.25)).toBe(-0.0703125);
    expect(bicubicTaps(4, 2)[0]!.first).toBe(0);
    const row = Uint8ClampedArray.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(resizeBicubicPil(row, 4, 1, 3, 2, 1))).toEqual([21, 21, 21, 234, 234, 234]);
  });

  it('leaves a side whose size does not change untouched, and drops alpha', () => {
    const rgba = Uint8ClampedArray.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
    const out = resizeBicubicPil(rgba, 5, 3, 4, 5, 3);
    expect(Array.from(out)).toEqual(
      Array.from({ length: 15 }, (_, p) => [0, 1, 2].map((c) => rgba[p * 4 + c]!)).flat(),
    );
  });
});
