/**
 * The native yardstick for pixel analysis: the same photo through libvips (the `sharp` package),
 * decoded and run through one 3×3 convolution, in this Node process. The file is read into memory
 * first so only decoding and filtering are timed, as in the browser.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

/** A 3×3 Laplacian-style sharpening kernel (any 3×3 kernel costs the same). */
const KERNEL = [0, -1, 0, -1, 5, -1, 0, -1, 0];

/** Timings (ms) of one photo through libvips. */
export interface NativeTiming {
  decodeMs: number;
  decodeConvolveMs: number;
}

/** libvips threads used (sharp's default is the number of cores). */
export function nativeThreads(): number {
  return sharp.concurrency();
}

/** Decode only, then decode plus one 3×3 convolution, of the photo at `path`. */
export async function timeNative(path: string): Promise<NativeTiming> {
  sharp.cache(false);
  const bytes = readFileSync(path);
  let started = performance.now();
  await sharp(bytes, { limitInputPixels: false }).raw().toBuffer();
  const decodeMs = performance.now() - started;
  started = performance.now();
  await sharp(bytes, { limitInputPixels: false })
    .convolve({ width: 3, height: 3, kernel: KERNEL })
    .raw()
    .toBuffer();
  return { decodeMs, decodeConvolveMs: performance.now() - started };
}
