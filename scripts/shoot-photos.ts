/**
 * A "shoot" of many distinct real photographs for journeys and benchmarks that drop hundreds of
 * photos at once: crops of Debian's mate-backgrounds nature photos at varied positions and zooms,
 * each re-encoded as its own JPEG. Made once per (count, size) in .cache/photos/shoot-*.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { originalsDir, PHOTOS_DIR } from './test-photos.ts';

/** The shoot the e2e journeys drop: 100 photos of 3 MP (2048 × 1536, the app's working size). */
export const SHOOT_E2E = { count: 100, longSide: 2048 } as const;

/**
 * Paths of `count` JPEGs whose long side is `longSide` px (4:3 landscape). 4000 gives 12 MP photos
 * like a phone's; a few hundred pixels is enough where only the count matters.
 */
export async function ensureShootPhotos(count: number, longSide: number): Promise<string[]> {
  const dir = join(PHOTOS_DIR, `shoot-${longSide}`);
  const names = Array.from(
    { length: count },
    (_, i) => `shoot-${String(i + 1).padStart(4, '0')}.jpg`,
  );
  const paths = names.map((name) => join(dir, name));
  const stamp = join(dir, `.complete-${count}`);
  if (existsSync(stamp)) return paths;
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir).filter((n) => n.startsWith('.complete-')))
    rmSync(join(dir, old));

  const originals = originalsDir();
  const sources = readdirSync(originals)
    .filter((n) => n.endsWith('.jpg'))
    .sort();
  const width = longSide;
  const height = Math.round((longSide * 3) / 4);
  const made = new Set(readdirSync(dir));
  for (let i = 0; i < count; i++) {
    if (made.has(names[i]!)) continue;
    const source = sharp(join(originals, sources[i % sources.length]!));
    const { width: w = 0, height: h = 0 } = await source.metadata();
    // A window of 55–95 % of the picture at a position that moves with i: every photo differs.
    const zoom = 0.55 + ((i * 7) % 9) * 0.05;
    const cw = Math.round(Math.min(w, (h * 4) / 3) * zoom);
    const ch = Math.round((cw * 3) / 4);
    const left = Math.round(((w - cw) * ((i * 37) % 101)) / 100);
    const top = Math.round(((h - ch) * ((i * 53) % 101)) / 100);
    const jpeg = await source
      .extract({ left, top, width: cw, height: ch })
      .resize(width, height, { kernel: 'lanczos3' })
      .jpeg({ quality: 90 })
      .toBuffer();
    writeFileSync(paths[i]!, jpeg);
  }
  writeFileSync(stamp, '');
  return paths;
}
