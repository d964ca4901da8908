/**
 * Real photographs for tests, gathered into .cache/photos/ (git-ignored).
 *
 * Source: Debian's `mate-backgrounds` package (GPL-2+; photographers named in its copyright file):
 * real camera photos, several with their original Canon / Konica Minolta EXIF. If the package is
 * not installed, its .deb is fetched with `apt-get download` and unpacked here, nothing installed.
 * From those few originals this script derives every file other tests need: a portrait JPEG with
 * EXIF orientation 6, other formats, a 24 MP and a 100 MP JPEG, and deliberately bad files.
 *
 * Usage: `npx tsx scripts/test-photos.ts` (idempotent), or `await ensureTestPhotos()` in a test.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type OutputInfo } from 'sharp';
import type { Plane8, YCbCrPlanes } from '../src/pixels/worker/resample.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PHOTOS_DIR = join(ROOT, '.cache', 'photos');
const DEB_DIR = join(ROOT, '.cache', 'debs');
const INSTALLED = '/usr/share/backgrounds/mate/nature';
/** Bump when the set of derived files changes, so stale caches are rebuilt. */
const VERSION = 7;

/** Photos (from mate-backgrounds/nature) used as ladder sources: varied scenes and light. */
export const LADDER_SOURCES = [
  'Dune',
  'Blinds',
  'RainDrops',
  'LadyBird',
  'Garden',
  'Wood',
] as const;

/** Paths of the photos other tests use, all inside PHOTOS_DIR. */
export const TEST_PHOTOS = {
  /** Dune.jpg as shipped: 1680 × 1050 Canon EOS photo with its EXIF. */
  landscapeJpeg: 'landscape.jpg',
  /** A portrait crop of Dune stored sideways with EXIF orientation 6 (shows upright as 656 × 1050). */
  portraitJpeg: 'portrait-orientation-6.jpg',
  /** The same crop stored upright, for comparing pixels. */
  portraitUpright: 'portrait-upright.png',
  png: 'ladybird.png',
  png16: 'ladybird-16bit.png',
  pngAlpha: 'ladybird-alpha.png',
  webp: 'dune.webp',
  avif: 'dune.avif',
  gif: 'dune.gif',
  animatedGif: 'animated.gif',
  tiff: 'dune.tiff',
  /** 24-bit Windows bitmap, written by this script (sharp cannot write BMP). */
  bmp: 'dune.bmp',
  heic: 'dune.heic',
  progressiveJpeg: 'progressive.jpg',
  greyJpeg: 'greyscale.jpg',
  cmykJpeg: 'cmyk.jpg',
  /** Storm.jpg enlarged to 6000 × 4000, for the benchmark. */
  jpeg24mp: 'storm-24mp.jpg',
  /** 12000 × 8400: must be downsampled, never refused. */
  jpeg100mp: 'storm-100mp.jpg',
  onePixel: 'one-pixel.png',
  empty: 'empty.jpg',
  truncated: 'truncated.jpg',
  random: 'random-bytes.jpg',
  randomAfterJpegMagic: 'garbage-with-jpeg-header.jpg',
  text: 'shopping-list.txt',
  svgWithScript: 'drawing-with-script.svg',
  hugeDeclaredPng: 'declares-100000x100000.png',
  hugeDeclaredJpeg: 'declares-60000x60000.jpg',
  corruptExif: 'corrupt-exif.jpg',
  /** landscape.jpg re-saved with a GPS position added (48.8567 N, 2.2944 E). */
  gpsJpeg: 'with-gps.jpg',
} as const;

export type TestPhotoName = keyof typeof TEST_PHOTOS;

export const photoPath = (name: TestPhotoName): string => join(PHOTOS_DIR, TEST_PHOTOS[name]);
export const ladderSourcePath = (name: (typeof LADDER_SOURCES)[number]): string =>
  join(PHOTOS_DIR, 'sources', `${name}.jpg`);

