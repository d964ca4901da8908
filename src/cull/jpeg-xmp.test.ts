import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentTags, exiftool } from '../../scripts/exiftool.ts';
import { ensureTestPhotos, photoPath } from '../../scripts/test-photos.ts';
import { embedXmp, JpegXmpError, readJpegXmp } from './jpeg-xmp.ts';
import { embeddedXmp, type XmpFields } from './xmp.ts';

const dir = mkdtempSync(join(tmpdir(), 'ql-jpeg-xmp-'));
const FIELDS: XmpFields = {
  rating: 3,
  label: 'Yellow',
  quality: {
    score: 4.1234,
    level: 'Good',
    probabilities: [0.3, 0.5, 0.1, 0.05, 0.05],
    modelId: 'fixture/llava-onevision-tiny',
    precision: 'q8',
    backend: 'wasm',
  },
};

/**
 * Removes the one standard XMP segment by searching for its name, independently of the module's
 * own segment walker: what is left must be the same bytes in the original and the copy.
 */
function withoutXmpSegment(bytes: Buffer): Buffer {
  const at = bytes.indexOf('http://ns.adobe.com/xap/1.0/\0', 0, 'latin1');
  if (at < 0) return bytes;
  const start = at - 4;
  expect([bytes[start], bytes[start + 1]]).toEqual([0xff, 0xe1]);
  const end = at - 2 + bytes.readUInt16BE(at - 2);
  return Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]);
}

const pixels = async (bytes: Buffer) => (await sharp(bytes).raw().toBuffer()).toString('base64');

let plain: string; // JFIF + EXIF, no XMP (the Canon photo as shipped)
let tagged: string; // EXIF, ICC, IPTC (APP13) and an XMP with develop settings

beforeAll(async () => {
  await ensureTestPhotos();
  plain = join(dir, 'plain.jpg');
  copyFileSync(photoPath('landscapeJpeg'), plain);
  tagged = join(dir, 'tagged.jpg');
  await sharp(photoPath('landscapeJpeg'))
    .resize(800)
    .keepExif()
    .withIccProfile('p3')
    .jpeg({ quality: 85 })
    .toFile(tagged);
  execFileSync('exiftool', [
    '-q',
    '-overwrite_original',
    '-XMP-crs:Exposure2012=+0.50',
    '-XMP-xmp:Rating=1',
    '-XMP-dc:Subject=beach',
    '-IPTC:Keywords=beach',
    tagged,
  ]);
}, 300_000);

function tagCopy(path: string, name: string) {
  const original = readFileSync(path);
  const before = Buffer.from(original);
  const existing = readJpegXmp(original);
  const copy = Buffer.from(embedXmp(original, embeddedXmp(existing, FIELDS)));
  // The photo's own bytes are never changed.
  expect(original.equals(before)).toBe(true);
  const out = join(dir, name);
  writeFileSync(out, copy);
  return { original, copy, out };
}

describe('a JPEG copy with the XMP embedded', () => {
  it.each([
    ['a photo with no XMP (JFIF + EXIF)', () => plain],
    ['a photo with EXIF, ICC, IPTC and an XMP holding develop settings', () => tagged],
  ])(
    'of %s: ExifTool reads Rating, Label and ql:, and every other byte is kept',
    async (_, path) => {
      const { original, copy, out } = tagCopy(path(), `copy-${Math.random()}.jpg`);
      const [before, after] = exiftool(path(), out);
      expect(after).toMatchObject({
        'XMP-xmp:Rating': 3,
        'XMP-xmp:Label': 'Yellow',
        'XMP-ql:Score': 4.1234,
        'XMP-ql:Level': 'Good',
        'XMP-ql:Model': 'fixture/llava-onevision-tiny',
      });
      // Every segment but the XMP one, and the compressed scan, byte for byte.
      expect(withoutXmpSegment(copy).equals(withoutXmpSegment(original))).toBe(true);
      // Every other tag ExifTool finds (EXIF, ICC, IPTC, JFIF, the other XMP) reads the same.
      const other = (t: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(contentTags(t)).filter(
            ([k]) => !/^XMP-(xmp:(Rating|Label)|ql:)|^File:FileSize|^XMP-x:XMPToolkit/.test(k),
          ),
        );
      expect(other(after!)).toEqual(other(before!));
      // And it still decodes to the same pixels.
      expect(await pixels(copy)).toBe(await pixels(original));
    },
  );

  it('keeps the develop settings of the XMP it replaces, and has only one XMP segment', () => {
    const { copy, out } = tagCopy(tagged, 'merged.jpg');
    expect(exiftool(out)[0]).toMatchObject({
      'XMP-crs:Exposure2012': '+0.50',
      'XMP-dc:Subject': ['beach'],
      'IPTC:Keywords': 'beach',
      'ICC-header:ColorSpaceData': 'RGB ',
    });
    const name = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
    expect(copy.indexOf(name)).toBeGreaterThan(0);
    expect(copy.indexOf(name, copy.indexOf(name) + 1)).toBe(-1);
  });

  it('refuses, with the reason, what it cannot do', () => {
    const jpeg = readFileSync(plain);
    expect(() => embedXmp(jpeg, 'x'.repeat(70_000))).toThrow(/more than one JPEG segment/);
    expect(() => embedXmp(Buffer.from('not a jpeg at all'), '<x/>')).toThrow(JpegXmpError);
    expect(() => embedXmp(jpeg.subarray(0, 30), '<x/>')).toThrow(/ends in the middle/);
    const extended = Buffer.concat([
      jpeg.subarray(0, 2),
      Buffer.from([0xff, 0xe1, 0x00, 0x2a]),
      Buffer.from('http://ns.adobe.com/xmp/extension/\0'.padEnd(40, ' '), 'latin1'),
      jpeg.subarray(2),
    ]);
    expect(() => embedXmp(extended, '<x/>')).toThrow(/Extended XMP/);
  });
});
