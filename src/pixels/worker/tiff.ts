/**
 * TIFF decoding with utif2 (loaded only when a TIFF arrives): the largest page, EXIF orientation
 * applied. Used by the pixels worker and by the model worker's full-size decode (reference mode).
 */
import { orientImageData } from './orient.ts';
import { PhotoRefusal } from './sniff.ts';
import { tiffChainIsHostile } from './tiff-chain.ts';

/** First value of a numeric TIFF tag, 0 when absent. */
function tiffTag(ifd: Record<string, unknown>, tag: string): number {
  const value = ifd[tag];
  const first: unknown =
    Array.isArray(value) || ArrayBuffer.isView(value) ? (value as ArrayLike<unknown>)[0] : value;
  return typeof first === 'number' && Number.isFinite(first) ? first : 0;
}

/** Decodes a TIFF's largest page, upright, refusing one larger than `checkSize` allows. */
export async function decodeTiff(
  bytes: Uint8Array,
  checkSize: (format: 'tiff', width: number, height: number) => void,
): Promise<ImageBitmap> {
  if (tiffChainIsHostile(bytes)) {
    throw new PhotoRefusal(
      'This TIFF file is damaged: its directories point back at each other, so it has no end.',
    );
  }
  const UTIF = (await import('utif2')).default;
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  let pages: ReturnType<typeof UTIF.decode>;
  try {
    pages = UTIF.decode(buffer);
  } catch {
    throw new PhotoRefusal('This TIFF file is damaged and cannot be read.');
  }
  const sized = pages
    .map((ifd) => ({ ifd, w: tiffTag(ifd, 't256'), h: tiffTag(ifd, 't257') }))
    .filter((p) => p.w > 0 && p.h > 0)
    .sort((a, b) => b.w * b.h - a.w * a.h);
  const page = sized[0];
  if (!page) throw new PhotoRefusal('This TIFF file holds no picture.');
  checkSize('tiff', page.w, page.h);
  let rgba: Uint8Array;
  try {
    UTIF.decodeImage(buffer, page.ifd);
    rgba = UTIF.toRGBA8(page.ifd);
  } catch {
    throw new PhotoRefusal(
      'This TIFF file uses a compression or layout Quality Lens cannot decode.',
    );
  }
  if (rgba.length < page.w * page.h * 4)
    throw new PhotoRefusal('This TIFF file is damaged or incomplete.');
  const pixels = new Uint8ClampedArray(page.w * page.h * 4);
  pixels.set(rgba.subarray(0, pixels.length));
  const image = new ImageData(pixels, page.w, page.h);
  const orientation = tiffTag(page.ifd, 't274') || 1;
  return createImageBitmap(orientImageData(image, orientation), { premultiplyAlpha: 'none' });
}