/** Finds mate-backgrounds' nature photos, unpacking the Debian package here if need be. */
export function originalsDir(): string {
  if (existsSync(join(INSTALLED, 'Dune.jpg'))) return INSTALLED;
  const unpacked = join(DEB_DIR, 'mate-backgrounds', 'usr/share/backgrounds/mate/nature');
  if (existsSync(join(unpacked, 'Dune.jpg'))) return unpacked;
  mkdirSync(DEB_DIR, { recursive: true });
  try {
    execFileSync('apt-get', ['download', 'mate-backgrounds'], { cwd: DEB_DIR, stdio: 'pipe' });
    const deb = readdirSync(DEB_DIR).find(
      (f) => f.startsWith('mate-backgrounds') && f.endsWith('.deb'),
    );
    if (!deb) throw new Error('apt-get download produced no .deb');
    execFileSync('dpkg-deb', ['-x', join(DEB_DIR, deb), join(DEB_DIR, 'mate-backgrounds')]);
  } catch (error) {
    throw new Error(
      "Test photos come from Debian's mate-backgrounds package: install it (apt-get install mate-backgrounds).",
      { cause: error },
    );
  }
  return unpacked;
}

/** A tiny PNG whose header claims a huge size: must be refused before any pixel memory exists. */
function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the frame size in a JPEG's SOF marker. */
function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let at = 2; at + 9 < out.length;) {
    const marker = out[at + 1]!;
    const length = out.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}

/** Overwrites the inside of a JPEG's EXIF block with junk, keeping the segment's length intact. */
function corruptExif(jpeg: Buffer): Buffer {
  const out = Buffer.from(jpeg);
  const at = out.indexOf(Buffer.from('Exif\0\0', 'ascii'));
  if (at < 0) throw new Error('no EXIF to corrupt');
  // Keep the TIFF byte-order mark, then point the first IFD far outside the block and add junk.
  out.writeUInt32LE(0x7ffffff0, at + 6 + 4);
  for (let i = at + 6 + 8; i < at + 6 + 200; i++) out[i] = (i * 37) & 0xff;
  return out;
}

