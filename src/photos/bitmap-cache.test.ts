import { describe, expect, it } from 'vitest';
import { BitmapCache } from './bitmap-cache.ts';

/** Enough of an ImageBitmap for the cache: a size and close(). */
const fakeBitmap = (width: number, height: number) => {
  const bitmap = { width, height, closed: false, close: () => (bitmap.closed = true) };
  return bitmap as unknown as ImageBitmap & { closed: boolean };
};

describe('BitmapCache', () => {
  it('keeps small photos to the count, closing the least recently used', () => {
    const cache = new BitmapCache(1024 * 1024 * 1024, 4);
    const made = Array.from({ length: 10 }, (_, i) => {
      const bitmap = fakeBitmap(640, 480);
      cache.put(`p${i}`, bitmap);
      return bitmap;
    });
    expect(cache.count).toBe(4);
    expect(made.filter((b) => !b.closed)).toHaveLength(4);
    expect(['p6', 'p7', 'p8', 'p9'].every((k) => cache.has(k))).toBe(true);
  });

  it('never evicts the photo on screen or one being worked on, even past the count', () => {
    const cache = new BitmapCache(1024 * 1024 * 1024, 2);
    cache.put('shown', fakeBitmap(640, 480));
    cache.pin('shown');
    cache.put('busy', fakeBitmap(640, 480));
    cache.hold('busy');
    for (let i = 0; i < 5; i++) cache.put(`p${i}`, fakeBitmap(640, 480));
    expect(cache.has('shown')).toBe(true);
    expect(cache.has('busy')).toBe(true);
    cache.release('busy');
    expect(cache.count).toBe(2);
    expect(cache.has('shown')).toBe(true);
  });

  it('keeps big photos to the bytes before the count', () => {
    const cache = new BitmapCache(3 * 2048 * 1536 * 4, 16);
    for (let i = 0; i < 8; i++) cache.put(`p${i}`, fakeBitmap(2048, 1536));
    expect(cache.count).toBe(3);
    expect(cache.bytes).toBeLessThanOrEqual(cache.budgetBytes);
  });
});
