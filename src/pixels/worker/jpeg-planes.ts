/// <reference lib="webworker" />
/**
 * The fast way to a working copy of a large JPEG: the browser's own JPEG decoder through WebCodecs'
 * ImageDecoder hands over the Y′CbCr planes at full size without converting them to RGBA (about
 * half the cost of createImageBitmap, which converts 24 MP to RGBA and then resizes them). The
 * working copy is reduced from the planes in WebAssembly SIMD (plane-reducer.ts; in JavaScript,
 * resample.ts, where the browser lacks it) and the 1:1 crops converted from them in JavaScript,
 * the way the browser's decoder and resize would. Anything unusual (no ImageDecoder, RGB or
 * CMYK output, an ICC profile the browser did not convert) returns null and the caller decodes
 * the usual way.
 */
import type { Rgba } from './measures/image.ts';
import { orientPixels } from './orient.ts';
import { PlaneReducer } from './plane-reducer.ts';
import { cropFromYCbCr, rgbaFromYCbCr, type Plane8, type YCbCrPlanes } from './resample.ts';

/** What the planar decode gives: the upright working copy and the 1:1 crops. */
export interface PlanarJpeg {
  working: Rgba;
  nativeCrops: Rgba[];
  /** Upright size of the original. */
  sourceWidth: number;
  sourceHeight: number;
  /** Whether the planes were reduced in WebAssembly SIMD or in JavaScript. */
  reader: 'jpeg-planes-wasm' | 'jpeg-planes-js';
}

/** Chroma subsampling of the planar formats handled here: [horizontal, vertical] divisor. */
const SUBSAMPLING: Partial<Record<VideoPixelFormat, [number, number]>> = {
  I420: [2, 2],
  I422: [2, 1],
  I444: [1, 1],
};

/**
 * EXIF orientation (1–8) for the rotation (clockwise degrees) and horizontal flip that Chromium
 * puts on a decoded frame for the file's EXIF orientation.
 */
export function orientationOf(rotation: number, flip: boolean): number {
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      return flip ? 5 : 6;
    case 180:
      return flip ? 4 : 3;
    case 270:
      return flip ? 7 : 8;
    default:
      return flip ? 2 : 1;
  }
}

/** The frame is plain sRGB JFIF: full-range BT.601 Y′CbCr with sRGB primaries and curve. */
function isPlainSrgb(frame: VideoFrame): boolean {
  const { matrix, fullRange, primaries, transfer } = frame.colorSpace;
  return (
    (matrix === 'smpte170m' || matrix === 'bt470bg') &&
    fullRange === true &&
    primaries === 'bt709' &&
    transfer === 'iec61966-2-1'
  );
}

/**
 * Decodes a JPEG to an upright working copy of `target` size (given upright) and crops of `side`
 * pixels at the `spots` (fractions of width and height, in the stored orientation: the five spots
 * used are symmetric under every EXIF turn, and the crops' measures do not depend on direction).
 */
export async function decodeJpegPlanes(
  bytes: Uint8Array,
  target: (width: number, height: number) => { width: number; height: number },
  side: number,
  spots: readonly (readonly [number, number])[],
): Promise<PlanarJpeg | null> {
  if (typeof ImageDecoder === 'undefined') return null;
  let decoder: ImageDecoder | null = null;
  let frame: VideoFrame | null = null;
  let reducer: PlaneReducer | null = null;
  try {
    decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg' });
    frame = (await decoder.decode()).image;
    const sub = frame.format ? SUBSAMPLING[frame.format] : undefined;
    if (!sub || !isPlainSrgb(frame) || !frame.visibleRect) return null;
    const { width, height } = frame.visibleRect;
    const { rotation = 0, flip = false } = frame as VideoFrame & {
      rotation?: number;
      flip?: boolean;
    };
    const orientation = orientationOf(rotation, flip);
    const turned = orientation >= 5;

    const upright = turned ? { width: height, height: width } : { width, height };
    const size = target(upright.width, upright.height);
    const stored = turned ? { width: size.height, height: size.width } : size;
    // The planes go straight into the WebAssembly reducer's memory where it can run.
    const planeBytes = frame.allocationSize();
    reducer = PlaneReducer.create(planeBytes, width, stored.width, stored.height);
    const buffer = reducer?.input ?? new Uint8Array(planeBytes);
    const layout = await frame.copyTo(buffer);
    frame.close();
    frame = null;
    const [sx, sy] = sub;
    const plane = (index: number, w: number, h: number): Plane8 => {
      const { offset, stride } = layout[index]!;
      return { data: buffer.subarray(offset), width: w, height: h, stride };
    };
    const chromaWidth = Math.ceil(width / sx);
    const chromaHeight = Math.ceil(height / sy);
    const planes: YCbCrPlanes = {
      width,
      height,
      y: plane(0, width, height),
      cb: plane(1, chromaWidth, chromaHeight),
      cr: plane(2, chromaWidth, chromaHeight),
    };

    // Crops on the 8-pixel grid of the stored picture, where the JPEG's blocks sit.
    const cropSide = Math.min(side, width, height);
    const at = (fraction: number, size: number) =>
      Math.max(0, Math.min(size - cropSide, Math.round((fraction * size - cropSide / 2) / 8) * 8));
    const nativeCrops = spots.map(([fx, fy]) =>
      cropFromYCbCr(planes, at(fx, width), at(fy, height), cropSide, cropSide),
    );

    let working = reducer
      ? reducer.rgba(planes)
      : rgbaFromYCbCr(planes, stored.width, stored.height);
    if (orientation !== 1) {
      const grid = orientPixels(working as Rgba & { data: Uint8ClampedArray }, orientation);
      working = grid;
    }
    return {
      working,
      nativeCrops,
      sourceWidth: upright.width,
      sourceHeight: upright.height,
      reader: reducer ? 'jpeg-planes-wasm' : 'jpeg-planes-js',
    };
  } catch {
    return null;
  } finally {
    frame?.close();
    decoder?.close();
    reducer?.release();
  }
}
