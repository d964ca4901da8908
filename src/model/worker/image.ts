import { RawImage } from '@huggingface/transformers';
import type { FastInput } from './runtime.ts';

/** Longest side the photo is drawn at for a processor that resizes it itself. */
const MAX_INPUT_SIDE = 1024;

/** Draws `bitmap` at width × height on an OffscreenCanvas and reads its RGBA pixels back. */
function drawn(bitmap: ImageBitmap, width: number, height: number): RawImage {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas in this worker');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return new RawImage(data, width, height, 4);
}

/**
 * A photo's pixels as transformers.js wants them, drawn (and shrunk to `maxSide`) on an
 * OffscreenCanvas. The reference image mode passes Infinity: its geometry follows the picture's
 * own size, as transformers' processor sees it.
 */
export function bitmapToRawImage(bitmap: ImageBitmap, maxSide = MAX_INPUT_SIDE): RawImage {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  return drawn(bitmap, width, height);
}

/**
 * The fast mode's picture: drawn in one step straight at the processor's input size (aspect not
 * kept, as the processor's own resize does), so the model code only normalises it
 * (QualityModel's fastPixelValues). One high-quality downscale from the working copy instead of
 * one to 1024 px and a second, plain bilinear one inside transformers.js; its level logits sit
 * 5× nearer those of Pillow's bicubic single crop (docs/SCORING.md). A model whose processor does
 * more than resize (`input` null) gets the 1024 px picture as before.
 */
export function fastModePicture(bitmap: ImageBitmap, input: FastInput | null): RawImage {
  return input ? drawn(bitmap, input.width, input.height) : bitmapToRawImage(bitmap);
}
