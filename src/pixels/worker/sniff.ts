/**
 * Recognises a photo's format from its first bytes and reads the dimensions it declares, so that
 * nothing is decoded (and no pixel memory allocated) before we know what the file claims to be.
 */

/** Formats the worker knows how to decode. */
export type PhotoFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'heic' | 'tiff' | 'bmp';

/** A refusal with a sentence meant for the person who dropped the file. */
export class PhotoRefusal extends Error {
  override name = 'PhotoRefusal';
}

export interface SniffedPhoto {
  format: PhotoFormat;
  /** Dimensions as stored (before EXIF orientation), or null when the header does not say. */
  declared: { width: number; height: number } | null;
  /** GIF or WebP with more than one frame. */
  animated: boolean;
}

const ascii = (b: Uint8Array, at: number, len: number): string =>
  String.fromCharCode(...b.subarray(at, at + len));

const u16be = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32be = (b: Uint8Array, at: number): number => u16be(b, at) * 65536 + u16be(b, at + 2);
const u32le = (b: Uint8Array, at: number): number => u16le(b, at) + u16le(b, at + 2) * 65536;
const u24le = (b: Uint8Array, at: number): number => u16le(b, at) + (b[at + 2] ?? 0) * 65536;

/** HEIF brands written by phones (HEVC) versus AV1 brands (AVIF). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function looksLikeText(b: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(b.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<') && (head.includes('<svg') || head.startsWith('<?xml'));
}

/** Names a file's kind from its first bytes, or refuses it with a clear sentence. */
export function sniffPhoto(head: Uint8Array, totalBytes: number): SniffedPhoto {
  if (totalBytes === 0)
    throw new PhotoRefusal('This file is empty (0 bytes), so there is no photo in it.');
  const b = head;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { format: 'jpeg', declared: jpegSize(b), animated: false };
  }
  if (ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') {
    const declared =
      ascii(b, 12, 4) === 'IHDR' ? { width: u32be(b, 16), height: u32be(b, 20) } : null;
    return { format: 'png', declared, animated: ascii(b, 37, 4) === 'acTL' };
  }
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') {
    return {
      format: 'gif',
      declared: { width: u16le(b, 6), height: u16le(b, 8) },
      animated: false,
    };
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (ascii(b, 4, 4) === 'ftyp') {
    const brands = [ascii(b, 8, 4)];
    const boxSize = u32be(b, 0);
    for (let at = 16; at + 4 <= Math.min(boxSize, b.length); at += 4) brands.push(ascii(b, at, 4));
    const declared = heifSize(b);
    if (brands.some((x) => AVIF_BRANDS.has(x)))
      return { format: 'avif', declared, animated: false };
    if (brands.some((x) => HEIC_BRANDS.has(x)))
      return { format: 'heic', declared, animated: false };
  }
  if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') {
    return { format: 'tiff', declared: null, animated: false };
  }
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26) {
    return {
      format: 'bmp',
      declared: { width: Math.abs(u32le(b, 18) | 0), height: Math.abs(u32le(b, 22) | 0) },
      animated: false,
    };
  }
  if (looksLikeText(b)) {
    throw new PhotoRefusal(
      'This is an SVG drawing, not a photo. Quality Lens does not open SVG files (they can carry scripts).',
    );
  }
  throw new PhotoRefusal(
    'This file is not a photo Quality Lens can read. Try a JPEG, PNG, WebP, AVIF, GIF, TIFF or HEIC file.',
  );
}

/** Reads the frame size from a JPEG's SOF marker (null if the markers before it are broken). */
export function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = u16be(b, at + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    if (marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): SniffedPhoto {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') {
    const flags = b[20] ?? 0;
    return {
      format: 'webp',
      declared: { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 },
      animated: (flags & 0x02) !== 0,
    };
  }
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return {
      format: 'webp',
      declared: { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 },
      animated: false,
    };
  }
  if (chunk === 'VP8 ') {
    return {
      format: 'webp',
      declared: { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff },
      animated: false,
    };
  }
  return { format: 'webp', declared: null, animated: false };
}

/** The largest 'ispe' (image spatial extent) box in the head of a HEIF/AVIF file. */
function heifSize(b: Uint8Array): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null;
  for (let at = 4; at + 16 <= b.length; at++) {
    if (b[at] === 0x69 && ascii(b, at, 4) === 'ispe') {
      const width = u32be(b, at + 8);
      const height = u32be(b, at + 12);
      if (!best || width * height > best.width * best.height) best = { width, height };
    }
  }
  return best;
}

/** Counts a GIF's frames (image descriptors), stopping at two: we only need to know "animated". */
export function gifIsAnimated(b: Uint8Array): boolean {
  if (b.length < 13) return false;
  let at = 13;
  const flags = b[10] ?? 0;
  if (flags & 0x80) at += 3 * (1 << ((flags & 0x07) + 1));
  let frames = 0;
  const skipSubBlocks = (from: number): number => {
    let p = from;
    while (p < b.length) {
      const size = b[p] ?? 0;
      p += 1;
      if (size === 0) return p;
      p += size;
    }
    return p;
  };
  while (at < b.length) {
    const tag = b[at];
    if (tag === 0x3b) break;
    if (tag === 0x21) {
      at = skipSubBlocks(at + 2);
    } else if (tag === 0x2c) {
      frames += 1;
      if (frames > 1) return true;
      const local = b[at + 9] ?? 0;
      at += 10;
      if (local & 0x80) at += 3 * (1 << ((local & 0x07) + 1));
      at = skipSubBlocks(at + 1);
    } else {
      break;
    }
  }
  return false;
}
