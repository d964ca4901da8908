/**
 * Writes the app's install icons (public/icon-192.png, icon-512.png, icon-maskable-512.png) from
 * the same lens drawing as favicon.svg. The PNGs are committed (a few kB each); run this again
 * after changing the drawing: npx tsx scripts/icons.ts
 */
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

const BLUE = '#3b6fe0';
const BACKGROUND = '#fbfbfa';

/** The lens on a light square; `inset` leaves the safe zone a maskable icon needs (80 % circle). */
function lensSvg(size: number, inset: number): string {
  const c = size / 2;
  const ring = (size / 2 - inset) * 0.8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <rect width="${size}" height="${size}" fill="${BACKGROUND}"/>
    <circle cx="${c}" cy="${c}" r="${ring}" fill="none" stroke="${BLUE}" stroke-width="${ring * 0.3}"/>
    <circle cx="${c}" cy="${c}" r="${ring * 0.38}" fill="${BLUE}"/>
  </svg>`;
}

const icons: [string, number, number][] = [
  ['public/icon-192.png', 192, 8],
  ['public/icon-512.png', 512, 20],
  ['public/icon-maskable-512.png', 512, 512 * 0.1],
];
for (const [path, size, inset] of icons) {
  const png = await sharp(Buffer.from(lensSvg(size, inset)))
    .png({ palette: true, colours: 16, compressionLevel: 9 })
    .toBuffer();
  writeFileSync(path, png);
  console.log(`${path}: ${size}×${size}, ${png.length} bytes`);
}
