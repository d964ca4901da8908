import type { PixelAnalysis } from '../../protocol.ts';
import { blockinessOf } from './blockiness.ts';
import { fingerprintOf } from './fingerprint.ts';
import { lumaOf, type Rgba } from './image.ts';
import { clippingMap, noiseMap, sharpnessMap } from './maps.ts';
import { noiseOf } from './noise.ts';
import {
  readBlockiness,
  readColourfulness,
  readContrast,
  readExposure,
  readHighlights,
  readNoise,
  readResolution,
  readShadows,
  readSharpness,
} from './readings.ts';
import { sharpnessOf } from './sharpness.ts';
import { rmsContrastOf, toneOf } from './tone.ts';

export interface AnalysisInput {
  /** The working copy (long side ≤ 2048), upright. */
  image: Rgba;
  /** Upright size of the original file. */
  sourceWidth: number;
  sourceHeight: number;
  format: string;
  /**
   * Crops of the original at 1:1 (no resampling), for the measures that only make sense at the
   * original pixel grid: JPEG blockiness, and 100 % sharpness and noise. Empty when the working
   * copy is itself the original size (then it is used) or when the original is not available.
   */
  nativeCrops: Rgba[];
}

/** Every measure and map for one photo. Pure: the worker and the Node tests run the same code. */
export function analysePixels(input: AnalysisInput): Omit<PixelAnalysis, 'elapsedMs'> {
  const { image, sourceWidth, sourceHeight, format, nativeCrops } = input;
  const luma = lumaOf(image);
  const { histogram, clipping, exposure, colourfulness } = toneOf(image);
  const tileSize = Math.max(16, Math.ceil(Math.max(image.width, image.height) / 64));
  const noise = noiseOf(luma, tileSize);
  const sharpness = sharpnessOf(luma, { noiseSigma: noise.sigma });

  const isOriginalSize = image.width === sourceWidth && image.height === sourceHeight;
  const nativeLumas = isOriginalSize ? [luma] : nativeCrops.map(lumaOf);
  const blockiness = blockinessOf(nativeLumas);
  let nativeDetail: number | null = null;
  let nativeSigma: number | null = null;
  if (!isOriginalSize && nativeLumas.length > 0) {
    // Full-size facts come from the crops: the finest octave only, averaged over the crops.
    // Each crop's noise σ is measured once and handed to its sharpness (which would measure it).
    const cropSigmas = nativeLumas.map((l) => noiseOf(l).sigma);
    const details = nativeLumas
      .map(
        (l, i) =>
          sharpnessOf(l, { noiseSigma: cropSigmas[i], longSide: Infinity, octaves: 1 })
            .octaves[0] ?? NaN,
      )
      .filter(Number.isFinite);
    const sigmas = cropSigmas.filter(Number.isFinite);
    nativeDetail = details.length > 0 ? Math.max(...details) : null;
    nativeSigma = sigmas.length > 0 ? sigmas.reduce((a, b) => a + b, 0) / sigmas.length : null;
  }

  return {
    width: image.width,
    height: image.height,
    histogram,
    measures: {
      highlightClipping: readHighlights(clipping.highlights, clipping.white),
      shadowClipping: readShadows(clipping.shadows),
      exposure: readExposure(exposure.ev, exposure.meanEncoded, clipping.white, clipping.shadows),
      contrast: readContrast(rmsContrastOf(luma)),
      colourfulness: readColourfulness(colourfulness),
      sharpness: readSharpness(sharpness.value, nativeDetail),
      noise: readNoise(noise.sigma, nativeSigma),
      blockiness: readBlockiness(blockiness.value, format, nativeLumas.length > 0),
      resolution: readResolution(sourceWidth, sourceHeight),
    },
    maps: {
      sharpness: sharpnessMap(luma, noise.sigma),
      clipping: clippingMap(image),
      noise: noiseMap(noise.tiles),
    },
    fingerprint: fingerprintOf(image),
  };
}

/** The buffers of an analysis, for a transfer list (so they move to the UI instead of copying). */
export function analysisTransferables(a: Omit<PixelAnalysis, 'elapsedMs'>): ArrayBuffer[] {
  const { histogram: h, maps: m } = a;
  return [h.r, h.g, h.b, h.luma, m.sharpness.rgba, m.clipping.rgba, m.noise.rgba].map(
    (v) => v.buffer as ArrayBuffer,
  );
}
