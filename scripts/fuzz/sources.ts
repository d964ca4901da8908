/**
 * The real files the fuzzer damages: one photograph (mate-backgrounds' Dune, with its camera
 * EXIF) saved small in every format the app reads — baseline and progressive JPEG, PNG, WebP,
 * TIFF, and HEIC when Debian's heif-enc is installed. Small, because the count of cases matters
 * here, not their megapixels. Made once in .cache/photos/fuzz-sources/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { originalsDir, PHOTOS_DIR } from '../test-photos.ts';

const DIR = join(PHOTOS_DIR, 'fuzz-sources');
const STAMP = join(DIR, '.complete-v1');

export async function fuzzSources(): Promise<[string, Uint8Array][]> {
  if (!existsSync(STAMP)) {
    mkdirSync(DIR, { recursive: true });
    const photo = readFileSync(join(originalsDir(), 'Dune.jpg'));
    const small = sharp(photo).resize(160, 100).withMetadata();
    await small.clone().jpeg({ quality: 85 }).toFile(join(DIR, 'dune.jpg'));
    await small
      .clone()
      .jpeg({ quality: 85, progressive: true })
      .toFile(join(DIR, 'progressive.jpg'));
    await small.clone().png().toFile(join(DIR, 'dune.png'));
    await small.clone().webp({ quality: 80 }).toFile(join(DIR, 'dune.webp'));
    await small.clone().tiff().toFile(join(DIR, 'dune.tiff'));
    try {
      execFileSync('heif-enc', ['-q', '50', '-o', join(DIR, 'dune.heic'), join(DIR, 'dune.jpg')], {
        stdio: 'pipe',
      });
    } catch {
      console.warn('heif-enc (Debian package libheif-examples) is missing: no HEIC fuzz source.');
    }
    writeFileSync(STAMP, '');
  }
  return readdirSync(DIR)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => [name, new Uint8Array(readFileSync(join(DIR, name)))]);
}
