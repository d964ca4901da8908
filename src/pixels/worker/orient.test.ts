import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestPhotos, photoPath } from '../../../scripts/test-photos.ts';
import { orientedPosition, orientPixels } from './orient.ts';

beforeAll(ensureTestPhotos, 300_000);

describe('turning stored pixels upright', () => {
  it('puts the sideways-stored portrait photo upright, matching the upright original', async () => {
    // The stored pixels, without applying the orientation tag.
    const stored = await sharp(photoPath('portraitJpeg'))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const upright = await sharp(photoPath('portraitUpright'))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([stored.info.width, stored.info.height]).toEqual([1050, 656]);
    const turned = orientPixels(
      {
        data: new Uint8ClampedArray(stored.data),
        width: stored.info.width,
        height: stored.info.height,
      },
      6,
    );
    expect([turned.width, turned.height]).toEqual([656, 1050]);
    let diff = 0;
    for (let i = 0; i < turned.data.length; i++)
      diff += Math.abs(turned.data[i]! - upright.data[i]!);
    // Only JPEG rounding separates them; a wrong turn would differ by tens of grey levels.
    expect(diff / turned.data.length).toBeLessThan(3);
  });

  it('maps corners as the EXIF specification says', () => {
    // A 4 × 2 picture: its top-left pixel lands top-right for 6, bottom-left for 8.
    expect(orientedPosition(6, 0, 0, 4, 2)).toEqual([1, 0]);
    expect(orientedPosition(8, 0, 0, 4, 2)).toEqual([0, 3]);
    expect(orientedPosition(3, 0, 0, 4, 2)).toEqual([3, 1]);
    expect(orientedPosition(2, 0, 0, 4, 2)).toEqual([3, 0]);
    expect(orientedPosition(1, 2, 1, 4, 2)).toEqual([2, 1]);
  });
});
