/**
 * anyres geometry against worked examples. Each expected value was worked out by hand from the
 * reference formulas (select_best_resolution, get_patch_output_size, unpad_image with
 * int(round(·, 7)), the anyres_max_9 ratio, one newline per row) and cross-checked with a few lines
 * of Python arithmetic (same IEEE doubles as here). The real geometry: 384 px tiles, patch 14
 * (27 × 27 features per tile), pinpoints 384·i × 384·j for i, j in 1..6.
 */
import { describe, expect, it } from 'vitest';
import { imageGridPinpoints } from '../model-graphs/model-files.ts';
import {
  anyresLayout,
  cappedSize,
  expandImageTokens,
  floorDivide,
  maxTilesOf,
  packImageFeatures,
  resizeBilinear,
  resizedForPatching,
  selectBestResolution,
  singleCropTokens,
  unpaddedSize,
  type AnyresGeometry,
  type Size,
} from './anyres.ts';

const REAL: AnyresGeometry = {
  tileSize: 384,
  patchSize: 14,
  pinpoints: imageGridPinpoints() as unknown as Size[],
  maxTiles: maxTilesOf('anyres_max_9'),
};

describe('anyres layout at the real geometry (worked examples)', () => {
  it('a 384×384 image: one tile, 27×27 kept, 729 + 729 + 27 newline = 1485 tokens', () => {
    const layout = anyresLayout([384, 384], REAL);
    expect(layout.pinpoint).toEqual([384, 384]);
    expect(layout.grid).toEqual([1, 1]);
    expect(layout.imageCount).toBe(2);
    expect(layout.unpadded).toEqual([27, 27]);
    expect(layout.capped).toEqual([27, 27]);
    expect(layout.tokens).toBe(1485);
  });

  it('a 1080×1920 landscape: 1152×1920 pinpoint (3×5 tiles), rows unpadded to 75, capped to 60×108', () => {
    // Every pinpoint ≥ 1080×1920 keeps all 2 073 600 pixels; 1152×1920 wastes the least.
    const layout = anyresLayout([1080, 1920], REAL);
    expect(layout.pinpoint).toEqual([1152, 1920]);
    expect(layout.resized).toEqual([1080, 1920]);
    expect(layout.padding).toEqual({ top: 36, left: 0 });
    expect(layout.grid).toEqual([3, 5]);
    expect(layout.tiles).toHaveLength(15);
    expect(layout.tiles[5]).toEqual({ row: 1, col: 0, top: 384, left: 0 });
    expect(layout.featureGrid).toEqual([81, 135]);
    // 1080 · 135/1920 = 75.94 → 75 rows, padding (81 − 75) // 2 = 3 each side.
    expect(layout.unpadded).toEqual([75, 135]);
    // √(75·135 / (9·27²)) = 1.2423 > 1.1 → ⌊75/1.2423⌋ × ⌊135/1.2423⌋.
    expect(layout.capped).toEqual([60, 108]);
    expect(layout.tokens).toBe(729 + 60 * 108 + 60);
  });

  it('a 4000×3000 portrait: 2304×1920 pinpoint (6×5 tiles), columns unpadded to 121, capped to 93×70', () => {
    const layout = anyresLayout([4000, 3000], REAL);
    expect(layout.pinpoint).toEqual([2304, 1920]);
    expect(layout.resized).toEqual([2304, 1728]);
    expect(layout.grid).toEqual([6, 5]);
    expect(layout.featureGrid).toEqual([162, 135]);
    expect(layout.unpadded).toEqual([162, 121]);
    expect(layout.capped).toEqual([93, 70]);
    expect(layout.tokens).toBe(7332);
  });

  it('a 500×100 strip: 768×384 pinpoint, width rounded up to 154 px, 11 feature columns kept', () => {
    const layout = anyresLayout([500, 100], REAL);
    expect(layout.pinpoint).toEqual([768, 384]);
    expect(layout.resized).toEqual([768, 154]);
    expect(layout.padding).toEqual({ top: 0, left: 115 });
    expect(layout.unpadded).toEqual([54, 11]);
    expect(layout.capped).toEqual([54, 11]); // under the cap: no resize
    expect(layout.tokens).toBe(729 + 54 * 11 + 54);
  });

  it('a 768×1024 photo: odd padding leaves 73 of 81 columns (padding 4 each side)', () => {
    const layout = anyresLayout([768, 1024], REAL);
    expect(layout.pinpoint).toEqual([768, 1152]);
    expect(layout.unpadded).toEqual([54, 73]);
    expect(layout.tokens).toBe(4725);
  });

  it('the prompt holds exactly one <image> per feature row', () => {
    const tokens = anyresLayout([1080, 1920], REAL).tokens;
    const prompt = expandImageTokens('<|im_start|>user\n<image>\nRate it.', '<image>', tokens);
    expect(prompt.split('<image>').length - 1).toBe(7269);
    expect(() => expandImageTokens('no image', '<image>', 3)).toThrow(/found 0/);
  });

  it('the app keeps the single-crop path: 729 tokens, no newline rows (transformers.js 4.3.1 has no anyres)', () => {
    expect(singleCropTokens(384, 14)).toBe(729);
  });
});