/** A 24-bit bottom-up BMP (BITMAPINFOHEADER) of RGB pixels. */
function bmpOf(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  out.writeInt32LE(2835, 38);
  out.writeInt32LE(2835, 42);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      out[row + x * 3] = rgb[s + 2]!;
      out[row + x * 3 + 1] = rgb[s + 1]!;
      out[row + x * 3 + 2] = rgb[s]!;
    }
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift), so the "random" file is the same everywhere. */
function pseudoRandom(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Creates every test photo that is missing. Safe to call from many tests. */
export async function ensureTestPhotos(): Promise<void> {
  const stamp = join(PHOTOS_DIR, `.complete-v${VERSION}`);
  if (existsSync(stamp)) return;
  // Test files run in parallel workers: one makes the photos while the others wait for it.
  const lock = join(ROOT, '.cache', 'photos.lock');
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const giveUpAt = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(stamp)) return;
      // A lock left by a killed run is stale after 5 minutes.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 5 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
      }
      if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!existsSync(stamp)) await makeTestPhotos(stamp);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function makeTestPhotos(stamp: string): Promise<void> {
  const originals = originalsDir();
  mkdirSync(join(PHOTOS_DIR, 'sources'), { recursive: true });
  const original = (name: string) => readFileSync(join(originals, `${name}.jpg`));
  const out = (name: TestPhotoName) => photoPath(name);
  const write = (name: TestPhotoName, data: Buffer | string) => writeFileSync(out(name), data);

  for (const name of LADDER_SOURCES) writeFileSync(ladderSourcePath(name), original(name));

  const dune = original('Dune');
  write('landscapeJpeg', dune);
  // A camera held upright stores the picture sideways and says "rotate 90° clockwise" (6).
  const portrait = sharp(dune).extract({ left: 512, top: 0, width: 656, height: 1050 });
  await portrait.clone().png().toFile(out('portraitUpright'));
  await portrait
    .clone()
    .rotate(270)
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 92 })
    .toFile(out('portraitJpeg'));

  const ladybird = sharp(original('LadyBird')).resize(1280, 800);
  await ladybird.clone().png().toFile(out('png'));
  await ladybird.clone().toColourspace('rgb16').png().toFile(out('png16'));
  await ladybird.clone().ensureAlpha(0.7).png().toFile(out('pngAlpha'));

  const duneSmall = sharp(dune).resize(1200, 750);
  await duneSmall.clone().webp({ quality: 85 }).toFile(out('webp'));
  await duneSmall.clone().avif({ quality: 60, effort: 2 }).toFile(out('avif'));
  await duneSmall.clone().gif().toFile(out('gif'));
  await duneSmall.clone().tiff({ compression: 'lzw' }).toFile(out('tiff'));
  const duneRgb = await duneSmall.clone().removeAlpha().raw().toBuffer();
  write('bmp', bmpOf(duneRgb, 1200, 750));
  await sharp(dune).jpeg({ quality: 88, progressive: true }).toFile(out('progressiveJpeg'));
  await sharp(dune).toColourspace('b-w').jpeg({ quality: 88 }).toFile(out('greyJpeg'));
  await sharp(dune).toColourspace('cmyk').jpeg({ quality: 88 }).toFile(out('cmykJpeg'));
  const frames = await Promise.all(
    ['Dune', 'Blinds', 'Garden'].map((n) => sharp(original(n)).resize(480, 300).png().toBuffer()),
  );
  await sharp(frames, { join: { animated: true } })
    .gif({ delay: 500, loop: 0 })
    .toFile(out('animatedGif'));
  try {
    execFileSync('heif-enc', ['-q', '60', '-o', out('heic'), join(originals, 'Dune.jpg')], {
      stdio: 'pipe',
    });
  } catch {
    console.warn('heif-enc (Debian package libheif-examples) is missing: no HEIC test photo.');
  }

  const storm = original('Storm');
  // Enlarged, then given sensor-like grain so the file has the size and entropy of a real 24 MP
  // camera JPEG (a smooth enlargement compresses to a fraction of that and decodes faster).
  const big = await sharp(storm)
    .resize(6000, 4000, { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grain = pseudoRandom(big.data.length, 99);
  for (let i = 0; i < big.data.length; i++) {
    big.data[i] = Math.max(0, Math.min(255, big.data[i]! + ((grain[i]! & 15) - 7.5)));
  }
  await sharp(big.data, { raw: big.info })
    .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS 400D DIGITAL' } })
    .jpeg({ quality: 94 })
    .toFile(out('jpeg24mp'));
  await sharp(storm).resize(12000, 8400).jpeg({ quality: 80 }).toFile(out('jpeg100mp'));

  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#6a8caf' } })
    .png()
    .toFile(out('onePixel'));
  write('empty', Buffer.alloc(0));
  write('truncated', dune.subarray(0, Math.floor(dune.length * 0.6)));
  write('random', pseudoRandom(200_000, 2024));
  write(
    'randomAfterJpegMagic',
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), pseudoRandom(200_000, 7)]),
  );
  write('text', 'Shopping list\n- bread\n- film, 36 exposures\n- lens cloth\n');
  write(
    'svgWithScript',
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
      '<script>window.__svgScriptRan = true; document.title = "pwned";</script>' +
      '<rect width="400" height="300" fill="red"/></svg>\n',
  );
  write('hugeDeclaredPng', pngDeclaring(100_000, 100_000));
  write('hugeDeclaredJpeg', jpegDeclaring(dune, 60_000, 60_000));
  write('corruptExif', corruptExif(dune));
  await sharp(dune)
    .withExifMerge({
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4000/100',
      },
    })
    .jpeg({ quality: 92 })
    .toFile(out('gpsJpeg'));
  writeFileSync(stamp, new Date().toISOString());
}

