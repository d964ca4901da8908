/**
 * Decoded pixels of each photo, kept outside the store (ImageBitmaps are not plain data). The
 * model gets a copy when it scores a photo, so the original stays usable for the viewer and maps.
 */
const bitmaps = new Map<string, ImageBitmap>();

export function keepBitmap(photoId: string, bitmap: ImageBitmap) {
  bitmaps.get(photoId)?.close();
  bitmaps.set(photoId, bitmap);
}

export function getBitmap(photoId: string): ImageBitmap | undefined {
  return bitmaps.get(photoId);
}

/** A copy the caller may transfer to a worker. */
export function copyBitmap(photoId: string): Promise<ImageBitmap> {
  const bitmap = bitmaps.get(photoId);
  if (!bitmap) return Promise.reject(new Error('This photo has no decoded pixels.'));
  return createImageBitmap(bitmap);
}

export function dropBitmap(photoId: string) {
  bitmaps.get(photoId)?.close();
  bitmaps.delete(photoId);
}
