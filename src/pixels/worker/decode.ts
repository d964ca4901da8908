import { formatPixelCount } from '../../lib/format.ts';
import {
  MAX_SOURCE_PIXELS,
  WORKING_LONG_SIDE,
  type ExifSummary,
  type PixelReader,
} from '../protocol.ts';
import { readExif } from './exif.ts';
import type { Rgba } from './measures/image.ts';
import { decodeJpegPlanes, type PlanarJpeg } from './jpeg-planes.ts';
import {
  findRawPreview,
  rawKindName,
  rawKindOfBytes,
  rawKindOfName,
  withOrientation,
  type RawKind,
} from './raw-preview.ts';
import { gifIsAnimated, jpegSize, PhotoRefusal, sniffPhoto, type PhotoFormat } from './sniff.ts';
import { decodeTiff } from './tiff.ts';

/** Above this many source pixels the browser decodes straight to the working size. */
const FULL_DECODE_LIMIT = 60_000_000;
/** Side of the 1:1 crops kept for blockiness and 100 % checks. */
const CROP_SIDE = 384;

/** A decoded photo as the worker holds it. */
export interface DecodedPixels {
  /** Upright working copy, long side ≤ 2048, for the UI. */
  bitmap: ImageBitmap;
  /** The same pixels as RGBA, kept by the worker for measuring. */
  working: Rgba;
  /** 1:1 crops of the original (empty when the working copy is the original, or for huge files). */
  nativeCrops: Rgba[];
  sourceWidth: number;
  sourceHeight: number;
  format: PhotoFormat;
  exif: ExifSummary | null;
  notes: string[];
  reader: PixelReader;
}

const FORMAT_NAMES: Record<PhotoFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  webp: 'WebP',
  avif: 'AVIF',
  heic: 'HEIC',
  tiff: 'TIFF',
  bmp: 'BMP',
};

/** Upright size for a stored size and an EXIF orientation (5–8 turn the picture a quarter). */
const upright = (w: number, h: number, orientation: number | undefined) =>
  orientation !== undefined && orientation >= 5 ? { width: h, height: w } : { width: w, height: h };

/** Size that fits the working long side, keeping the aspect ratio. */
export function workingSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, WORKING_LONG_SIDE / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Files cut short (interrupted downloads and copies) are refused rather than shown half grey. */
function checkComplete(format: PhotoFormat, bytes: Uint8Array): void {
  const tail = bytes.subarray(Math.max(0, bytes.length - (1 << 20)));
  const incomplete = (): never => {
    throw new PhotoRefusal(
      `This ${FORMAT_NAMES[format]} file is incomplete: it ends before the picture does (an interrupted download or copy?).`,
    );
  };
  if (format === 'jpeg') {
    // Neither marker can occur inside entropy-coded data, so the last scan (SOS) must be followed
    // by an end-of-image marker; trailers after it (phone depth maps, MPF images) are fine.
    let lastScan = -1;
    let lastEnd = -1;
    for (let i = 0; i + 1 < tail.length; i++) {
      if (tail[i] !== 0xff) continue;
      if (tail[i + 1] === 0xda) lastScan = i;
      else if (tail[i + 1] === 0xd9) lastEnd = i;
    }
    if (lastEnd < 0 || lastEnd < lastScan) incomplete();
  }
  if (format === 'png') {
    const text = String.fromCharCode(...tail.subarray(Math.max(0, tail.length - 64)));
    if (!text.includes('IEND')) incomplete();
  }
  if (format === 'gif' && !tail.subarray(Math.max(0, tail.length - 16)).includes(0x3b))
    incomplete();
  if (format === 'webp') {
    const declared =
      (bytes[4] ?? 0) +
      (bytes[5] ?? 0) * 256 +
      (bytes[6] ?? 0) * 65536 +
      (bytes[7] ?? 0) * 16777216;
    if (declared + 8 > bytes.length) incomplete();
  }
}

function checkDeclaredSize(format: PhotoFormat, width: number, height: number): void {
  if (width === 0 || height === 0) {
    throw new PhotoRefusal(`This ${FORMAT_NAMES[format]} file declares a picture with no pixels.`);
  }
  if (width * height > MAX_SOURCE_PIXELS || width > 65535 || height > 65535) {
    throw new PhotoRefusal(
      `This ${FORMAT_NAMES[format]} file declares ${width} × ${height} pixels (${formatPixelCount(width * height)}), ` +
        `more than Quality Lens can open safely (${MAX_SOURCE_PIXELS / 1e6} MP).`,
    );
  }
}

