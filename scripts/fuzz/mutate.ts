/**
 * A seeded generator of damaged and hostile image files, made from real photographs: the same
 * seed always gives the same bytes, so a failing case is kept as its seed. Mutations are the ways
 * files go wrong in the wild and the ways a hostile file lies: truncation, bit flips, segment and
 * chunk lengths that lie, huge declared sizes, EXIF/TIFF directories that point at themselves,
 * and chunks repeated or spliced from elsewhere.
 */

import { seededRandom } from '../../src/model/worker/sampling.ts';

/** The seeded generator the app samples tokens with (mulberry32): 0 ≤ x < 1, same seed same run. */
export const random = seededRandom;

export type Mutation =
  'truncate' | 'bit-flips' | 'length-lie' | 'huge-size' | 'ifd-loop' | 'splice' | 'zero-run';

export const MUTATIONS: readonly Mutation[] = [
  'truncate',
  'bit-flips',
  'length-lie',
  'huge-size',
  'ifd-loop',
  'splice',
  'zero-run',
];

/** One fuzz case: which source, which mutation, the seed, and the bytes. */
export interface FuzzCase {
  seed: number;
  source: string;
  mutation: Mutation;
  bytes: Uint8Array;
}

const int = (next: () => number, n: number) => Math.floor(next() * n);

/** Offsets of JPEG segments that carry a 2-byte length (after their FFxx marker). */
function jpegLengthFields(b: Uint8Array): number[] {
  const at: number[] = [];
  for (let i = 2; i + 3 < b.length;) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1]!;
    if (marker === 0xda || marker === 0xd9) {
      at.push(i + 2);
      break;
    }
    at.push(i + 2);
    i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
  }
  return at;
}

/** Offsets of PNG chunk length fields. */
function pngLengthFields(b: Uint8Array): number[] {
  const at: number[] = [];
  for (let i = 8; i + 8 <= b.length;) {
    at.push(i);
    const length = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    i += 12 + length;
  }
  return at;
}

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;
const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50;
const isTiff = (b: Uint8Array) =>
  (b[0] === 0x49 && b[1] === 0x49) || (b[0] === 0x4d && b[1] === 0x4d);

/** Where a TIFF header starts: the file itself, or a JPEG's APP1 Exif block. */
function tiffStart(b: Uint8Array): number | null {
  if (isTiff(b)) return 0;
  for (let i = 0; i + 10 < b.length && i < 65536; i++) {
    if (
      b[i] === 0x45 &&
      b[i + 1] === 0x78 &&
      b[i + 2] === 0x69 &&
      b[i + 3] === 0x66 &&
      b[i + 4] === 0
    )
      return i + 6;
  }
  return null;
}

function write32(b: Uint8Array, at: number, value: number, little: boolean) {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, value >>> 0, little);
}

/** Applies `mutation` to a copy of `source`, steered by `next`. */
export function mutate(source: Uint8Array, mutation: Mutation, next: () => number): Uint8Array {
  const b = new Uint8Array(source);
  switch (mutation) {
    case 'truncate':
      return b.slice(0, int(next, b.length));
    case 'bit-flips': {
      const flips = 1 + int(next, 24);
      for (let i = 0; i < flips; i++) b[int(next, b.length)]! ^= 1 << int(next, 8);
      return b;
    }
    case 'length-lie': {
      const fields = isJpeg(b) ? jpegLengthFields(b) : isPng(b) ? pngLengthFields(b) : [];
      if (fields.length === 0) return mutate(source, 'bit-flips', next);
      const at = fields[int(next, fields.length)]!;
      const lie = [0, 1, 2, 0xffff, int(next, 0x10000)][int(next, 5)]!;
      if (isPng(b)) write32(b, at, [0, 0xffffffff, 0x7fffffff, lie][int(next, 4)]!, false);
      else {
        b[at] = lie >> 8;
        b[at + 1] = lie & 0xff;
      }
      return b;
    }
    case 'huge-size': {
      const huge = [0xffff, 60000, 0x7fff, 1, 0][int(next, 5)]!;
      if (isPng(b)) {
        write32(b, 16, [0x7fffffff, 100000, 0, 1 << 20][int(next, 4)]!, false);
        write32(b, 20, [0x7fffffff, 100000, 0, 1 << 20][int(next, 4)]!, false);
        return b;
      }
      if (isJpeg(b)) {
        for (let i = 2; i + 9 < b.length; i++) {
          if (b[i] === 0xff && b[i + 1]! >= 0xc0 && b[i + 1]! <= 0xc2) {
            b[i + 5] = huge >> 8;
            b[i + 6] = huge & 0xff;
            b[i + 7] = huge >> 8;
            b[i + 8] = huge & 0xff;
            return b;
          }
        }
      }
      return mutate(source, 'length-lie', next);
    }
    case 'ifd-loop': {
      const start = tiffStart(b);
      if (start === null || start + 8 > b.length) return mutate(source, 'bit-flips', next);
      const little = b[start] === 0x49;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const ifd = view.getUint32(start + 4, little);
      const entries = start + ifd + 2 <= b.length ? view.getUint16(start + ifd, little) : 0;
      const nextField = start + ifd + 2 + entries * 12;
      // The next-IFD pointer, or a sub-IFD pointer, aimed back at this IFD (or at the header).
      const target = [ifd, 2, 8, ifd + 2][int(next, 4)]!;
      if (nextField + 4 <= b.length) view.setUint32(nextField, target, little);
      else view.setUint32(start + 4, target, little);
      return b;
    }
    case 'splice': {
      const from = int(next, b.length);
      const length = Math.min(b.length - from, 1 + int(next, 4096));
      const into = int(next, b.length);
      const piece = b.slice(from, from + length);
      const out = new Uint8Array(b.length + piece.length);
      out.set(b.subarray(0, into), 0);
      out.set(piece, into);
      out.set(b.subarray(into), into + piece.length);
      return out;
    }
    case 'zero-run': {
      const from = int(next, b.length);
      b.fill(int(next, 2) === 0 ? 0 : 0xff, from, Math.min(b.length, from + 1 + int(next, 2048)));
      return b;
    }
  }
}

/** Case `seed` from the named sources: its source and mutation are drawn from the seed too. */
export function fuzzCase(seed: number, sources: [string, Uint8Array][]): FuzzCase {
  const next = random(seed);
  const [source, bytes] = sources[int(next, sources.length)]!;
  const mutation = MUTATIONS[int(next, MUTATIONS.length)]!;
  return { seed, source, mutation, bytes: mutate(bytes, mutation, next) };
}
