/**
 * The planar working copy (resample.ts): the box reduction and the JFIF conversion checked
 * against values worked out by hand, and the fine-scale measures (sharpness, noise) taken on it
 * checked against the same measures on a high-quality (Lanczos, libvips) reduction: the same order
 * on the blur and noise ladders.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  distort,
  ensureTestPhotos,
  ladderSourcePath,
  loadRaw,
  ycbcrPlanesOf as planesOf,
  type RawPhoto,
} from '../../../scripts/test-photos.ts';
import { lumaOf, type Rgba } from './measures/image.ts';
import { noiseOf } from './measures/noise.ts';
import { sharpnessOf } from './measures/sharpness.ts';
import { areaWeights, reducePlane, rgbaFromYCbCr, type Plane8 } from './resample.ts';

const planeOf = (values: number[], width: number, height = values.length / width): Plane8 => ({
  data: Uint8Array.from(values),
  width,
  height,
  stride: width,
});

describe('area reduction', () => {
  it('gives each output the mean of the source area it covers', () => {
    // 5 → 2: output 0 covers [0, 2.5): samples 0 and 1 whole, half of sample 2.
    const out = reducePlane(planeOf([10, 20, 30, 40, 50], 5, 1), 2, 1);
    expect(out[0]).toBeCloseTo((10 + 20 + 0.5 * 30) / 2.5, 4);
    expect(out[1]).toBeCloseTo((0.5 * 30 + 40 + 50) / 2.5, 4);
    // 3 × 3 → 1 × 1 is the plain mean.
    expect(reducePlane(planeOf([1, 2, 3, 4, 5, 6, 7, 8, 9], 3), 1, 1)[0]).toBeCloseTo(5, 4);
  });

  it('keeps a flat plane flat and the mean of any plane, for any ratio', () => {
    const values = Array.from({ length: 97 * 61 }, (_, i) => (i * 7919) % 256);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    for (const [w, h] of [
      [40, 25],
      [33, 17],
      [96, 60],
    ] as const) {
      const out = reducePlane(planeOf(values, 97), w, h);
      expect(out.reduce((a, b) => a + b, 0) / out.length).toBeCloseTo(mean, 1);
      for (const v of reducePlane(
        planeOf(
          values.map(() => 77),
          97,
        ),
        w,
        h,
      )) {
        expect(v).toBeCloseTo(77, 3);
      }
    }
  });

  it('weights of every output sum to one, also when half-size chroma is stretched', () => {
    for (const [from, to, span] of [
      [6000, 2048, 6000],
      [3000, 2048, 6000],
      [1280, 2048, 2560],
      [7, 3, 7],
    ] as const) {
      const { taps, weights } = areaWeights(from, to, span);
      for (let j = 0; j < to; j++) {
        let s = 0;
        for (let k = 0; k < taps; k++) s += weights[j * taps + k]!;
        expect(s).toBeCloseTo(1, 5);
      }
    }
  });
});

describe('JFIF colour conversion', () => {
  /** The forward JFIF equations (ITU-T T.871), written out independently of the inverse under test. */
  const forward = (r: number, g: number, b: number) => [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ];

  it.each([
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [128, 128, 128],
    [250, 200, 30],
    [20, 90, 160],
  ])('turns the Y′CbCr of rgb(%i, %i, %i) back into it, with 4:2:0 chroma', (r, g, b) => {
    const [y, cb, cr] = forward(r, g, b).map((v) => Math.round(Math.min(255, Math.max(0, v!))));
    const size = 8;
    const full = (v: number) => planeOf(new Array<number>(size * size).fill(v), size);
    const half = (v: number) => planeOf(new Array<number>((size / 2) ** 2).fill(v), size / 2);
    const out = rgbaFromYCbCr(
      { width: size, height: size, y: full(y!), cb: half(cb!), cr: half(cr!) },
      4,
      4,
    );
    for (let p = 0; p < out.data.length; p += 4) {
      expect(Math.abs(out.data[p]! - r)).toBeLessThanOrEqual(2);
      expect(Math.abs(out.data[p + 1]! - g)).toBeLessThanOrEqual(2);
      expect(Math.abs(out.data[p + 2]! - b)).toBeLessThanOrEqual(2);
      expect(out.data[p + 3]).toBe(255);
    }
  });
});

