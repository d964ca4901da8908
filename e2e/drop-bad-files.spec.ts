/**
 * A person drops files that are not (good) photos: each gets a clear sentence or a sensible
 * result, nothing hangs, no script runs, and the other photos and the app keep working.
 */
import { expect, test, type Page } from '@playwright/test';
import { ensureTestPhotos, photoPath, type TestPhotoName } from '../scripts/test-photos.ts';

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await ensureTestPhotos();
});

async function addPhotos(page: Page, ...names: TestPhotoName[]) {
  await page.getByTestId('photo-input').setInputFiles(names.map(photoPath));
}

const refusals: [TestPhotoName, RegExp][] = [
  ['empty', /empty \(0 bytes\)/],
  ['truncated', /incomplete: it ends before the picture does/],
  ['random', /not a photo Quality Lens can read/],
  ['randomAfterJpegMagic', /JPEG file is damaged/],
  ['text', /not a photo Quality Lens can read/],
  ['svgWithScript', /SVG drawing, not a photo/],
  ['hugeDeclaredPng', /declares 100000 × 100000 pixels/],
  ['hugeDeclaredJpeg', /declares 60000 × 60000 pixels/],
];

for (const [name, message] of refusals) {
  test(`dropping ${name} gives a clear message`, async ({ page }) => {
    await page.goto('/');
    await addPhotos(page, name);
    await expect(page.getByTestId('photo-error')).toContainText(message);
    await expect(page.getByTestId('pixel-analysis')).toHaveCount(0);
  });
}

test('an SVG with a script is refused without running the script', async ({ page }) => {
  await page.goto('/');
  const title = await page.title();
  await addPhotos(page, 'svgWithScript');
  await expect(page.getByTestId('photo-error')).toContainText('SVG');
  expect(await page.evaluate(() => 'svgScriptRan' in window || '__svgScriptRan' in window)).toBe(
    false,
  );
  expect(await page.title()).toBe(title);
  // Nothing on the page shows the SVG as an image either.
  expect(await page.locator('img[src$=".svg"], object, embed, iframe').count()).toBe(0);
});

test('a bad file among good photos leaves the good ones measured', async ({ page }) => {
  await page.goto('/');
  await addPhotos(page, 'landscapeJpeg', 'random', 'png');
  const items = page.getByTestId('strip-item');
  await expect(items).toHaveCount(3);
  const select = (file: string) =>
    items.filter({ hasText: file }).getByRole('button').first().click();

  await select('random-bytes.jpg');
  await expect(page.getByTestId('photo-error')).toContainText('not a photo');
  await select('ladybird.png');
  await expect(page.getByTestId('measure-resolution')).toContainText('1280 × 800 px');
  await select('landscape.jpg');
  await expect(page.getByTestId('measure-resolution')).toContainText('1680 × 1050 px');
  // The shoot's count says what is a photo and what is not.
  const count = page.getByTestId('shown-count');
  await expect(count).toHaveText('2 photos · 1 file could not be opened');
  // And the app still takes new photos afterwards.
  await addPhotos(page, 'webp');
  await expect(items).toHaveCount(4);
  await expect(page.getByTestId('measure-resolution')).toContainText('1200 × 750 px');
  await expect(count).toHaveText('3 photos · 1 file could not be opened');
});

test('a one-pixel image opens and says what cannot be judged', async ({ page }) => {
  await page.goto('/');
  await addPhotos(page, 'onePixel');
  await expect(page.getByTestId('photo-notes')).toContainText('only 1 × 1 pixels');
  await expect(page.getByTestId('measure-sharpness')).toContainText('Too small to judge sharpness');
  await expect(page.getByTestId('measure-resolution')).toHaveAttribute('data-verdict', 'poor');
});

test('an animated GIF shows its first frame, with a note saying so', async ({ page }) => {
  await page.goto('/');
  await addPhotos(page, 'animatedGif');
  await expect(page.getByTestId('photo-notes')).toContainText(
    'Animated GIF: the first frame is shown and analysed',
  );
  await expect(page.getByTestId('measure-resolution')).toContainText('480 × 300 px');
});

test('a photo with damaged EXIF is still measured, with a note about the EXIF', async ({
  page,
}) => {
  await page.goto('/');
  await addPhotos(page, 'corruptExif');
  await expect(page.getByTestId('photo-notes')).toContainText('EXIF');
  await expect(page.getByTestId('photo-notes')).toContainText('damaged');
  await expect(page.getByTestId('measure-resolution')).toContainText('1680 × 1050 px');
  await expect(page.getByRole('region', { name: 'Camera information' })).toContainText(
    'No camera information',
  );
});

test('the same file added twice stays one entry, and the app says it was already added', async ({
  page,
}) => {
  await page.goto('/');
  await addPhotos(page, 'landscapeJpeg', 'png');
  const items = page.getByTestId('strip-item');
  await expect(items).toHaveCount(2);
  await items.filter({ hasText: 'ladybird.png' }).getByRole('button').first().click();
  await expect(page.getByTestId('measure-resolution')).toContainText('1280 × 800 px');

  await addPhotos(page, 'landscapeJpeg');
  await expect(page.getByTestId('photo-notice')).toHaveText('Already added: landscape.jpg.');
  await expect(items).toHaveCount(2);
  // The existing entry is brought on screen instead.
  await expect(
    items.filter({ hasText: 'landscape.jpg' }).getByRole('button').first(),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('measure-resolution')).toContainText('1680 × 1050 px');
});

test('the files that could not be opened are cleared at once, the photos stay', async ({
  page,
}) => {
  await page.goto('/');
  await addPhotos(page, 'random', 'landscapeJpeg', 'text', 'empty');
  const items = page.getByTestId('strip-item');
  await expect(items).toHaveCount(4);
  const clear = page.getByTestId('clear-failed');
  await expect(clear).toHaveText('Clear 3 files that could not be opened');
  await clear.click();
  await expect(items).toHaveCount(1);
  await expect(items).toContainText('landscape.jpg');
  await expect(clear).toHaveCount(0);
  await expect(page.getByTestId('measure-resolution')).toContainText('1680 × 1050 px');
});
