import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRawSamples,
  RAW_SAMPLES,
  RAW_SAMPLES_DIR,
  TiffWriter,
} from '../../../scripts/raw-samples.ts';
import { findRawPreview, rawKindOfBytes, rawKindOfName, withOrientation } from './raw-preview.ts';
import { PhotoRefusal } from './sniff.ts';

beforeAll(ensureRawSamples);

const sample = (kind: keyof typeof RAW_SAMPLES) =>
  new Uint8Array(readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES[kind].file)));
const previewOf = (kind: keyof typeof RAW_SAMPLES) =>
  new Uint8Array(readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES[kind].preview)));

const NO_PREVIEW =
  /no embedded JPEG preview.*WASM LibRaw decoder, which Quality Lens does not have yet/;

/** A real JPEG of the given width, made by sharp (an independent encoder). */
const jpegOf = (width: number) =>
  sharp({ create: { width, height: Math.round(width * 0.66), channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer()
    .then((b) => new Uint8Array(b));

describe('findRawPreview', () => {
  it('reads the preview size and the RAW orientation of each generated sample', async () => {
    for (const kind of ['dng', 'nef', 'cr3'] as const) {
      const meta = await sharp(previewOf(kind)).metadata();
      const found = findRawPreview(sample(kind), kind);
      expect({ kind, width: found.width, height: found.height }).toEqual({
        kind,
        width: meta.width,
        height: meta.height,
      });
    }
    expect(findRawPreview(sample('nef'), 'nef').orientation).toBe(6);
    expect(findRawPreview(sample('dng'), 'dng').orientation).toBe(1);
    expect(findRawPreview(sample('cr3'), 'cr3').source).toBe('PRVW box');
  });

  it('picks the largest of several JPEGs (IFD0 thumbnail vs SubIFD preview)', async () => {
    const small = await jpegOf(400);
    const large = await jpegOf(1200);
    const w = new TiffWriter();
    const largeAt = w.append(large);
    const sub = w.ifd([
      { tag: 0x0201, type: 4, value: [largeAt] },
      { tag: 0x0202, type: 4, value: [large.length] },
    ]);
    const smallAt = w.append(small);
    const ifd0 = w.ifd([
      { tag: 0x0112, type: 3, value: [8] },
      { tag: 0x014a, type: 4, value: [sub] },
      { tag: 0x0201, type: 4, value: [smallAt] },
      { tag: 0x0202, type: 4, value: [small.length] },
    ]);
    const found = findRawPreview(new Uint8Array(w.finish(ifd0)), 'arw');
    expect(found.width).toBe(1200);
    expect(found.orientation).toBe(8);
    expect(Buffer.compare(Buffer.from(found.jpeg), Buffer.from(large))).toBe(0);
  });

  it("reads a RAF's JPEG from the offset in its header", async () => {
    const jpeg = await jpegOf(900);
    const header = Buffer.alloc(160);
    header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    header.writeUInt32BE(160, 84);
    header.writeUInt32BE(jpeg.length, 88);
    const raf = new Uint8Array(Buffer.concat([header, jpeg, Buffer.alloc(1000, 7)]));
    expect(rawKindOfBytes(raf)).toBe('raf');
    const found = findRawPreview(raf, 'raf');
    expect([found.width, found.jpeg.length, found.source]).toEqual([
      900,
      jpeg.length,
      'RAF header',
    ]);
  });

  it('finds a preview no standard tag points at by scanning (MakerNote previews)', async () => {
    const jpeg = await jpegOf(800);
    const orf = new Uint8Array(
      Buffer.concat([Buffer.from('IIRO\x08\0\0\0\0\0\0\0\0\0', 'latin1'), jpeg, Buffer.alloc(64)]),
    );
    expect(rawKindOfBytes(orf)).toBe('orf');
    expect(findRawPreview(orf, 'orf').width).toBe(800);
  });

  it('refuses a RAW whose preview offset points past the end (truncated copy)', () => {
    const nef = sample('nef');
    const cut = nef.subarray(0, Math.floor(nef.length * 0.6));
    expect(() => findRawPreview(cut, 'nef')).toThrow(PhotoRefusal);
    expect(() => findRawPreview(cut, 'nef')).toThrow(NO_PREVIEW);
  });

  it('refuses a RAW holding only lossless RAW data (a JPEG no browser decodes)', () => {
    // SOF3 = lossless Huffman, as in a DNG's compressed raw strip.
    const lossless = [0xff, 0xd8, 0xff, 0xc3, 0, 11, 8, 0x10, 0, 0x10, 0, 1, 1, 0x11, 0];
    const jpeg = new Uint8Array([...lossless, ...new Array<number>(600).fill(0), 0xff, 0xd9]);
    const w = new TiffWriter();
    const at = w.append(jpeg);
    const ifd0 = w.ifd([
      { tag: 0x0111, type: 4, value: [at] },
      { tag: 0x0117, type: 4, value: [jpeg.length] },
    ]);
    expect(() => findRawPreview(new Uint8Array(w.finish(ifd0)), 'dng')).toThrow(NO_PREVIEW);
  });

  it('ends at once on IFDs that point at themselves or each other', () => {
    const bytes = Buffer.alloc(64);
    bytes.write('II*\0', 0, 'latin1');
    bytes.writeUInt32LE(8, 4);
    // IFD at 8: SubIFDs → 8 (itself), EXIF IFD → 8, next IFD → 8.
    bytes.writeUInt16LE(2, 8);
    bytes.writeUInt16LE(0x014a, 10);
    bytes.writeUInt16LE(4, 12);
    bytes.writeUInt32LE(1, 14);
    bytes.writeUInt32LE(8, 18);
    bytes.writeUInt16LE(0x8769, 22);
    bytes.writeUInt16LE(4, 24);
    bytes.writeUInt32LE(1, 26);
    bytes.writeUInt32LE(8, 30);
    bytes.writeUInt32LE(8, 34);
    const started = Date.now();
    expect(() => findRawPreview(new Uint8Array(bytes), 'nef')).toThrow(NO_PREVIEW);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses hostile CR3 boxes: sizes past the end, too small, or 64-bit giants', () => {
    const cr3 = Buffer.from(sample('cr3'));
    const ftypEnd = cr3.readUInt32BE(0);
    for (const size of [0xffffffff, 3, 1]) {
      const bad = Buffer.from(cr3);
      bad.writeUInt32BE(size, ftypEnd); // the moov box
      if (size === 1) bad.writeBigUInt64BE(2n ** 62n, ftypEnd + 8);
      // Nothing can be trusted after a broken box, so only the scan may still find the JPEG.
      const result = (() => {
        try {
          return findRawPreview(new Uint8Array(bad), 'cr3').source;
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(result === 'scan' || NO_PREVIEW.test(result)).toBe(true);
    }
    expect(() => findRawPreview(new Uint8Array(cr3.subarray(0, 4000)), 'cr3')).toThrow(NO_PREVIEW);
  });

  it('refuses random bytes named like a RAW', () => {
    const noise = new Uint8Array(50_000).map((_, i) => (i * 2654435761) >>> 24);
    expect(() => findRawPreview(noise, 'cr2')).toThrow(NO_PREVIEW);
  });
});

describe('RAW kinds', () => {
  it('are named by extension, whatever the case', () => {
    expect(['A.CR3', 'b.nef', 'c.Arw', 'd.DNG', 'e.jpg', 'f'].map(rawKindOfName)).toEqual([
      'cr3',
      'nef',
      'arw',
      'dng',
      null,
      null,
    ]);
  });

  it('are recognised by their magic where they have one', () => {
    expect(rawKindOfBytes(sample('cr3'))).toBe('cr3');
    expect(rawKindOfBytes(sample('nef'))).toBe(null); // a plain TIFF header: named by extension
  });
});

describe('withOrientation', () => {
  it('gives a preview without EXIF an orientation an EXIF reader (exifr) finds', async () => {
    const { readExif } = await import('./exif.ts');
    const jpeg = previewOf('nef');
    expect((await readExif(jpeg)).exif?.orientation).toBeUndefined();
    const turned = withOrientation(jpeg, 6);
    expect((await readExif(turned)).exif?.orientation).toBe(6);
    // sharp (libvips) reads it too, and the picture itself is untouched.
    expect((await sharp(turned).metadata()).orientation).toBe(6);
    expect((await sharp(turned).raw().toBuffer()).equals(await sharp(jpeg).raw().toBuffer())).toBe(
      true,
    );
  });
});