/** Draws a bitmap into a canvas the worker can read, and returns its RGBA. */
export function pixelsOf(
  bitmap: ImageBitmap,
  sx = 0,
  sy = 0,
  w = bitmap.width,
  h = bitmap.height,
): Rgba {
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context)
    throw new Error('This browser cannot read pixels in a worker (no 2D OffscreenCanvas).');
  context.drawImage(bitmap, sx, sy, w, h, 0, 0, w, h);
  const { data } = context.getImageData(0, 0, w, h);
  return { data, width: w, height: h };
}

/** Where the 1:1 crops sit: the centre and the four thirds, where subjects sit. */
const CROP_SPOTS = [
  [0.5, 0.5],
  [1 / 3, 1 / 3],
  [2 / 3, 1 / 3],
  [1 / 3, 2 / 3],
  [2 / 3, 2 / 3],
] as const;

/** Five 1:1 crops on the 8-pixel grid at CROP_SPOTS. */
function nativeCropsOf(bitmap: ImageBitmap): Rgba[] {
  const side = Math.min(CROP_SIDE, bitmap.width, bitmap.height);
  const at = (fraction: number, size: number) =>
    Math.max(0, Math.min(size - side, Math.round((fraction * size - side / 2) / 8) * 8));
  return CROP_SPOTS.map(([fx, fy]) =>
    pixelsOf(bitmap, at(fx, bitmap.width), at(fy, bitmap.height), side, side),
  );
}

async function decodeWithBrowser(
  file: Blob,
  format: PhotoFormat,
  resize: { width: number; height: number } | null,
): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      ...(resize
        ? { resizeWidth: resize.width, resizeHeight: resize.height, resizeQuality: 'high' }
        : {}),
    });
  } catch {
    throw new PhotoRefusal(
      `This ${FORMAT_NAMES[format]} file is damaged or uses a variant this browser cannot decode.`,
    );
  }
}

/** A JPEG decoded by planes (jpeg-planes.ts): the working RGBA is already at hand. */
async function fromPlanes(
  planar: PlanarJpeg,
  format: PhotoFormat,
  exif: ExifSummary | null,
  notes: string[],
): Promise<DecodedPixels> {
  const { working, sourceWidth, sourceHeight } = planar;
  const image = new ImageData(
    working.data as Uint8ClampedArray<ArrayBuffer>,
    working.width,
    working.height,
  );
  const bitmap = await createImageBitmap(image, { premultiplyAlpha: 'none' });
  notes.push(downsampledNote(sourceWidth, sourceHeight, bitmap));
  return {
    bitmap,
    working,
    nativeCrops: planar.nativeCrops,
    sourceWidth,
    sourceHeight,
    format,
    exif,
    notes,
    reader: planar.reader,
  };
}

const downsampledNote = (width: number, height: number, bitmap: ImageBitmap) =>
  `Downsampled from ${formatPixelCount(width * height)} (${width} × ${height}) ` +
  `to ${bitmap.width} × ${bitmap.height} for viewing and measuring.`;

/**
 * A RAW file is shown, measured and scored from the largest JPEG preview the camera embedded
 * (raw-preview.ts); its camera facts come from the RAW's own EXIF where it has one.
 */
async function decodeRawPreview(file: Blob, kind: RawKind): Promise<DecodedPixels> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const preview = findRawPreview(bytes, kind);
  const rawExif = kind === 'cr3' || kind === 'raf' ? null : (await readExif(bytes)).exif;
  const previewExif = (await readExif(preview.jpeg)).exif;
  // The preview's own orientation wins; without one, the RAW's IFD0 says how the camera was held.
  const orientation = preview.orientation ?? rawExif?.orientation;
  const jpeg =
    !previewExif?.orientation && orientation !== undefined && orientation !== 1
      ? withOrientation(preview.jpeg, orientation)
      : preview.jpeg;
  const decoded = await decodeFile(
    new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
  );
  decoded.notes.unshift(
    `The camera's embedded preview was measured: a ${preview.width} × ${preview.height} JPEG ` +
      `inside this ${rawKindName(kind)} file (the RAW data itself is not decoded).`,
  );
  const exif = rawExif ?? decoded.exif;
  return { ...decoded, exif: exif && orientation ? { ...exif, orientation } : exif };
}