/** 8-bit RGBA pixels, as the pixels worker measures them. */
export interface RawPhoto {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * What a JPEG decoder hands over for an RGB photo: Y′ at full size, Cb and Cr averaged over
 * `sx` × `sy` blocks (2 × 2 is 4:2:0), by the forward JFIF equations (ITU-T T.871).
 */
export function ycbcrPlanesOf(photo: RawPhoto, sx = 2, sy = 2): YCbCrPlanes {
  const { width: w, height: h, data } = photo;
  const cw = Math.ceil(w / sx);
  const ch = Math.ceil(h / sy);
  const y = new Uint8Array(w * h);
  const sums = [new Float64Array(cw * ch), new Float64Array(cw * ch)] as const;
  const count = new Float64Array(cw * ch);
  for (let i = 0, p = 0; i < w * h; i++, p += 4) {
    const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
    y[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    const c = Math.floor(i / w / sy) * cw + Math.floor((i % w) / sx);
    sums[0][c]! += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    sums[1][c]! += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    count[c]!++;
  }
  const chroma = (s: Float64Array): Plane8 => ({
    data: Uint8Array.from(s, (v, i) => Math.round(v / count[i]!)),
    width: cw,
    height: ch,
    stride: cw,
  });
  return {
    width: w,
    height: h,
    y: { data: y, width: w, height: h, stride: w },
    cb: chroma(sums[0]),
    cr: chroma(sums[1]),
  };
}

/** Kinds of distortion in the ladders, each applied at five increasing levels. */
export type Distortion = 'blur' | 'noise' | 'jpeg' | 'under' | 'over' | 'contrast' | 'saturation';

/** The five levels of each ladder, mildest first (units in the comments). */
export const LADDER_LEVELS: Record<Distortion, readonly number[]> = {
  /** Gaussian blur σ in pixels. */
  blur: [0.6, 1, 1.6, 2.5, 4],
  /** Additive Gaussian noise σ in grey levels. */
  noise: [2, 4, 7, 12, 20],
  /** JPEG quality (libjpeg scale); lower is worse. */
  jpeg: [90, 70, 50, 30, 10],
  /** Stops of light taken away, in linear light. */
  under: [0.5, 1, 1.5, 2, 3],
  /** Stops of light added, in linear light. */
  over: [0.5, 1, 1.5, 2, 3],
  /** Contrast kept around the mean (1 is untouched). */
  contrast: [0.85, 0.7, 0.55, 0.4, 0.25],
  /** Saturation kept (1 is untouched). */
  saturation: [0.85, 0.65, 0.45, 0.25, 0.1],
};

const toRaw = ({ data, info }: { data: Buffer; info: OutputInfo }): RawPhoto => ({
  data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  width: info.width,
  height: info.height,
});

/** Reads a photo as RGBA, its long side scaled to `longSide`. */
export async function loadRaw(path: string, longSide: number): Promise<RawPhoto> {
  const out = await sharp(path)
    .rotate()
    .resize(longSide, longSide, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRaw(out);
}

const sharpOf = (photo: RawPhoto) =>
  sharp(Buffer.from(photo.data.buffer, photo.data.byteOffset, photo.data.length), {
    raw: { width: photo.width, height: photo.height, channels: 4 },
  });

const SRGB_TO_LINEAR = Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const linearToSrgb = (l: number) => {
  const c = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  return Math.round(255 * Math.min(1, Math.max(0, c)));
};

/** Applies one distortion at one level, the way a camera, an editor or an encoder would. */
export async function distort(photo: RawPhoto, kind: Distortion, level: number): Promise<RawPhoto> {
  switch (kind) {
    case 'blur':
      return toRaw(await sharpOf(photo).blur(level).raw().toBuffer({ resolveWithObject: true }));
    case 'jpeg': {
      const jpeg = await sharpOf(photo).removeAlpha().jpeg({ quality: level }).toBuffer();
      return toRaw(await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true }));
    }
    case 'saturation':
      return toRaw(
        await sharpOf(photo)
          .modulate({ saturation: level })
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
    case 'noise': {
      const out = new Uint8ClampedArray(photo.data);
      const random = pseudoRandom(out.length * 3, 31 + level);
      for (let i = 0; i < out.length; i++) {
        if (i % 4 === 3) continue;
        // Box–Muller from three uniform bytes; the same seed gives the same noise everywhere.
        const u = (random[3 * i]! * 256 + random[3 * i + 1]! + 1) / 65537;
        const v = (random[3 * i + 2]! + 0.5) / 256;
        out[i] = photo.data[i]! + level * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      }
      return { ...photo, data: out };
    }
    case 'under':
    case 'over': {
      const gain = 2 ** (kind === 'over' ? level : -level);
      const table = SRGB_TO_LINEAR.map((l) => linearToSrgb(l * gain));
      const out = new Uint8ClampedArray(photo.data);
      for (let i = 0; i < out.length; i++) if (i % 4 !== 3) out[i] = table[photo.data[i]!]!;
      return { ...photo, data: out };
    }
    case 'contrast': {
      const out = new Uint8ClampedArray(photo.data);
      const means = [0, 1, 2].map((c) => {
        let s = 0;
        for (let i = c; i < out.length; i += 4) s += photo.data[i]!;
        return s / (out.length / 4);
      });
      for (let i = 0; i < out.length; i++) {
        const c = i % 4;
        if (c !== 3) out[i] = means[c]! + level * (photo.data[i]! - means[c]!);
      }
      return { ...photo, data: out };
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await ensureTestPhotos();
  console.log(`Test photos ready in ${PHOTOS_DIR} (${Date.now() - started} ms).`);
}
