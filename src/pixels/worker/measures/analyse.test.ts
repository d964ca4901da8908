import { describe, expect, it } from 'vitest';
import { analysePixels, analysisTransferables } from './analyse.ts';

const solid = (width: number, height: number, rgb: [number, number, number]) => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i);
  return { data, width, height };
};

describe('measuring pictures with nothing to measure', () => {
  it('gives a one-pixel image sensible facts and says sharpness and noise cannot be judged', () => {
    const a = analysePixels({
      image: solid(1, 1, [106, 140, 175]),
      sourceWidth: 1,
      sourceHeight: 1,
      format: 'png',
      nativeCrops: [],
    });
    expect(a.measures.sharpness.verdict).toBe('unknown');
    expect(a.measures.sharpness.reading).toMatch(/too small/i);
    expect(a.measures.noise.verdict).toBe('unknown');
    expect(a.measures.resolution.verdict).toBe('poor');
    expect(a.histogram.luma.reduce((s, v) => s + v, 0)).toBe(1);
    expect(Number.isFinite(a.measures.exposure.value)).toBe(true);
  });

  it('calls an all-white frame overexposed and blown, an all-black one crushed', () => {
    const white = analysePixels({
      image: solid(64, 48, [255, 255, 255]),
      sourceWidth: 64,
      sourceHeight: 48,
      format: 'png',
      nativeCrops: [],
    });
    expect(white.measures.highlightClipping.value).toBe(1);
    expect(white.measures.exposure.verdict).toBe('poor');
    expect(white.measures.noise.value).toBeNaN();
    const black = analysePixels({
      image: solid(64, 48, [0, 0, 0]),
      sourceWidth: 64,
      sourceHeight: 48,
      format: 'png',
      nativeCrops: [],
    });
    expect(black.measures.shadowClipping.value).toBe(1);
    expect(black.measures.exposure.reading).toMatch(/underexposed/);
  });

  it('hands over distinct buffers to transfer (so none is sent twice)', () => {
    const a = analysePixels({
      image: solid(32, 32, [90, 90, 90]),
      sourceWidth: 32,
      sourceHeight: 32,
      format: 'png',
      nativeCrops: [],
    });
    const buffers = analysisTransferables(a);
    expect(new Set(buffers).size).toBe(buffers.length);
  });
});
