/**
 * Finds the camera's own JPEG preview inside a RAW file, as culling tools show it: the RAW data
 * itself needs a demosaicing decoder, but every camera also stores a rendered JPEG (often full
 * size). Pure byte reading with bounded walks, so a hostile file ends in a refusal, never a hang.
 *
 * Layouts read: TIFF-based RAWs (CR2, NEF, ARW, DNG, ORF, RW2, …) by their IFD0 chain, SubIFDs,
 * EXIF IFD and the JPEG tags in each (JPEGInterchangeFormat, JPEG strips, Panasonic's JpgFromRaw);
 * Canon CR3 (ISO-BMFF) by its PRVW box in the preview uuid box; Fujifilm RAF by the JPEG offset in
 * its header. Anything else falls back to the largest complete JPEG found by scanning (MakerNote
 * previews such as Olympus' sit where no standard tag points).
 */
import { PhotoRefusal } from './sniff.ts';

/** RAW kinds named by their usual extension. */
export const RAW_EXTENSIONS = ['cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2', 'dng'] as const;
export type RawKind = (typeof RAW_EXTENSIONS)[number];

/** The preview found: its bytes (a view into the RAW's), its size and where it was. */
export interface RawPreview {
  kind: RawKind;
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** The RAW's own EXIF orientation (1–8), when its IFD0 records one. */
  orientation?: number;
  /** Where the preview sat, for tests and notes ("SubIFD", "PRVW box", "RAF header", …). */
  source: string;
}

/** Most IFDs one file may hold; real RAWs have under a dozen. */
const MAX_IFDS = 64;
/** Most entries one IFD may declare. */
const MAX_ENTRIES = 1000;
/** Most ISO-BMFF boxes visited. */
const MAX_BOXES = 4096;
/** Smallest preview worth measuring (long side); thumbnails below this are ignored. */
export const MIN_PREVIEW_SIDE = 320;

/** A JPEG with an EXIF block saying only `orientation`, put first so the browser honours it. */
export function withOrientation(jpeg: Uint8Array, orientation: number): Uint8Array {
  const app1 = new Uint8Array(36);
  const view = new DataView(app1.buffer);
  view.setUint16(0, 0xffe1); // APP1, 34 bytes long
  view.setUint16(2, 34);
  app1.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  app1.set([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8], 10); // big-endian TIFF, IFD0 at offset 8
  view.setUint16(18, 1); // one entry: Orientation (0x0112), SHORT, count 1, the value
  view.setUint16(20, 0x0112);
  view.setUint16(22, 3);
  view.setUint32(24, 1);
  view.setUint16(28, orientation);
  // Bytes 28–31 hold the value, 32–35 no next IFD (0).
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}

/** The RAW kind a file name says, or null. */
export function rawKindOfName(name: string): RawKind | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return RAW_EXTENSIONS.find((k) => k === ext) ?? null;
}

const ascii = (b: Uint8Array, at: number, len: number): string =>
  at + len <= b.length ? String.fromCharCode(...b.subarray(at, at + len)) : '';

/** The RAW kind the first bytes say, for the formats with a magic of their own. */
export function rawKindOfBytes(b: Uint8Array): RawKind | null {
  if (ascii(b, 0, 16) === 'FUJIFILMCCD-RAW ') return 'raf';
  if (ascii(b, 4, 8) === 'ftypcrx ') return 'cr3';
  if (ascii(b, 0, 4) === 'II*\0' && ascii(b, 8, 2) === 'CR') return 'cr2';
  if (ascii(b, 0, 4) === 'IIRO' || ascii(b, 0, 4) === 'IIRS' || ascii(b, 0, 4) === 'MMOR')
    return 'orf';
  if (ascii(b, 0, 4) === 'IIU\0') return 'rw2';
  return null;
}

/** Size and coding of a JPEG, or null when it is not one a browser decodes (e.g. lossless). */
function jpegFrame(b: Uint8Array): { width: number; height: number } | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    // Baseline, extended and progressive Huffman frames only: SOF3 is DNG's lossless RAW data.
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      const height = (b[at + 5]! << 8) | b[at + 6]!;
      const width = (b[at + 7]! << 8) | b[at + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if ((marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xcc) || length < 2)
      return null;
    if (marker === 0xda) return null;
    at += 2 + length;
  }
  return null;
}

interface Candidate {
  at: number;
  length: number;
  source: string;
}

