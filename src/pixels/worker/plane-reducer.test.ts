/**
 * The WebAssembly working copy (plane-reducer.ts) against the JavaScript one it replaces
 * (resample.ts rgbaFromYCbCr) on a real photo's planes: 4:2:0, 4:2:2 and 4:4:4 chroma, odd sizes,
 * rows padded as a decoder pads them. The two add in 32 and 64 bits, so a channel may round one
 * grey level apart, rarely; anything more is a bug in the kernels.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ensureTestPhotos,
  ladderSourcePath,
  loadRaw,
  ycbcrPlanesOf as planesOf,
  type RawPhoto,
} from '../../../scripts/test-photos.ts';
import { hasSpareMemory, PlaneReducer, SPARE_MS } from './plane-reducer.ts';
import { rgbaFromYCbCr, type Plane8, type YCbCrPlanes } from './resample.ts';

/** The planes copied into a reducer's input, each row padded to a multiple of 32 bytes + 16. */
function intoReducer(planes: YCbCrPlanes, width: number, height: number) {
  const list = [planes.y, planes.cb, planes.cr];
  const strides = list.map((p) => Math.ceil(p.width / 32) * 32 + 16);
  const offsets = list.map((_, i) =>
    list.slice(0, i).reduce((sum, p, k) => sum + p.height * strides[k]!, 0),
  );
  const bytes = list.reduce((sum, p, k) => sum + p.height * strides[k]!, 0);
  const reducer = PlaneReducer.create(bytes, planes.width, width, height);
  if (!reducer) throw new Error('no WebAssembly SIMD in this Node');
  const [y, cb, cr] = list.map((p, k): Plane8 => {
    const data = reducer.input.subarray(offsets[k]);
    for (let row = 0; row < p.height; row++) {
      data.set(p.data.subarray(row * p.stride, row * p.stride + p.width), row * strides[k]!);
    }
    return { data, width: p.width, height: p.height, stride: strides[k]! };
  }) as [Plane8, Plane8, Plane8];
  return { reducer, planes: { width: planes.width, height: planes.height, y, cb, cr } };
}

describe('the WebAssembly working copy', () => {
  let photo: RawPhoto;
  beforeAll(async () => {
    await ensureTestPhotos();
    photo = await loadRaw(ladderSourcePath('LadyBird'), 2560);
  }, 300_000);

  /** A crop of the photo, so sizes can be odd. */
  const cropOf = (width: number, height: number): RawPhoto => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let row = 0; row < height; row++) {
      const from = row * photo.width * 4;
      data.set(photo.data.subarray(from, from + width * 4), row * width * 4);
    }
    return { data, width, height };
  };

  it.each([
    ['4:2:0', 2, 2, 2560, 1600, 2048, 1280],
    ['4:2:0, odd sizes', 2, 2, 2557, 1599, 2047, 1281],
    ['4:2:2', 2, 1, 2400, 1500, 1024, 640],
    ['4:4:4', 1, 1, 1201, 803, 600, 401],
  ])('equals the JavaScript one within one grey level (%s)', (_, sx, sy, w, h, tw, th) => {
    const source = planesOf(cropOf(w, h), sx, sy);
    const expected = rgbaFromYCbCr(source, tw, th);
    const { reducer, planes } = intoReducer(source, tw, th);
    const actual = reducer.rgba(planes);
    expect([actual.width, actual.height]).toEqual([tw, th]);
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < expected.data.length; i++) {
      const d = Math.abs(actual.data[i]! - expected.data[i]!);
      worst = Math.max(worst, d);
      if (d > 0) differing++;
    }
    const share = differing / expected.data.length;
    console.log(
      `${_}: worst ${worst} grey level, ${(share * 100).toFixed(4)} % of channels differ`,
    );
    expect(worst).toBeLessThanOrEqual(1);
    expect(share).toBeLessThan(0.001);
    for (let p = 3; p < actual.data.length; p += 4)
      if (actual.data[p] !== 255) throw new Error('alpha');
  });

  /** Channels (of four per pixel) where two RGBA results differ by more than one grey level. */
  const farApart = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).filter((v, i) => Math.abs(v - b[i]!) > 1).length;

  it('keeps its memory for the next photo of a shoot, which still comes out right', () => {
    // A large photo, then a smaller and a different one in the kept (larger, dirty) memory.
    const first = intoReducer(planesOf(cropOf(2560, 1600), 2, 2), 2048, 1280);
    first.reducer.rgba(first.planes);
    first.reducer.release();
    expect(hasSpareMemory()).toBe(true);
    const source = planesOf(cropOf(1999, 1201), 2, 1);
    const second = intoReducer(source, 1024, 615);
    expect(hasSpareMemory()).toBe(false);
    // (Compared by identity: a failing toBe would try to print both memories, tens of MB.)
    expect(second.reducer.input.buffer === first.reducer.input.buffer, 'memory reused').toBe(true);
    const actual = second.reducer.rgba(second.planes);
    expect(farApart(actual.data, rgbaFromYCbCr(source, 1024, 615).data)).toBe(0);
    second.reducer.release();
  });

  describe('with a clock', () => {
    afterEach(() => vi.useRealTimers());
    it(`drops the kept memory ${SPARE_MS / 1000} s after the last decode`, () => {
      vi.useFakeTimers();
      const { reducer, planes } = intoReducer(planesOf(cropOf(640, 480), 2, 2), 320, 240);
      reducer.rgba(planes);
      reducer.release();
      vi.advanceTimersByTime(SPARE_MS - 1);
      expect(hasSpareMemory()).toBe(true);
      vi.advanceTimersByTime(1);
      expect(hasSpareMemory()).toBe(false);
    });
  });

  it('refuses planes that do not lie in its memory, instead of reading the wrong bytes', () => {
    const source = planesOf(cropOf(64, 48), 2, 2);
    const reducer = PlaneReducer.create(64 * 48 * 2, 64, 32, 24)!;
    expect(() => reducer.rgba(source)).toThrow(/must lie in its input/);
  });
});
