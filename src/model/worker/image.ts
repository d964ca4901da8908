import { RawImage } from '@huggingface/transformers';

/** Longest side the photo is drawn at before the processor resizes it to the model's input. */
const MAX_INPUT_SIDE = 1024;

/**
 * A photo's pixels as transformers.js wants them, drawn (and shrunk to `maxSide`) on an
 * OffscreenCanvas. The reference image mode passes Infinity: its geometry follows the picture's
 * own size, as transformers' processor sees it.
 */
export function bitmapToRawImage(bitmap: ImageBitmap, maxSide = MAX_INPUT_SIDE): RawImage {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas in this worker');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return new RawImage(data, width, height, 4);
}
