/**
 * Messages between the UI and the pixels worker. Both sides import this file; every message is a
 * discriminated union keyed by `type`, and every request carries an `id` its answer echoes.
 */
import type { RegionGrid } from '../lib/region-grid.ts';

/** Camera facts read from a photo's EXIF, in the units a photographer uses. */
export interface ExifSummary {
  make?: string;
  model?: string;
  lens?: string;
  software?: string;
  /** ISO speed. */
  iso?: number;
  /** Shutter time in seconds (1/250 s is 0.004). */
  exposureTime?: number;
  /** Aperture as an f-number (2.8 for f/2.8). */
  fNumber?: number;
  /** Real focal length in mm. */
  focalLength?: number;
  /** 35 mm-equivalent focal length in mm, when the camera records it. */
  focalLength35mm?: number;
  /** Exposure compensation in EV. */
  exposureBias?: number;
  /** When the photo was taken, as written by the camera (local time, ISO 8601 without zone). */
  taken?: string;
  /** Whether the flash fired. */
  flashFired?: boolean;
  /** The EXIF orientation tag (1–8) as stored in the file. */
  orientation?: number;
  /** Where the photo was taken; the UI hides this until the person asks to see it. */
  gps?: { latitude: number; longitude: number; altitude?: number };
}

/** A small RGBA picture that lies over the photo, stretched to its size. */
export interface OverlayMap {
  width: number;
  height: number;
  /** RGBA, row-major, `width * height * 4` bytes. */
  rgba: Uint8ClampedArray;
}

/** Counts per 0–255 level for each channel and for luminance (Rec. 709 weights). */
export interface Histogram {
  r: Uint32Array;
  g: Uint32Array;
  b: Uint32Array;
  luma: Uint32Array;
}

/** How a measure judges the photo, for colouring its reading. */
export type Verdict = 'good' | 'fair' | 'poor' | 'unknown';

/** One measured fact about a photo, with a sentence a photographer understands. */
export interface Measure {
  /** The number itself, in the unit named by `unit` (NaN when it could not be measured). */
  value: number;
  unit: string;
  verdict: Verdict;
  /** One plain-language sentence, e.g. "Soft: fine detail is missing everywhere". */
  reading: string;
}

/** Everything the pixels worker measured about one photo. */
export interface PixelAnalysis {
  /** Size of the pixels that were measured (the working copy, long side ≤ 2048). */
  width: number;
  height: number;
  histogram: Histogram;
  measures: {
    highlightClipping: Measure;
    shadowClipping: Measure;
    exposure: Measure;
    contrast: Measure;
    colourfulness: Measure;
    sharpness: Measure;
    noise: Measure;
    blockiness: Measure;
    resolution: Measure;
  };
  maps: {
    /** Focus peaking: bright green where detail is crisp. */
    sharpness: OverlayMap;
    /** Zebra stripes: red where highlights are blown, blue where shadows are crushed. */
    clipping: OverlayMap;
    /** Heat map: warmer and more opaque where noise is stronger. */
    noise: OverlayMap;
  };
  /** Milliseconds the worker spent measuring. */
  elapsedMs: number;
  /** What the photo shows, compactly, for grouping bursts (absent from older results). */
  fingerprint?: PhotoFingerprint;
}

/** What the worker knows about a freshly decoded photo (the bitmap travels beside it). */
/**
 * How a working copy was made: from a JPEG's Y′CbCr planes reduced in WebAssembly SIMD or, where
 * the browser lacks it, in JavaScript; or by the browser's own decode and resize.
 */
export type PixelReader = 'jpeg-planes-wasm' | 'jpeg-planes-js' | 'browser';

export interface DecodedInfo {
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  format: string;
  exif: ExifSummary | null;
  notes: string[];
  /** How the working copy was made (the fast JPEG path, or the browser's decode and resize). */
  reader: PixelReader;
  /** Key of the pixels the worker kept for a later `analyse` request. */
  pixelsKey: number;
}

/** Requests from the UI to the pixels worker. */
export type PixelsRequest =
  | { type: 'decode'; id: number; file: Blob }
  | {
      type: 'analyse';
      id: number;
      /** Pixels kept by the worker from the decode, if it still has them. */
      pixelsKey: number;
      /** A copy of the photo's bitmap, sent only when the worker no longer holds the pixels. */
      bitmap?: ImageBitmap;
      sourceWidth: number;
      sourceHeight: number;
      format: string;
    }
  | { type: 'forget'; pixelsKey: number }
  /** Sharpness, noise and clipping of each region of the quality map's grid. */
  | {
      type: 'measure-regions';
      id: number;
      pixelsKey: number;
      bitmap?: ImageBitmap;
      grid: RegionGrid;
    }
  /** Run the measures once on a made-up picture, so the first real photo meets compiled code. */
  | { type: 'warm-up' }
  | { type: 'cancel'; id: number };

/** Answers and events from the pixels worker. */
export type PixelsEvent =
  /** The worker began a request (hang timeouts count from here, not from when it was queued). */
  | { type: 'started'; id: number }
  | { type: 'decoded'; id: number; info: DecodedInfo; bitmap: ImageBitmap }
  | { type: 'analysed'; id: number; analysis: PixelAnalysis }
  | { type: 'analysis-needs-pixels'; id: number }
  | { type: 'regions-measured'; id: number; regions: RegionMeasures[] }
  | {
      type: 'failed';
      id: number;
      /** 'photo' when the file itself is at fault; 'internal' for a bug or a browser limit. */
      kind: 'photo' | 'internal';
      message: string;
    };

/** Largest long side of the working copy the UI shows and the worker measures. */
export const WORKING_LONG_SIDE = 2048;

/** Photos declaring more pixels than this are refused before any pixel memory is allocated. */
export const MAX_SOURCE_PIXELS = 250_000_000;

/**
 * A compact picture of a photo's content for finding bursts and near-duplicates (cull/groups):
 * unchanged by small shifts, blur and exposure changes, different for a different scene.
 */
export interface PhotoFingerprint {
  /** 64-bit difference hash of a 9 × 8 greyscale copy, as 16 hex digits. */
  dHash: string;
  /** An 8 × 8 greyscale copy, mean removed and scaled to unit length (64 numbers). */
  layout: number[];
  /** Mean opponent colours (R − G, (R + G)/2 − B, over mean brightness) in a 4 × 4 grid (32 numbers). */
  colour: number[];
}

/** The pixel measures of one region of a quality map (the same measures as the whole photo's). */
export interface RegionMeasures {
  /** Row-major index in the grid, top-left first. */
  index: number;
  /** Detail strength (RMS Laplacian of the sharpest tiles, noise taken out), at viewing scale. */
  sharpness: number;
  /** Noise σ in grey levels (0–255). */
  noiseSigma: number;
  /** Share (0–1) of pixels with a blown channel, and of pure-black pixels. */
  highlights: number;
  shadows: number;
}