/** Walks a TIFF structure (at `base` in `b`) and lists every JPEG its tags point at. */
function tiffCandidates(b: Uint8Array, base: number): { found: Candidate[]; orientation?: number } {
  const found: Candidate[] = [];
  if (base + 8 > b.length) return { found };
  const view = new DataView(b.buffer, b.byteOffset + base, b.byteLength - base);
  const little = b[base] === 0x49;
  const u16 = (at: number) => (at + 2 <= view.byteLength ? view.getUint16(at, little) : 0);
  const u32 = (at: number) => (at + 4 <= view.byteLength ? view.getUint32(at, little) : 0);
  const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1, 13: 4 };
  let orientation: number | undefined;
  const seen = new Set<number>();
  const queue: { at: number; name: string; chain: boolean }[] = [
    { at: u32(4), name: 'IFD0', chain: true },
  ];
  while (queue.length > 0 && seen.size < MAX_IFDS) {
    const { at, name, chain } = queue.shift()!;
    if (at === 0 || at + 2 > view.byteLength || seen.has(at)) continue;
    seen.add(at);
    const count = u16(at);
    if (count === 0 || count > MAX_ENTRIES || at + 2 + count * 12 > view.byteLength) continue;
    const tags = new Map<number, number[]>();
    const raw = new Map<number, { type: number; count: number; valueAt: number }>();
    for (let i = 0; i < count; i++) {
      const entry = at + 2 + i * 12;
      const tag = u16(entry);
      const type = u16(entry + 2);
      const n = u32(entry + 4);
      const size = (TYPE_SIZE[type] ?? 0) * n;
      const valueAt = size <= 4 ? entry + 8 : u32(entry + 8);
      raw.set(tag, { type, count: n, valueAt });
      if (type !== 3 && type !== 4 && type !== 13) continue;
      const values: number[] = [];
      for (let k = 0; k < Math.min(n, 64); k++) {
        values.push(type === 3 ? u16(valueAt + k * 2) : u32(valueAt + k * 4));
      }
      tags.set(tag, values);
    }
    if (name === 'IFD0') {
      const o = tags.get(0x0112)?.[0];
      if (o !== undefined && o >= 1 && o <= 8) orientation = o;
    }
    const jpegAt = tags.get(0x0201)?.[0];
    const jpegLength = tags.get(0x0202)?.[0];
    if (jpegAt && jpegLength) found.push({ at: base + jpegAt, length: jpegLength, source: name });
    const strips = tags.get(0x0111);
    const stripLengths = tags.get(0x0117);
    if (strips?.length === 1 && stripLengths?.length === 1) {
      found.push({ at: base + strips[0]!, length: stripLengths[0]!, source: `${name} strip` });
    }
    // Panasonic RW2 keeps a full JPEG as the value of tag 0x2e (JpgFromRaw).
    const embedded = raw.get(0x002e);
    if (embedded && embedded.type === 7 && embedded.count > 4) {
      found.push({ at: base + embedded.valueAt, length: embedded.count, source: 'JpgFromRaw' });
    }
    for (const sub of tags.get(0x014a) ?? []) queue.push({ at: sub, name: 'SubIFD', chain: false });
    const exifIfd = tags.get(0x8769)?.[0];
    if (exifIfd) queue.push({ at: exifIfd, name: 'EXIF IFD', chain: false });
    if (chain) queue.push({ at: u32(at + 2 + count * 12), name: 'IFD1', chain: true });
  }
  return { found, ...(orientation !== undefined ? { orientation } : {}) };
}

/** Top-level and nested ISO-BMFF boxes, looking for Canon's preview uuid box. */
const CR3_PREVIEW_UUID = 'eaf42b5e1c984b88b9fbb7dc406e4d16';
const CR3_META_UUID = '85c0b687820f11e08111f4ce462b6a48';

function cr3Candidates(b: Uint8Array): { found: Candidate[]; orientation?: number } {
  const found: Candidate[] = [];
  let orientation: number | undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hex = (at: number) =>
    Array.from(b.subarray(at, at + 16), (x) => x.toString(16).padStart(2, '0')).join('');
  let visited = 0;
  const walk = (start: number, end: number, depth: number) => {
    let at = start;
    while (at + 8 <= end && visited++ < MAX_BOXES) {
      let size = view.getUint32(at);
      const type = ascii(b, at + 4, 4);
      let header = 8;
      if (size === 1 && at + 16 <= end) {
        const big = view.getBigUint64(at + 8);
        size = big > BigInt(end - at) ? 0 : Number(big);
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header || at + size > end) return;
      const body = at + header;
      if (type === 'uuid' && body + 16 <= at + size) {
        const id = hex(body);
        if (id === CR3_PREVIEW_UUID) {
          // 16-byte uuid, 8 bytes of version/count, then the PRVW box with a 24-byte header.
          const prvw = body + 24;
          if (ascii(b, prvw + 4, 4) === 'PRVW' && prvw + 24 <= at + size) {
            found.push({ at: prvw + 24, length: view.getUint32(prvw + 20), source: 'PRVW box' });
          }
        } else if (id === CR3_META_UUID && depth < 4) {
          walk(body + 16, at + size, depth + 1);
        }
      } else if (type === 'CMT1') {
        orientation = tiffCandidates(b.subarray(body, at + size), 0).orientation ?? orientation;
      } else if (type === 'moov' && depth < 4) {
        walk(body, at + size, depth + 1);
      }
      at += size;
    }
  };
  walk(0, b.length, 0);
  return { found, ...(orientation !== undefined ? { orientation } : {}) };
}

