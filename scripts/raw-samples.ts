/**
 * RAW test files built from real photographs, cached in .cache/raw-samples/ (git-ignored), since no
 * sample RAWs can be downloaded here. Each follows its format's public layout closely enough that
 * ExifTool, an independent reader, extracts the same embedded preview (scripts/raw-samples.test.ts):
 *
 * - DNG: IFD0 with a 160-pixel uncompressed RGB thumbnail and DNGVersion; SubIFD 1 a dummy 16-bit
 *   CFA raw strip; SubIFD 2 the large JPEG preview (Compression 7, NewSubFileType 1) —
 *   ExifTool's PreviewImage.
 * - NEF (Nikon's layout): IFD0 with the thumbnail and the photo's orientation; SubIFD 1 the
 *   full-size JPEG by JPEGInterchangeFormat (ExifTool's JpgFromRaw); SubIFD 2 a dummy raw strip.
 * - CR3 (Canon, ISO-BMFF): ftyp `crx `, moov holding Canon's uuid box (CNCV, CMT1 = a TIFF IFD0
 *   with Make/Model/Orientation), the preview uuid box with its PRVW box (ExifTool's
 *   PreviewImage), and an mdat of dummy data.
 *
 * Also assembles a small shoot folder for the intake journey (e2e/bring-in-a-shoot.spec.ts).
 * Usage: `npx tsx scripts/raw-samples.ts` (idempotent) or `await ensureRawSamples()`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { ensureTestPhotos, ladderSourcePath, photoPath } from './test-photos.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RAW_SAMPLES_DIR = join(ROOT, '.cache', 'raw-samples');
/** Bump when the files change, so stale caches are rebuilt. */
const VERSION = 2;

/** The generated files, and the preview JPEG each one embeds (what a reader must get back). */
export const RAW_SAMPLES = {
  dng: { file: 'garden.dng', preview: 'garden.dng.preview.jpg', tag: 'PreviewImage' },
  nef: { file: 'dune.nef', preview: 'dune.nef.preview.jpg', tag: 'JpgFromRaw' },
  cr3: { file: 'ladybird.cr3', preview: 'ladybird.cr3.preview.jpg', tag: 'PreviewImage' },
} as const;
export type RawSampleKind = keyof typeof RAW_SAMPLES;

/** The shoot folder for the intake journey, and what it holds. */
export const RAW_SHOOT_DIR = join(RAW_SAMPLES_DIR, 'shoot');

type Value = number[] | string | Uint8Array;
/** One IFD entry: SHORT (3), LONG (4), ASCII (2) or BYTE/UNDEFINED (1/7). */
export interface Entry {
  tag: number;
  type: 1 | 2 | 3 | 4 | 7;
  value: Value;
}

/** A little-endian TIFF assembled piece by piece; IFD0's offset is set by `finish` (tests build hostile files with it too). */
export class TiffWriter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor() {
    this.append(Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0]));
  }

  /** Appends bytes at a word boundary and returns where they start. */
  append(bytes: Uint8Array): number {
    if (this.size % 2 === 1) this.push(Buffer.alloc(1));
    const at = this.size;
    this.push(Buffer.from(bytes));
    return at;
  }

  private push(b: Buffer) {
    this.parts.push(b);
    this.size += b.length;
  }

  /** Writes an IFD (entries sorted by tag, as TIFF asks) and returns its offset. */
  ifd(entries: Entry[], next = 0): number {
    const encoded = entries
      .sort((a, b) => a.tag - b.tag)
      .map(({ tag, type, value }) => {
        let data: Buffer;
        if (typeof value === 'string') data = Buffer.from(`${value}\0`, 'latin1');
        else if (value instanceof Uint8Array) data = Buffer.from(value);
        else if (type === 3) {
          data = Buffer.alloc(value.length * 2);
          value.forEach((v, i) => data.writeUInt16LE(v, i * 2));
        } else if (type === 4) {
          data = Buffer.alloc(value.length * 4);
          value.forEach((v, i) => data.writeUInt32LE(v, i * 4));
        } else data = Buffer.from(value);
        const count = type === 3 ? data.length / 2 : type === 4 ? data.length / 4 : data.length;
        return { tag, type, count, data };
      });
    // Values over 4 bytes live outside the IFD.
    const outside = encoded.map((e) => (e.data.length > 4 ? this.append(e.data) : -1));
    const ifd = Buffer.alloc(2 + encoded.length * 12 + 4);
    ifd.writeUInt16LE(encoded.length, 0);
    encoded.forEach((e, i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(e.tag, at);
      ifd.writeUInt16LE(e.type, at + 2);
      ifd.writeUInt32LE(e.count, at + 4);
      if (outside[i]! >= 0) ifd.writeUInt32LE(outside[i]!, at + 8);
      else e.data.copy(ifd, at + 8);
    });
    ifd.writeUInt32LE(next, 2 + encoded.length * 12);
    return this.append(ifd);
  }

  finish(ifd0: number): Buffer {
    const all = Buffer.concat(this.parts);
    all.writeUInt32LE(ifd0, 4);
    return all;
  }
}

