/** Longest side of the strip thumbnails, in CSS pixels × 2 for sharp display. */
const THUMB_SIDE = 192;

/**
 * A small JPEG of a decoded photo for the strip. Drawing an already-decoded bitmap this small takes
 * a few milliseconds; encoding runs off the main thread inside convertToBlob.
 */
export async function makeThumbnail(bitmap: ImageBitmap, side = THUMB_SIDE): Promise<string> {
  return URL.createObjectURL(await smallJpeg(bitmap, side, 0.85));
}

/** A JPEG of `bitmap` whose long side is at most `side` px. */
export async function smallJpeg(bitmap: ImageBitmap, side: number, quality: number): Promise<Blob> {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(
    Math.max(1, Math.round(bitmap.width * scale)),
    Math.max(1, Math.round(bitmap.height * scale)),
  );
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas available');
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.convertToBlob({ type: 'image/jpeg', quality });
}
