import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestPhotos, photoPath } from '../../../../scripts/test-photos.ts';
import { blockinessOf } from './blockiness.ts';
import { lumaOf } from './image.ts';

beforeAll(ensureTestPhotos, 300_000);

async function lumaOfFile(input: Buffer | string, crop?: { left: number; top: number }) {
  let pipeline = sharp(input);
  if (crop) pipeline = pipeline.extract({ ...crop, width: 1000, height: 700 });
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return lumaOf({ data, width: info.width, height: info.height });
}

describe('JPEG blockiness', () => {
  it('finds the 8×8 seams wherever a crop put the grid', async () => {
    const original = await sharp(photoPath('png')).jpeg({ quality: 15 }).toBuffer();
    const decoded = await sharp(original).png().toBuffer();
    const aligned = blockinessOf([await lumaOfFile(decoded, { left: 0, top: 0 })]).value;
    const shifted = blockinessOf([await lumaOfFile(decoded, { left: 3, top: 5 })]).value;
    const clean = blockinessOf([await lumaOfFile(photoPath('png'), { left: 3, top: 5 })]).value;
    expect(aligned).toBeGreaterThan(0.5);
    expect(Math.abs(shifted - aligned) / aligned).toBeLessThan(0.1);
    expect(clean).toBeLessThan(0.1);
  });

  it('says nothing when too few pixels take part', () => {
    const tiny = { data: new Float32Array(16 * 16).fill(128), width: 16, height: 16 };
    expect(blockinessOf([tiny]).value).toBeNaN();
  });
});
