/**
 * The quality map in Node on the fixture model: each region's five probabilities are those of the
 * same crop scored as a photo (the crop cut here by sharp, not by the code under test), they sum
 * to 1, regions differ, the map leaves the photos' cached features alone, and a cancel stops it
 * between regions.
 */
import { RawImage } from '@huggingface/transformers';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureQualityModel, photoPixels } from '../../../scripts/node-model.ts';
import { photoPath, TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { regionCount, regionGridFor, regionRect } from '../../lib/region-grid.ts';
import { QSIT_RECIPE } from '../recipes.ts';
import { QualityModel } from './quality-model.ts';
import { regionImage, scoreRegions } from './quality-map.ts';

let model: QualityModel;
let photo: RawImage;

beforeAll(async () => {
  const loaded = await loadFixtureQualityModel();
  // Room for one photo only: a map that evicted it would show at once.
  model = new QualityModel(loaded.parts, 1);
  photo = await photoPixels(TEST_PHOTOS.landscapeJpeg);
});

/** The region cut from the file by sharp, as a photo of its own. */
async function cropBySharp(index: number): Promise<RawImage> {
  const grid = regionGridFor(photo.width, photo.height);
  const rect = regionRect(grid, index, photo.width, photo.height);
  const { data, info } = await sharp(photoPath('landscapeJpeg'))
    .rotate()
    .extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new RawImage(new Uint8ClampedArray(data), info.width, info.height, 3);
}

describe('scoreRegions on the fixture', () => {
  it('scores each region as that crop is scored as a photo, and keeps the photo cached', async () => {
    await model.encode('photo', photo);
    const grid = regionGridFor(photo.width, photo.height);
    expect(grid).toEqual({ columns: 4, rows: 2 }); // 1680 × 1050 is wide
    const seen: number[] = [];
    const map = await scoreRegions(model, 'photo', photo, grid, QSIT_RECIPE, {
      isCancelled: () => false,
      onRegion: (r) => seen.push(r.index),
    });
    expect(map.cancelled).toBe(false);
    expect(map.regions.map((r) => r.index)).toEqual([...Array(regionCount(grid)).keys()]);
    expect(seen).toEqual(map.regions.map((r) => r.index));
    expect(model.encodedPhotos()).toEqual(['photo']);

    for (const index of [0, 5]) {
      const crop = await cropBySharp(index);
      // The crop the map scored carries exactly sharp's pixels.
      const own = regionImage(photo, grid, index);
      expect([own.width, own.height]).toEqual([crop.width, crop.height]);
      expect(Buffer.compare(Buffer.from(own.data), Buffer.from(crop.data))).toBe(0);
      const alone = await model.score(`crop ${index}`, crop, QSIT_RECIPE);
      model.forget(`crop ${index}`);
      const region = map.regions[index]!;
      for (let l = 0; l < 5; l++) {
        expect(region.probabilities[l]).toBeCloseTo(alone.probabilities[l]!, 6);
        expect(Math.abs(region.levelLogits[l]! - alone.levelLogits[l]!)).toBeLessThan(1e-4);
      }
      expect(region.score).toBeCloseTo(alone.score, 6);
    }
    for (const region of map.regions) {
      expect(region.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(region.score).toBeGreaterThanOrEqual(1);
      expect(region.score).toBeLessThanOrEqual(5);
    }
    // Different pixels, different answers (a map of one repeated number would be no map).
    expect(new Set(map.regions.map((r) => r.score.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('stops between regions when cancelled', async () => {
    const grid = regionGridFor(photo.width, photo.height);
    let seen = 0;
    const map = await scoreRegions(model, 'photo', photo, grid, QSIT_RECIPE, {
      isCancelled: () => seen >= 3,
      onRegion: () => seen++,
    });
    expect(map.cancelled).toBe(true);
    expect(map.regions).toHaveLength(3);
  });
});
