/**
 * The reference image mode's picture: the photo's own file decoded again, at full size, inside the
 * model worker, so anyres chooses its grid from the photo's real size and the Pillow resize
 * (pil-resize.ts) works from the original pixels, as transformers' processor does. The app's
 * working copy (long side ≤ 2048, resized by the browser) is what the fast mode draws, and what
 * the reference mode falls back to when the original cannot be decoded here.
 *
 * The full-size pixels live only while one photo is being encoded: decoded here, resized into
 * tiles by the caller, then dropped (no full-size bitmap is kept for any photo of a shoot).
 */
import type { RawImage } from '@huggingface/transformers';
import type { ImageMode } from '../image-mode.ts';
import { rawKindOfBytes, rawKindOfName } from '../../pixels/worker/raw-preview.ts';
import { PhotoRefusal, sniffPhoto } from '../../pixels/worker/sniff.ts';
import { decodeTiff } from '../../pixels/worker/tiff.ts';
import { bitmapToRawImage, fastModePicture } from './image.ts';
import type { FastInput } from './runtime.ts';

/**
 * Above this many pixels the original is not decoded again (the pixels worker's own limit for a
 * full decode: a 60 MP RGBA picture is 240 MB); the working copy is tiled instead.
 */
export const MAX_FULL_SIZE_PIXELS = 60_000_000;

const refuseTooLarge = (_format: string, width: number, height: number) => {
  if (width * height > MAX_FULL_SIZE_PIXELS) throw new PhotoRefusal('too large to decode again');
};

/** The file's pixel size as its header declares it, or null when the header does not say. */
function declaredSize(head: Uint8Array, size: number): { width: number; height: number } | null {
  try {
    return sniffPhoto(head, size).declared;
  } catch {
    return null;
  }
}

/**
 * Decodes `file` at full size, upright (EXIF orientation applied, as the working copy is), or
 * returns null when that is not possible here: RAW files (scored from their embedded preview,
 * which is the working copy), pictures over MAX_FULL_SIZE_PIXELS, and anything that fails.
 */
export async function decodeOriginal(file: Blob): Promise<ImageBitmap | null> {
  try {
    const head = new Uint8Array(await file.slice(0, 1 << 18).arrayBuffer());
    if (rawKindOfBytes(head) ?? rawKindOfName(file instanceof File ? file.name : '')) return null;
    const { format, declared } = sniffPhoto(head, file.size);
    if (declared) refuseTooLarge(format, declared.width, declared.height);
    if (format === 'tiff') {
      return await decodeTiff(new Uint8Array(await file.arrayBuffer()), refuseTooLarge);
    }
    if (format === 'heic') {
      const { decodeHeic } = await import('../../pixels/worker/heic.ts');
      const image = await decodeHeic(new Uint8Array(await file.arrayBuffer()), refuseTooLarge);
      return await createImageBitmap(image, { premultiplyAlpha: 'none' });
    }
    const bitmap = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
    });
    if (bitmap.width * bitmap.height > MAX_FULL_SIZE_PIXELS) {
      bitmap.close();
      return null;
    }
    return bitmap;
  } catch {
    return null;
  }
}

/**
 * The picture the model encodes a photo from. The fast mode draws the working copy at the
 * processor's input size (fastModePicture). The reference mode decodes the original when it is larger than the working copy (a
 * photo over 2048 px), else draws the working copy, which then holds the original's pixels.
 * The caller still owns (and closes) `workingCopy`.
 */
export async function pictureForModel(
  workingCopy: ImageBitmap,
  original: Blob | undefined,
  mode: ImageMode,
  fastInput: FastInput | null,
): Promise<RawImage> {
  if (mode !== 'reference') return fastModePicture(workingCopy, fastInput);
  const workingSide = Math.max(workingCopy.width, workingCopy.height);
  if (original) {
    const head = new Uint8Array(await original.slice(0, 1 << 18).arrayBuffer());
    const declared = declaredSize(head, original.size);
    if (declared && Math.max(declared.width, declared.height) <= workingSide) {
      return bitmapToRawImage(workingCopy, Infinity);
    }
    const full = await decodeOriginal(original);
    if (full) {
      try {
        return bitmapToRawImage(full, Infinity);
      } finally {
        full.close();
      }
    }
  }
  return bitmapToRawImage(workingCopy, Infinity);
}