/**
 * Decodes a dropped file into an upright working copy, EXIF and notes. Refuses with a
 * PhotoRefusal (a sentence for the person) whenever the file is not a photo we can open safely.
 */
export async function decodeFile(file: Blob): Promise<DecodedPixels> {
  if (file.size === 0)
    throw new PhotoRefusal('This file is empty (0 bytes), so there is no photo in it.');
  const head = new Uint8Array(await file.slice(0, 1 << 18).arrayBuffer());
  const rawKind = rawKindOfBytes(head) ?? rawKindOfName(file instanceof File ? file.name : '');
  if (rawKind) return decodeRawPreview(file, rawKind);
  const sniffed = sniffPhoto(head, file.size);
  const { format } = sniffed;
  const notes: string[] = [];
  if (sniffed.declared) checkDeclaredSize(format, sniffed.declared.width, sniffed.declared.height);

  const bytes = new Uint8Array(await file.arrayBuffer());
  if (format === 'jpeg' && !sniffed.declared) {
    // Long metadata can push the frame header past the first bytes we read: look in all of them.
    sniffed.declared = jpegSize(bytes);
    if (!sniffed.declared) {
      throw new PhotoRefusal('This JPEG file is damaged: its header cannot be read.');
    }
    checkDeclaredSize(format, sniffed.declared.width, sniffed.declared.height);
  }
  checkComplete(format, bytes);
  // exifr reads EXIF from JPEG, TIFF, PNG and HEIF/AVIF; GIF, WebP and BMP go without.
  const { exif, note } = ['jpeg', 'tiff', 'png', 'heic', 'avif'].includes(format)
    ? await readExif(bytes)
    : { exif: null, note: undefined };
  if (note) notes.push(note);
  if (sniffed.animated || (format === 'gif' && gifIsAnimated(bytes))) {
    notes.push(`Animated ${FORMAT_NAMES[format]}: the first frame is shown and analysed.`);
  }

  let full: ImageBitmap;
  let preResized: { width: number; height: number } | null = null;
  let source: { width: number; height: number };
  if (format === 'tiff') {
    full = await decodeTiff(bytes, checkDeclaredSize);
    source = { width: full.width, height: full.height };
  } else if (format === 'heic') {
    const { decodeHeic } = await import('./heic.ts');
    const image = await decodeHeic(bytes, checkDeclaredSize);
    full = await createImageBitmap(image, { premultiplyAlpha: 'none' });
    source = { width: full.width, height: full.height };
  } else {
    const declared = sniffed.declared;
    source = declared
      ? upright(declared.width, declared.height, exif?.orientation)
      : { width: 0, height: 0 };
    if (declared && declared.width * declared.height > FULL_DECODE_LIMIT) {
      preResized = workingSize(source.width, source.height);
    }
    const shrinks = Math.max(source.width, source.height) > WORKING_LONG_SIDE;
    if (
      format === 'jpeg' &&
      shrinks &&
      !preResized &&
      Math.min(source.width, source.height) >= CROP_SIDE
    ) {
      const planar = await decodeJpegPlanes(bytes, workingSize, CROP_SIDE, CROP_SPOTS);
      if (planar) return fromPlanes(planar, format, exif, notes);
    }
    full = await decodeWithBrowser(file, format, preResized);
    if (!preResized) source = { width: full.width, height: full.height };
  }

  const target = workingSize(source.width, source.height);
  const needsResize = !preResized && (target.width !== full.width || target.height !== full.height);
  const nativeCrops = needsResize ? nativeCropsOf(full) : [];
  let bitmap = full;
  if (needsResize) {
    bitmap = await createImageBitmap(full, {
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
      premultiplyAlpha: 'none',
    });
    full.close();
  }
  if (needsResize || preResized) {
    notes.push(downsampledNote(source.width, source.height, bitmap));
  }
  if (Math.min(source.width, source.height) < 16) {
    notes.push(
      `This picture is only ${source.width} × ${source.height} pixels: too small to judge sharpness or noise.`,
    );
  }
  return {
    bitmap,
    working: pixelsOf(bitmap),
    nativeCrops,
    sourceWidth: source.width,
    sourceHeight: source.height,
    format,
    exif,
    notes,
    reader: 'browser',
  };
}
