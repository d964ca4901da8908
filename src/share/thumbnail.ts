/**
 * The only part of a photo that can ever go into a link: a tiny JPEG the person opted into, made
 * from the strip thumbnail that already exists (no second decode of the photo).
 */
import { smallJpeg } from '../photos/thumbnail.ts';
import { THUMBNAIL_PREFIX } from './payload.ts';

/** Longest side of a shared thumbnail, in pixels. */
export const SHARE_THUMB_SIDE = 96;
/** The encoder's budget for the JPEG bytes (the validator accepts up to ~6 KB). */
export const SHARE_THUMB_MAX_BYTES = 4096;

/** Smaller and rougher until it fits the budget; a 96 px JPEG at 0.7 is usually ~2–3 KB. */
const ATTEMPTS: [side: number, quality: number][] = [
  [SHARE_THUMB_SIDE, 0.7],
  [SHARE_THUMB_SIDE, 0.5],
  [80, 0.45],
  [64, 0.4],
];

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** A JPEG data URL of at most SHARE_THUMB_MAX_BYTES from an image URL (the strip thumbnail). */
export async function shareThumbnail(imageUrl: string): Promise<string> {
  const bitmap = await createImageBitmap(await (await fetch(imageUrl)).blob());
  try {
    for (const [side, quality] of ATTEMPTS) {
      const blob = await smallJpeg(bitmap, side, quality);
      if (blob.size <= SHARE_THUMB_MAX_BYTES) {
        return THUMBNAIL_PREFIX + base64(new Uint8Array(await blob.arrayBuffer()));
      }
    }
    throw new Error('The thumbnail could not be made small enough.');
  } finally {
    bitmap.close();
  }
}

/** The bytes of a validated thumbnail data URL, as a Blob the browser can decode. */
export function thumbnailBlob(dataUrl: string): Blob {
  const binary = atob(dataUrl.slice(THUMBNAIL_PREFIX.length));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: 'image/jpeg' });
}

/** Decodes a thumbnail from a link; null when the browser cannot decode it as an image. */
export async function decodeThumbnail(dataUrl: string): Promise<ImageBitmap | null> {
  try {
    return await createImageBitmap(thumbnailBlob(dataUrl));
  } catch {
    return null;
  }
}