/** The working size the pixels worker picks for a photo (long side 2048). */
const working = (photo: RawPhoto) => {
  const scale = 2048 / Math.max(photo.width, photo.height);
  return { width: Math.round(photo.width * scale), height: Math.round(photo.height * scale) };
};

async function lanczos(photo: RawPhoto): Promise<RawPhoto> {
  const { width, height } = working(photo);
  const { data, info } = await sharp(Buffer.from(photo.data), {
    raw: { width: photo.width, height: photo.height, channels: 4 },
  })
    .resize(width, height, { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
}

/** Sharpness and noise as analysePixels takes them (the other measures do not see resampling). */
const measured = (image: Rgba) => {
  const luma = lumaOf(image);
  const noise = noiseOf(luma).sigma;
  return { sharpness: sharpnessOf(luma, { noiseSigma: noise }).value, noise };
};

/** Rank of each value (no ties expected among these rungs). */
const order = (values: number[]) => values.map((v) => values.filter((u) => u < v).length);

describe('measures on the planar working copy of large photos', () => {
  // The ladder photos whose originals are larger than the working size (2560 × 1600 or more).
  const SOURCES = ['LadyBird', 'Wood'] as const;
  const LONG_SIDE = 2560;
  /** The blur ladder of ladders.test.ts, scaled from its 1024 px photos to these. */
  const BLUR = [0.6, 1, 1.6, 2.5, 4].map((s) => (s * LONG_SIDE) / 1024);
  const NOISE = [2, 4, 7, 12, 20];
  const rows: { source: string; ladder: string; planar: number[]; lanczos: number[] }[] = [];

  beforeAll(async () => {
    await ensureTestPhotos();
    for (const source of SOURCES) {
      const pristine = await loadRaw(ladderSourcePath(source), LONG_SIDE);
      for (const [ladder, levels, key] of [
        ['blur', BLUR, 'sharpness'],
        ['noise', NOISE, 'noise'],
      ] as const) {
        const planar: number[] = [];
        const reference: number[] = [];
        for (const level of [0, ...levels]) {
          const photo = level === 0 ? pristine : await distort(pristine, ladder, level);
          const size = working(photo);
          planar.push(measured(rgbaFromYCbCr(planesOf(photo), size.width, size.height))[key]);
          reference.push(measured(await lanczos(photo))[key]);
        }
        rows.push({ source, ladder, planar, lanczos: reference });
      }
    }
    console.table(
      rows.map((r) => ({
        photo: r.source,
        ladder: r.ladder,
        planar: r.planar.map((v) => v.toFixed(2)).join(' '),
        lanczos: r.lanczos.map((v) => v.toFixed(2)).join(' '),
        'planar ÷ lanczos': r.planar.map((v, i) => (v / r.lanczos[i]!).toFixed(2)).join(' '),
      })),
    );
  }, 600_000);

  it('orders every rung of the blur and noise ladders as the Lanczos working copy does', () => {
    expect(rows).toHaveLength(SOURCES.length * 2);
    for (const row of rows) {
      expect(order(row.planar), `${row.source} ${row.ladder}`).toEqual(order(row.lanczos));
      // And the way the ladder runs: detail falls with blur, σ rises with noise.
      const expected = row.ladder === 'blur' ? [5, 4, 3, 2, 1, 0] : [0, 1, 2, 3, 4, 5];
      expect(order(row.planar), `${row.source} ${row.ladder}`).toEqual(expected);
    }
  });
});