describe('anyres building blocks', () => {
  it('best resolution: most kept pixels first, then least waste, first pinpoint on a tie', () => {
    const pins: Size[] = [
      [384, 768],
      [768, 384],
      [768, 768],
    ];
    expect(selectBestResolution([300, 600], pins)).toEqual([384, 768]);
    expect(selectBestResolution([600, 300], pins)).toEqual([768, 384]);
    // A square needs 768×768 to keep all pixels.
    expect(selectBestResolution([700, 700], pins)).toEqual([768, 768]);
    // Equal kept pixels and waste: the first listed wins.
    expect(
      selectBestResolution(
        [100, 100],
        [
          [384, 768],
          [768, 384],
        ],
      ),
    ).toEqual([384, 768]);
  });

  it('resize for patching scales by the tighter side and rounds the other up', () => {
    expect(resizedForPatching([1080, 1920], [1152, 1920])).toEqual([1080, 1920]);
    expect(resizedForPatching([500, 100], [768, 384])).toEqual([768, 154]);
  });

  it('unpad keeps the centre rows or columns', () => {
    expect(unpaddedSize([81, 135], [1080, 1920])).toEqual([75, 135]);
    expect(unpaddedSize([27, 27], [100, 100])).toEqual([27, 27]);
  });

  it('the cap only resizes above 1.1 × the 9-tile budget', () => {
    expect(cappedSize([81, 81], 27, 9)).toEqual([81, 81]); // ratio exactly 1
    expect(cappedSize([89, 89], 27, 9)).toEqual([89, 89]); // ratio 1.099
    // ratio 1.1111111111111112: Python's 90 // ratio is 80 although 90 / ratio rounds to 81.0.
    expect(cappedSize([90, 90], 27, 9)).toEqual([80, 80]);
    expect(floorDivide(90, Math.sqrt(8100 / 6561))).toBe(80);
    expect(floorDivide(75, 1.2422599874998832)).toBe(60);
    expect(() => maxTilesOf('pad')).toThrow(/vision_aspect_ratio/);
  });

  it('bilinear resize matches torch interpolate (align_corners=False) on small cases', () => {
    expect(Array.from(resizeBilinear(Float64Array.of(0, 1, 2, 3), 1, [2, 2], [1, 1]))).toEqual([
      1.5,
    ]);
    const row = Array.from(resizeBilinear(Float64Array.of(0, 1, 2, 3), 1, [1, 4], [1, 3]));
    expect(row.map((v) => Number(v.toFixed(4)))).toEqual([0.1667, 1.5, 2.8333]);
  });

  it('packs base, then the unpadded tile grid row by row with a newline after each row', () => {
    // Tiles of 28 px, patch 7 → 4×4 features per tile; a 10×40 image gets the 28×56 pinpoint
    // (1×2 tiles, 4×8 grid); 10·8/40 = 2 rows survive, padding 1 above and below.
    const layout = anyresLayout([10, 40], {
      tileSize: 28,
      patchSize: 7,
      pinpoints: [
        [28, 28],
        [28, 56],
      ],
      maxTiles: 9,
    });
    expect(layout.unpadded).toEqual([2, 8]);
    expect(layout.tokens).toBe(16 + 16 + 2);
    const base = Array.from({ length: 16 }, (_, i) => 1000 + i);
    const tile0 = Array.from({ length: 16 }, (_, i) => i); // value = py·4 + px
    const tile1 = tile0.map((v) => 100 + v);
    const packed = Array.from(packImageFeatures([...base, ...tile0, ...tile1], 1, [-1], layout));
    expect(packed.slice(0, 16)).toEqual(base);
    expect(packed.slice(16)).toEqual([
      4, 5, 6, 7, 104, 105, 106, 107, -1, 8, 9, 10, 11, 108, 109, 110, 111, -1,
    ]);
  });
});

describe('token counts Hugging Face transformers itself produced', () => {
  it('match the image tokens transformers 5.17 used (../shared/tools/hf-reference/README.md)', () => {
    // Measured by running transformers' LlavaOnevision processor and model on a checkpoint with
    // the real geometry: 3,699 for a 512² picture, 1,836 for 512 × 341, 1,261 for 300 × 200 and
    // 4,653 for a 3:1 panorama (its size is not given; 1536 × 512 and 1200 × 400 both give it).
    const tokens = (w: number, h: number) => anyresLayout([h, w], REAL).tokens;
    expect(tokens(512, 512)).toBe(3699);
    expect(tokens(512, 341)).toBe(1836);
    expect(tokens(300, 200)).toBe(1261);
    expect(tokens(1536, 512)).toBe(4653);
  });
});