function rafCandidates(b: Uint8Array): { found: Candidate[]; orientation?: number } {
  if (b.length < 92) return { found: [] };
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const at = view.getUint32(84);
  const length = view.getUint32(88);
  // The header's JPEG carries the camera's EXIF (orientation included) in its own APP1.
  return { found: [{ at, length, source: 'RAF header' }] };
}

/** Where a JPEG starting at `at` ends: the first end marker after its first scan, or -1. */
function jpegEnd(b: Uint8Array, at: number): number {
  let p = at + 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p += 1;
      continue;
    }
    if (marker === 0xda) {
      // Entropy-coded data escapes every FF, so the next FF D9 ends the picture.
      for (let q = b.indexOf(0xff, p + 2); q >= 0 && q + 1 < b.length; q = b.indexOf(0xff, q + 1)) {
        if (b[q + 1] === 0xd9) return q + 2;
      }
      return -1;
    }
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
  return -1;
}

/** Complete JPEGs found by their start markers: for previews no standard tag points at. */
function scannedCandidates(b: Uint8Array): Candidate[] {
  const found: Candidate[] = [];
  for (let at = b.indexOf(0xff); at >= 0 && at + 3 < b.length; at = b.indexOf(0xff, at + 1)) {
    if (b[at + 1] !== 0xd8 || b[at + 2] !== 0xff) continue;
    const frame = jpegFrame(b.subarray(at));
    if (!frame || Math.max(frame.width, frame.height) < MIN_PREVIEW_SIDE) continue;
    const end = jpegEnd(b, at);
    if (end < 0) break;
    found.push({ at, length: end - at, source: 'scan' });
    if (found.length >= 16) break;
    at = end - 1;
  }
  return found;
}

const KIND_NAMES: Record<RawKind, string> = {
  cr2: 'CR2',
  cr3: 'CR3',
  nef: 'NEF',
  arw: 'ARW',
  raf: 'RAF',
  orf: 'ORF',
  rw2: 'RW2',
  dng: 'DNG',
};

/** The kind's name as photographers write it. */
export const rawKindName = (kind: RawKind): string => KIND_NAMES[kind];

/**
 * The largest browser-decodable JPEG preview in a RAW file. Refuses with a sentence for the
 * person when there is none (offsets outside the file, lossless-only data, a cut-off file).
 */
export function findRawPreview(bytes: Uint8Array, kind: RawKind): RawPreview {
  const isTiff =
    (bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d);
  const { found, orientation } =
    kind === 'cr3' || ascii(bytes, 4, 4) === 'ftyp'
      ? cr3Candidates(bytes)
      : kind === 'raf' || ascii(bytes, 0, 8) === 'FUJIFILM'
        ? rafCandidates(bytes)
        : isTiff
          ? tiffCandidates(bytes, 0)
          : { found: [], orientation: undefined };
  let best: RawPreview | null = null;
  const consider = (c: Candidate) => {
    if (c.at <= 0 || c.length < 4 || c.at + c.length > bytes.length) return;
    const jpeg = bytes.subarray(c.at, c.at + c.length);
    const frame = jpegFrame(jpeg);
    if (!frame) return;
    if (!best || frame.width * frame.height > best.width * best.height) {
      best = { kind, jpeg, ...frame, source: c.source };
    }
  };
  found.forEach(consider);
  if (!best) scannedCandidates(bytes).forEach(consider);
  const chosen = best as RawPreview | null;
  if (!chosen || Math.max(chosen.width, chosen.height) < MIN_PREVIEW_SIDE) {
    throw new PhotoRefusal(
      `This ${KIND_NAMES[kind]} file holds no embedded JPEG preview large enough to judge. ` +
        'Decoding the RAW data itself needs a WASM LibRaw decoder, which Quality Lens does not have yet.',
    );
  }
  return orientation !== undefined ? { ...chosen, orientation } : chosen;
}
