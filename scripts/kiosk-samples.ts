/**
 * Makes the kiosk's sample photos (src/kiosk/samples/), committed so every build has them: one
 * real photograph three ways — as taken, out of focus, and badly underexposed — so a visitor sees
 * the score and the description follow what went wrong. Source: Debian's mate-backgrounds
 * (LadyBird.jpg, Charles Barbin, GPL-2+; see samples/CREDITS.md). Each is ~1024 px, well under
 * 150 kB. Run again only to change them: npx tsx scripts/kiosk-samples.ts
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { originalsDir } from './test-photos.ts';

const OUT = resolve('src/kiosk/samples');
const source = join(originalsDir(), 'LadyBird.jpg');
const base = () => sharp(source).resize({ width: 1024, height: 1024, fit: 'inside' });

const samples: [string, Sharp][] = [
  ['sharp.jpg', base()],
  ['out-of-focus.jpg', base().blur(6)],
  ['too-dark.jpg', base().linear(0.22, 0).gamma(1.2)],
];
for (const [name, image] of samples) {
  const bytes = await image.jpeg({ quality: 82, mozjpeg: true }).toBuffer();
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name}: ${Math.round(bytes.length / 1024)} kB`);
}
