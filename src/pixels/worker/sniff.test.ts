import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestPhotos, photoPath, type TestPhotoName } from '../../../scripts/test-photos.ts';
import { gifIsAnimated, PhotoRefusal, sniffPhoto } from './sniff.ts';

const bytes = (name: TestPhotoName) => new Uint8Array(readFileSync(photoPath(name)));
const sniff = (name: TestPhotoName) => {
  const b = bytes(name);
  return sniffPhoto(b.subarray(0, 1 << 18), b.length);
};

beforeAll(ensureTestPhotos, 300_000);

describe('recognising a dropped file from its first bytes', () => {
  it.each([
    ['landscapeJpeg', 'jpeg', 1680, 1050],
    // Stored sideways: the header says 1050 × 656, EXIF orientation 6 turns it upright.
    ['portraitJpeg', 'jpeg', 1050, 656],
    ['progressiveJpeg', 'jpeg', 1680, 1050],
    ['cmykJpeg', 'jpeg', 1680, 1050],
    ['png', 'png', 1280, 800],
    ['png16', 'png', 1280, 800],
    ['webp', 'webp', 1200, 750],
    ['avif', 'avif', 1200, 750],
    ['gif', 'gif', 1200, 750],
    ['bmp', 'bmp', 1200, 750],
    ['heic', 'heic', 1680, 1050],
    ['jpeg24mp', 'jpeg', 6000, 4000],
  ] as const)('%s is %s declaring %i × %i', (name, format, width, height) => {
    const sniffed = sniff(name);
    expect(sniffed.format).toBe(format);
    expect(sniffed.declared).toEqual({ width, height });
  });

  it('knows TIFF by its byte-order mark (its size comes from the decoder)', () => {
    expect(sniff('tiff').format).toBe('tiff');
  });

  it('reads the absurd sizes that files declare, so they can be refused before decoding', () => {
    expect(sniff('hugeDeclaredPng').declared).toEqual({ width: 100_000, height: 100_000 });
    expect(sniff('hugeDeclaredJpeg').declared).toEqual({ width: 60_000, height: 60_000 });
  });

  it('tells an animated GIF from a still one', () => {
    expect(gifIsAnimated(bytes('animatedGif'))).toBe(true);
    expect(gifIsAnimated(bytes('gif'))).toBe(false);
  });

  it.each([
    ['empty', /empty/],
    ['random', /not a photo/],
    ['text', /not a photo/],
    ['svgWithScript', /SVG/],
  ] as const)('refuses %s with a clear sentence', (name, message) => {
    expect(() => sniff(name)).toThrow(PhotoRefusal);
    expect(() => sniff(name)).toThrow(message);
  });
});
