import exifr from 'exifr';
import type { ExifSummary } from '../protocol.ts';

type Raw = Record<string, unknown>;

const text = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  // Cameras pad strings with NULs and spaces.
  const t = v.replace(/\0/g, '').trim();
  return t.length > 0 ? t : undefined;
};

const positive = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;

const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** "2008:04:20 19:12:06" → "2008-04-20T19:12:06" (kept in the camera's local time). */
function exifDate(v: unknown): string | undefined {
  const m =
    typeof v === 'string' ? /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
  if (!m || m[1] === '0000') return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

/** Degrees/minutes/seconds and a hemisphere letter → signed decimal degrees. */
function degrees(v: unknown, ref: unknown, negative: string): number | undefined {
  const parts =
    Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>) : [v];
  const [d, m = 0, s = 0] = parts.map(Number);
  if (d === undefined || ![d, m, s].every(Number.isFinite)) return undefined;
  const value = d + m / 60 + s / 3600;
  return text(ref)?.toUpperCase() === negative ? -value : value;
}

/** Turns exifr's raw tags into the camera facts the app shows. */
export function summariseExif(raw: Raw): ExifSummary | null {
  const summary: ExifSummary = {
    make: text(raw.Make),
    model: text(raw.Model),
    lens: text(raw.LensModel) ?? text(raw.Lens),
    software: text(raw.Software),
    iso: positive(raw.ISO) ?? positive(raw.PhotographicSensitivity),
    exposureTime: positive(raw.ExposureTime),
    fNumber: positive(raw.FNumber),
    focalLength: positive(raw.FocalLength),
    focalLength35mm: positive(raw.FocalLengthIn35mmFormat),
    exposureBias: finite(raw.ExposureCompensation),
    taken: exifDate(raw.DateTimeOriginal) ?? exifDate(raw.CreateDate),
    flashFired: typeof raw.Flash === 'number' ? (raw.Flash & 1) === 1 : undefined,
    orientation:
      typeof raw.Orientation === 'number' && raw.Orientation >= 1 && raw.Orientation <= 8
        ? raw.Orientation
        : undefined,
  };
  const latitude = degrees(raw.GPSLatitude, raw.GPSLatitudeRef, 'S');
  const longitude = degrees(raw.GPSLongitude, raw.GPSLongitudeRef, 'W');
  if (latitude !== undefined && longitude !== undefined && Math.abs(latitude) <= 90) {
    const altitude = finite(raw.GPSAltitude);
    summary.gps = {
      latitude,
      longitude,
      ...(altitude !== undefined
        ? { altitude: raw.GPSAltitudeRef === 1 ? -altitude : altitude }
        : {}),
    };
  }
  const kept = Object.fromEntries(
    Object.entries(summary).filter(([, v]) => v !== undefined),
  ) as ExifSummary;
  return Object.keys(kept).length > 0 ? kept : null;
}

/** Whether a JPEG has an APP1 "Exif" segment among its first markers. */
function hasJpegExifBlock(b: Uint8Array): boolean {
  if (b[0] !== 0xff || b[1] !== 0xd8) return false;
  let at = 2;
  while (at + 10 < b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xda) return false;
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (marker === 0xe1 && String.fromCharCode(...b.subarray(at + 4, at + 8)) === 'Exif')
      return true;
    at += 2 + length;
  }
  return false;
}

/**
 * Reads EXIF with exifr. A file without EXIF gives null; corrupt EXIF gives null and a note,
 * never an exception, because the pixels may still be perfectly good.
 */
export async function readExif(
  bytes: Uint8Array,
): Promise<{ exif: ExifSummary | null; note?: string }> {
  const damaged = 'The camera information (EXIF) in this file is damaged and was skipped.';
  try {
    const raw = (await exifr.parse(bytes, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      translateValues: false,
      reviveValues: false,
      mergeOutput: true,
    })) as Raw | undefined;
    const exif = raw ? summariseExif(raw) : null;
    // A JPEG that carries an EXIF block from which nothing could be read has a damaged one.
    if (!exif && hasJpegExifBlock(bytes)) return { exif: null, note: damaged };
    return { exif };
  } catch {
    return { exif: null, note: damaged };
  }
}
