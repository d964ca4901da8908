import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestPhotos, photoPath, type TestPhotoName } from '../../../scripts/test-photos.ts';
import { readExif, summariseExif } from './exif.ts';

const read = (name: TestPhotoName) => readExif(new Uint8Array(readFileSync(photoPath(name))));

beforeAll(ensureTestPhotos, 300_000);

describe('camera facts from EXIF', () => {
  it('reads a real Canon photo: camera, shutter, ISO and when it was taken', async () => {
    const { exif, note } = await read('landscapeJpeg');
    expect(note).toBeUndefined();
    expect(exif).toMatchObject({
      make: 'Canon',
      model: 'Canon EOS DIGITAL REBEL',
      iso: 100,
      exposureTime: 0.00025,
      taken: '2007-08-06T10:29:13',
      flashFired: false,
      orientation: 1,
    });
    expect(exif?.gps).toBeUndefined();
  });

  it('reports the orientation a portrait shot was stored with', async () => {
    expect((await read('portraitJpeg')).exif?.orientation).toBe(6);
  });

  it('turns GPS degrees, minutes and seconds into decimal degrees', async () => {
    const { exif } = await read('gpsJpeg');
    expect(exif?.gps?.latitude).toBeCloseTo(48.85667, 4);
    expect(exif?.gps?.longitude).toBeCloseTo(2.29444, 4);
    const south = summariseExif({
      GPSLatitude: [33, 51, 0],
      GPSLatitudeRef: 'S',
      GPSLongitude: [151, 12, 36],
      GPSLongitudeRef: 'W',
    })?.gps;
    expect(south?.latitude).toBeCloseTo(-33.85, 6);
    expect(south?.longitude).toBeCloseTo(-151.21, 6);
  });

  it('says so when the EXIF block is damaged, instead of failing the photo', async () => {
    const { exif, note } = await read('corruptExif');
    expect(exif).toBeNull();
    expect(note).toMatch(/damaged/);
  });

  it('gives null, without a note, for a photo that simply has no EXIF', async () => {
    expect(await read('png')).toEqual({ exif: null });
  });

  it('drops empty and padded strings', () => {
    expect(summariseExif({ Make: '  \0\0', Model: 'X100V\0 ', ISO: 0 })).toEqual({
      model: 'X100V',
    });
    expect(summariseExif({})).toBeNull();
  });
});
