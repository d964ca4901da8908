/**
 * A photographer brings in a shoot folder: JPEGs, a RAW+JPEG pair with its sidecar, a lone RAW
 * shown from the camera's embedded preview, a RAW cut short, a text file and a video. One line
 * sums it up; each photo says what was measured. Pixels only (no model needed), WASM project.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  ensureRawSamples,
  RAW_SAMPLES,
  RAW_SAMPLES_DIR,
  RAW_SHOOT_DIR,
} from '../scripts/raw-samples.ts';
import { openApp } from './support/app.ts';
import { rememberShootFolder } from './support/folders.ts';

const strip = (page: Page) => page.getByTestId('strip-item');
const open = async (page: Page, name: string) => {
  await strip(page).filter({ hasText: name }).getByRole('button').first().click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', name);
};

test.beforeAll(ensureRawSamples);

test('a shoot folder comes in as photos, one RAW+JPEG pair, kept sidecars and one summary line', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm' });
  await page.getByTestId('folder-input').setInputFiles(RAW_SHOOT_DIR);

  await expect(page.getByTestId('photo-notice')).toHaveText(
    '5 photos · 1 RAW+JPEG pair · 2 XMP sidecars · 2 skipped (1 text file, 1 video)',
  );
  await expect(strip(page)).toHaveCount(5);
  await expect(strip(page)).toContainText([
    'IMG_0001.JPG',
    'IMG_0002.JPG',
    'IMG_0003.JPG',
    'DSC_0100.NEF',
    'DSC_0101.NEF',
  ]);

  // The pair is shown from its JPEG, and says so.
  await open(page, 'IMG_0003.JPG');
  await expect(page.getByTestId('photo-notes')).toContainText(
    "RAW+JPEG pair: IMG_0003.JPG is shown, measured and scored (the camera's full-size rendering); IMG_0003.CR3 is kept with it.",
  );

  // The lone NEF is shown from its preview, upright as the camera's own orientation says (the
  // preview itself has none), and measured.
  await open(page, 'DSC_0100.NEF');
  await expect(page.getByTestId('photo-notes')).toContainText(
    "The camera's embedded preview was measured: a 1680 × 1050 JPEG inside this NEF file",
  );
  await expect
    .poll(() =>
      page.getByTestId('photo-canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]),
    )
    .toEqual([1050, 1680]);
  await expect(page.getByTestId('pixel-analysis')).toBeVisible();

  // The NEF cut short has no usable preview: a clear message, and the others go on.
  await strip(page).nth(4).getByRole('button').first().click();
  await expect(page.getByTestId('photo-error')).toContainText(
    'This NEF file holds no embedded JPEG preview large enough to judge. Decoding the RAW data itself needs a WASM LibRaw decoder',
  );
});

test('a CR3 and a DNG dropped as loose files are shown from their previews', async ({ page }) => {
  await openApp(page, { device: 'wasm' });
  // A folder with nothing usable in it still says why, though no photo is in the list.
  const empty = mkdtempSync(join(tmpdir(), 'no-photos-'));
  writeFileSync(join(empty, 'notes.txt'), 'shot list\n');
  writeFileSync(join(empty, 'clip.mov'), Buffer.alloc(64));
  await page.getByTestId('folder-input').setInputFiles(empty);
  await expect(page.getByTestId('photo-notice')).toHaveText(
    'No photos · 2 skipped (1 text file, 1 video)',
  );
  const files = [RAW_SAMPLES.cr3.file, RAW_SAMPLES.dng.file].map((name) => ({
    name,
    bytes: [...readFileSync(join(RAW_SAMPLES_DIR, name))],
  }));
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const { name, bytes } of files) dt.items.add(new File([new Uint8Array(bytes)], name));
    return dt;
  }, files);
  await page.getByTestId('photo-drop').dispatchEvent('drop', { dataTransfer });

  await expect(page.getByTestId('photo-notice')).toHaveText('2 photos');
  // Both read, as the person sees them before choosing one.
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-opened', '2');
  await open(page, RAW_SAMPLES.cr3.file);
  await expect(page.getByTestId('photo-notes')).toContainText(
    "The camera's embedded preview was measured: a 1620 × ",
  );
  await expect(page.getByTestId('photo-notes')).toContainText('inside this CR3 file');
  await open(page, RAW_SAMPLES.dng.file);
  await expect(page.getByTestId('photo-notes')).toContainText('JPEG inside this DNG file');
});

test('a folder remembered from an earlier visit is offered again and opens with its files', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm' });
  // A real directory handle without the native picker (which a test cannot drive): a folder in
  // the origin's private file system, remembered where the picker's handle would be.
  const files = [
    { name: 'IMG_7.CR3', bytes: [...readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.cr3.file))] },
    { name: 'IMG_7.JPG', bytes: [...readFileSync(join(RAW_SHOOT_DIR, 'ceremony/IMG_0002.JPG'))] },
    { name: 'notes.txt', bytes: [...Buffer.from('shot list\n')] },
  ];
  const canPick = await rememberShootFolder(page, 'wedding', 'day one', files);
  // Skips only in a browser without showDirectoryPicker (Firefox, Safari), where the app never
  // remembers a folder; the Chromium that CI and the team run always has it.
  test.skip(!canPick, 'this browser has no directory picker, so nothing is remembered');

  await page.reload();
  await page.getByRole('button', { name: 'Open wedding again' }).click();
  await expect(page.getByTestId('photo-notice')).toHaveText(
    '1 photo · 1 RAW+JPEG pair · 1 skipped (1 text file)',
  );
  await open(page, 'IMG_7.JPG');
  await expect(page.getByTestId('photo-notes')).toContainText('IMG_7.CR3 is kept with it');
});