const long = (tag: number, ...value: number[]): Entry => ({ tag, type: 4, value });
const short = (tag: number, ...value: number[]): Entry => ({ tag, type: 3, value });
const text = (tag: number, value: string): Entry => ({ tag, type: 2, value });

/**
 * The entries of an image stored as one strip (TIFF 6.0 baseline): which kind of image it is
 * (NewSubfileType), its size, bits per sample, compression, colour model, and where its strip lies.
 */
function stripImage(image: {
  subfile: number;
  width: number;
  height: number;
  bits: number[];
  compression: number;
  photometric: number;
  at: number;
  bytes: number;
}): Entry[] {
  return [
    long(0x00fe, image.subfile),
    long(0x0100, image.width),
    long(0x0101, image.height),
    short(0x0102, ...image.bits),
    short(0x0103, image.compression),
    short(0x0106, image.photometric),
    long(0x0111, image.at),
    short(0x0115, image.bits.length),
    long(0x0116, image.height),
    long(0x0117, image.bytes),
  ];
}

/** IFD0 entries of an uncompressed 8-bit RGB thumbnail. */
async function thumbnailEntries(
  w: TiffWriter,
  source: string,
): Promise<{ entries: Entry[]; width: number; height: number }> {
  const { data, info } = await sharp(source)
    .resize(160)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const strip = w.append(data);
  return {
    width: info.width,
    height: info.height,
    entries: [
      ...stripImage({
        subfile: 1,
        width: info.width,
        height: info.height,
        bits: [8, 8, 8],
        compression: 1,
        photometric: 2,
        at: strip,
        bytes: data.length,
      }),
      short(0x011c, 1),
    ],
  };
}

/** A dummy 16-bit CFA strip: RAW data no browser decodes, as in a real file. */
function rawStripEntries(w: TiffWriter): Entry[] {
  const side = 64;
  const strip = w.append(Buffer.alloc(side * side * 2, 0x5a));
  return [
    ...stripImage({
      subfile: 0,
      width: side,
      height: side,
      bits: [16],
      compression: 1,
      photometric: 32803,
      at: strip,
      bytes: side * side * 2,
    }),
    short(0x828d, 2, 2),
    { tag: 0x828e, type: 1, value: [0, 1, 1, 2] },
  ];
}

/** A JPEG preview of a real photo, without metadata (the RAW's own IFD0 says the orientation). */
const previewOf = (source: string, width: number) =>
  sharp(source).resize(width).jpeg({ quality: 88 }).toBuffer();

async function makeDng(source: string, preview: Buffer): Promise<Buffer> {
  const w = new TiffWriter();
  const meta = await sharp(preview).metadata();
  const raw = w.ifd(rawStripEntries(w));
  const jpegAt = w.append(preview);
  const previewIfd = w.ifd([
    ...stripImage({
      subfile: 1,
      width: meta.width,
      height: meta.height,
      bits: [8, 8, 8],
      compression: 7,
      photometric: 6,
      at: jpegAt,
      bytes: preview.length,
    }),
    short(0x011c, 1),
  ]);
  const thumb = await thumbnailEntries(w, source);
  const ifd0 = w.ifd([
    ...thumb.entries,
    text(0x010f, 'Canon'),
    text(0x0110, 'Canon EOS 5D Mark IV'),
    short(0x0112, 1),
    text(0x0131, 'quality-lens raw-samples'),
    long(0x014a, raw, previewIfd),
    { tag: 0xc612, type: 1, value: [1, 4, 0, 0] },
    { tag: 0xc613, type: 1, value: [1, 1, 0, 0] },
    text(0xc614, 'Canon EOS 5D Mark IV'),
  ]);
  return w.finish(ifd0);
}

async function makeNef(source: string, preview: Buffer, orientation: number): Promise<Buffer> {
  const w = new TiffWriter();
  const jpegAt = w.append(preview);
  const previewIfd = w.ifd([
    long(0x00fe, 1),
    short(0x0103, 6),
    long(0x0201, jpegAt),
    long(0x0202, preview.length),
    short(0x0213, 2),
  ]);
  const raw = w.ifd(rawStripEntries(w));
  const thumb = await thumbnailEntries(w, source);
  const ifd0 = w.ifd([
    ...thumb.entries,
    text(0x010f, 'NIKON CORPORATION'),
    text(0x0110, 'NIKON D850'),
    short(0x0112, orientation),
    text(0x0131, 'quality-lens raw-samples'),
    long(0x014a, previewIfd, raw),
  ]);
  return w.finish(ifd0);
}

