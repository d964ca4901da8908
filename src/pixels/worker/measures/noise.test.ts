import { beforeAll, describe, expect, it } from 'vitest';
import {
  distort,
  ensureTestPhotos,
  LADDER_SOURCES,
  ladderSourcePath,
  loadRaw,
} from '../../../../scripts/test-photos.ts';
import { lumaOf } from './image.ts';
import { noiseOf } from './noise.ts';

beforeAll(ensureTestPhotos, 300_000);

/** Independent noise of σ in each of R, G, B is σ·‖(0.2126, 0.7152, 0.0722)‖ in Rec. 709 luma. */
const LUMA_GAIN = Math.hypot(0.2126, 0.7152, 0.0722);

describe('Immerkær noise estimate on real photos', () => {
  it.each([7, 12, 20])(
    'finds added Gaussian noise of σ %i within 15 %, photo detail and all',
    async (sigma) => {
      for (const source of LADDER_SOURCES) {
        const photo = await loadRaw(ladderSourcePath(source), 768);
        const before = noiseOf(lumaOf(photo)).sigma;
        const after = noiseOf(lumaOf(await distort(photo, 'noise', sigma))).sigma;
        // The photo's own noise adds in quadrature.
        const expected = Math.hypot(sigma * LUMA_GAIN, before);
        expect(Math.abs(after - expected) / expected, source).toBeLessThan(0.15);
      }
    },
  );

  it('maps noise per tile, more where the photo was made noisier', async () => {
    const photo = await loadRaw(ladderSourcePath('Wood'), 768);
    // Noise only in the right half of the frame.
    const noisy = await distort(photo, 'noise', 15);
    const half = new Uint8ClampedArray(photo.data);
    for (let y = 0; y < photo.height; y++) {
      const row = y * photo.width * 4;
      half.set(
        noisy.data.subarray(row + photo.width * 2, row + photo.width * 4),
        row + photo.width * 2,
      );
    }
    const { tiles } = noiseOf(lumaOf({ ...photo, data: half }), 32);
    let left = 0;
    let right = 0;
    for (let r = 0; r < tiles!.rows; r++) {
      left += tiles!.sigma[r * tiles!.columns + 1]!;
      right += tiles!.sigma[r * tiles!.columns + tiles!.columns - 2]!;
    }
    expect(right).toBeGreaterThan(4 * left);
  });
});
