/**
 * A person drops a large camera JPEG. The pixels worker reads such files by their Y′CbCr planes
 * (src/pixels/worker/jpeg-planes.ts), which is faster than a full RGBA decode: the photo must look
 * the same, upright in every EXIF orientation, and measure the same as the same pixels read the
 * usual way (a PNG of them goes through the browser's full decode and high-quality resize).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import {
  ensureTestPhotos,
  ladderSourcePath,
  PHOTOS_DIR,
  photoPath,
} from '../scripts/test-photos.ts';

const DIR = join(PHOTOS_DIR, 'large-jpeg');
const ORIENTATIONS = [1, 2, 3, 4, 5, 6, 7, 8];
const GRID = 4;
const file = (name: string) => join(DIR, name);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await ensureTestPhotos();
  mkdirSync(DIR, { recursive: true });
  // A real photo (2560 × 1600) stored in each orientation: the file holds the same pixels, the tag
  // says how to turn them, so each shows a different upright picture.
  for (const n of ORIENTATIONS) {
    const out = file(`ladybird-o${n}.jpg`);
    if (!existsSync(out)) {
      await sharp(ladderSourcePath('LadyBird'))
        .withMetadata({ orientation: n })
        .jpeg({ quality: 92 })
        .toFile(out);
    }
  }
  // Pairs: a JPEG (read by planes) and a PNG of exactly the pixels a decoder gets from it.
  const pairs: [string, () => Buffer | Promise<Buffer>][] = [
    ['ladybird', () => readFileSync(file('ladybird-o1.jpg'))],
    [
      'storm',
      () => sharp(photoPath('jpeg24mp')).resize(4000, 2667).jpeg({ quality: 94 }).toBuffer(),
    ],
  ];
  for (const [name, make] of pairs) {
    if (existsSync(file(`${name}.png`))) continue;
    const jpeg = await make();
    writeFileSync(file(`${name}.jpg`), jpeg);
    await sharp(jpeg)
      .png({ compressionLevel: 1 })
      .toFile(file(`${name}.png`));
  }
});

async function open(page: Page, path: string) {
  await page.goto('/');
  await page.getByTestId('photo-input').setInputFiles(path);
  await expect(page.getByTestId('measure-sharpness')).toBeVisible({ timeout: 60_000 });
}

/** Mean RGB of each cell of a GRID × GRID division of the photo as the page draws it. */
function cellsOnPage(page: Page): Promise<{ width: number; height: number; cells: number[][] }> {
  return page.getByTestId('photo-canvas').evaluate((el, grid) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const cells = Array.from({ length: grid * grid }, () => [0, 0, 0, 0]);
    for (let y = 0; y < canvas.height; y++) {
      for (let x = 0; x < canvas.width; x++) {
        const cell =
          cells[
            Math.floor((y * grid) / canvas.height) * grid + Math.floor((x * grid) / canvas.width)
          ]!;
        const p = (y * canvas.width + x) * 4;
        for (let c = 0; c < 3; c++) cell[c]! += data[p + c]!;
        cell[3]!++;
      }
    }
    return {
      width: canvas.width,
      height: canvas.height,
      cells: cells.map((c) => [c[0]! / c[3]!, c[1]! / c[3]!, c[2]! / c[3]!]),
    };
  }, GRID);
}

/** The same cells of the upright picture as libvips turns it (its own EXIF handling). */
async function expectedCells(path: string) {
  const { data, info } = await sharp(path).rotate().raw().toBuffer({ resolveWithObject: true });
  const cells = Array.from({ length: GRID * GRID }, () => [0, 0, 0, 0]);
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const cell =
        cells[Math.floor((y * GRID) / info.height) * GRID + Math.floor((x * GRID) / info.width)]!;
      const p = (y * info.width + x) * info.channels;
      for (let c = 0; c < 3; c++) cell[c]! += data[p + c]!;
      cell[3]!++;
    }
  }
  return {
    width: info.width,
    height: info.height,
    cells: cells.map((c) => [c[0]! / c[3]!, c[1]! / c[3]!, c[2]! / c[3]!]),
  };
}

for (const n of ORIENTATIONS) {
  test(`a large JPEG stored with EXIF orientation ${n} is shown upright, in its own colours`, async ({
    page,
  }) => {
    const path = file(`ladybird-o${n}.jpg`);
    await open(page, path);
    // Read by its planes, reduced in WebAssembly (any failure there falls back silently).
    await expect(page.locator('figure.photo-view')).toHaveAttribute(
      'data-reader',
      'jpeg-planes-wasm',
    );
    const expected = await expectedCells(path);
    const shown = await cellsOnPage(page);
    // Upright size: 2560 × 1600 (or turned) shown at 2048 on the long side.
    expect([shown.width, shown.height]).toEqual(
      expected.width > expected.height ? [2048, 1280] : [1280, 2048],
    );
    await expect(page.getByTestId('photo-notes')).toContainText(
      `(${expected.width} × ${expected.height}) to ${shown.width} × ${shown.height}`,
    );
    let worst = 0;
    shown.cells.forEach((cell, i) =>
      cell.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - expected.cells[i]![c]!)))),
    );
    console.log(`orientation ${n}: largest cell difference ${worst.toFixed(2)} grey levels`);
    // Cells differ by tens of grey levels across this photo; a wrong turn or swapped chroma would
    // show as such. Different resampling filters stay within a level or two.
    expect(worst).toBeLessThan(3);
  });
}

/** Values of the measures the page shows, read from their readings. */
async function readings(page: Page) {
  const text = async (key: string) =>
    (await page.getByTestId(`measure-${key}`).textContent()) ?? '';
  const number = (s: string, pattern: RegExp) => Number(pattern.exec(s)?.[1] ?? NaN);
  return {
    sharpness: number(await text('sharpness'), /detail (\d+(?:\.\d+)?)/),
    noise: number(await text('noise'), /σ (\d+(?:\.\d+)?) grey levels/),
    blockiness: number(await text('blockiness'), /seam ratio (\d+(?:\.\d+)?)/),
    verdicts: await page
      .getByTestId(/^measure-/)
      .evaluateAll((items) =>
        items
          .filter((i) => i.dataset.verdict)
          .map((i) => `${i.dataset.testid}:${i.dataset.verdict}`),
      ),
  };
}

for (const name of ['ladybird', 'storm']) {
  test(`a large JPEG read by its planes measures as the same pixels read in full (${name})`, async ({
    page,
  }) => {
    await open(page, file(`${name}.jpg`));
    await expect(page.locator('figure.photo-view')).toHaveAttribute(
      'data-reader',
      'jpeg-planes-wasm',
    );
    const planar = await readings(page);
    await open(page, file(`${name}.png`));
    await expect(page.locator('figure.photo-view')).toHaveAttribute('data-reader', 'browser');
    const full = await readings(page);
    console.log(
      `${name}: planes ${JSON.stringify(planar)}\n${name}: full   ${JSON.stringify(full)}`,
    );
    expect(planar.verdicts).toEqual(full.verdicts);
    expect(Math.abs(planar.sharpness / full.sharpness - 1)).toBeLessThan(0.1);
    expect(Math.abs(planar.noise - full.noise)).toBeLessThanOrEqual(
      Math.max(0.2, 0.15 * full.noise),
    );
    expect(Math.abs(planar.blockiness - full.blockiness)).toBeLessThan(0.05);
  });
}