/** An ISO-BMFF box: 32-bit size, four-letter type, body. */
const box = (type: string, ...body: Uint8Array[]): Buffer => {
  const payload = Buffer.concat(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
};
const hex = (h: string) => Buffer.from(h, 'hex');
const u32be = (...v: number[]) => {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeUInt32BE(x, i * 4));
  return b;
};
const u16be = (...v: number[]) => {
  const b = Buffer.alloc(v.length * 2);
  v.forEach((x, i) => b.writeUInt16BE(x, i * 2));
  return b;
};

async function makeCr3(preview: Buffer, orientation: number): Promise<Buffer> {
  const meta = await sharp(preview).metadata();
  const cmt1 = new TiffWriter();
  const ifd0 = cmt1.ifd([
    text(0x010f, 'Canon'),
    text(0x0110, 'Canon EOS R5'),
    short(0x0112, orientation),
  ]);
  const canon = box(
    'uuid',
    hex('85c0b687820f11e08111f4ce462b6a48'),
    box('CNCV', Buffer.from('CanonCR3_001/00.09.00/00.00.00', 'latin1')),
    box('CMT1', cmt1.finish(ifd0)),
  );
  const prvw = box(
    'PRVW',
    u32be(0),
    u16be(1, meta.width!, meta.height!, 1),
    u32be(preview.length),
    preview,
  );
  return Buffer.concat([
    box('ftyp', Buffer.from('crx ', 'latin1'), u32be(1), Buffer.from('crx isom', 'latin1')),
    box('moov', canon),
    box('uuid', hex('eaf42b5e1c984b88b9fbb7dc406e4d16'), u32be(0, 1), prvw),
    box('mdat', Buffer.alloc(4096, 0x33)),
  ]);
}

/** Builds the samples and the shoot folder once; later calls only check the version stamp. */
export async function ensureRawSamples(): Promise<void> {
  const stamp = join(RAW_SAMPLES_DIR, 'VERSION');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(VERSION)) return;
  await ensureTestPhotos();
  rmSync(RAW_SAMPLES_DIR, { recursive: true, force: true });
  mkdirSync(RAW_SAMPLES_DIR, { recursive: true });
  const put = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(RAW_SAMPLES_DIR, name), bytes);

  const garden = ladderSourcePath('Garden');
  const dune = photoPath('landscapeJpeg');
  const ladybird = ladderSourcePath('LadyBird');
  const gardenPreview = await previewOf(garden, 1600);
  put(RAW_SAMPLES.dng.preview, gardenPreview);
  put(RAW_SAMPLES.dng.file, await makeDng(garden, gardenPreview));
  const dunePreview = await previewOf(dune, 1680);
  put(RAW_SAMPLES.nef.preview, dunePreview);
  // Shot in portrait: the NEF's IFD0 says "rotate 90° clockwise"; its preview says nothing.
  put(RAW_SAMPLES.nef.file, await makeNef(dune, dunePreview, 6));
  const ladybirdPreview = await previewOf(ladybird, 1620);
  put(RAW_SAMPLES.cr3.preview, ladybirdPreview);
  put(RAW_SAMPLES.cr3.file, await makeCr3(ladybirdPreview, 1));

  // The shoot: two folders, JPEGs, a RAW+JPEG pair with its STEM.xmp, a lone RAW with its
  // STEM.EXT.xmp, a RAW cut short, and two files that are not photos.
  const shoot = (path: string, bytes: Uint8Array | string) => {
    const full = join(RAW_SHOOT_DIR, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  };
  shoot('ceremony/IMG_0001.JPG', readFileSync(dune));
  shoot('ceremony/IMG_0002.JPG', await sharp(garden).resize(1200).jpeg().toBuffer());
  shoot('ceremony/IMG_0003.CR3', readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.cr3.file)));
  shoot('ceremony/IMG_0003.JPG', await sharp(ladybird).resize(1800).jpeg().toBuffer());
  const xmp = (rating: number) =>
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="${rating}"/>` +
    '</rdf:RDF></x:xmpmeta>\n';
  shoot('ceremony/IMG_0003.xmp', xmp(3));
  shoot('portraits/DSC_0100.NEF', readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.nef.file)));
  shoot('portraits/DSC_0100.NEF.xmp', xmp(4));
  // A copy cut short: its preview ends before the picture does, so there is nothing to show.
  const nef = readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.nef.file));
  shoot('portraits/DSC_0101.NEF', nef.subarray(0, Math.floor(nef.length * 0.6)));
  shoot('portraits/notes.txt', 'Bride and groom at 15:00; family at 15:30.\n');
  shoot('clip.mov', Buffer.alloc(2048, 0x11));
  writeFileSync(stamp, String(VERSION));
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureRawSamples();
