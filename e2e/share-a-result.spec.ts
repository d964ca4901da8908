/**
 * A person shares a result, not a photo: Copy link puts the result in the URL fragment; the link
 * opens in a fresh browser (no model, no photo) with the same numbers, text and labels; a tiny
 * thumbnail travels only when chosen; the report card PNG is drawn with the score in it; and
 * crafted hostile or damaged links give a message and run nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { decodeSharedFragment, MAX_FRAGMENT_CHARS, packFragment } from '../src/share/link.ts';
import { CARD_HEIGHT, CARD_WIDTH, SCORE_BOX } from '../src/share/reportCard.ts';
import { sampleResult } from '../src/share/sampleResult.ts';
import {
  hubRequests,
  loadModel,
  openApp,
  pickPhotos,
  resetHubLog,
  testPhoto,
} from './support/app.ts';

const PWNED = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

async function levelPercentages(page: Page): Promise<string[]> {
  return page.locator('.level-bars__value').allTextContents();
}

/** The fragment of a link, decoded in Node by the app's own decoder. */
async function decodeLink(link: string) {
  const decoded = await decodeSharedFragment(new URL(link).hash);
  if (!decoded.ok) throw new Error(`the app's link does not decode: ${decoded.problem}`);
  return decoded.value;
}

/** Clicks "Save report card" and reads the PNG's pixels back (RGBA). */
async function saveReportCard(page: Page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save report card' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('quality-report.png');
  const { data, info } = await sharp(await download.path())
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Card = Awaited<ReturnType<typeof saveReportCard>>;

/** Pixels of a box in the card whose luminance is below 100 (text is dark on white). */
function darkPixels(card: Card, box: { x: number; y: number; width: number; height: number }) {
  const dark: number[] = [];
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * card.width + x) * 4;
      const luma = 0.299 * card.data[i]! + 0.587 * card.data[i + 1]! + 0.114 * card.data[i + 2]!;
      if (luma < 100) dark.push(y * card.width + x);
    }
  }
  return dark;
}

test('copy link → a fresh browser shows the same result; no photo bytes unless the thumbnail is chosen; report card', async ({
  page,
  context,
  browser,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await page.getByRole('textbox', { name: 'Your question' }).fill('Is the horizon level?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');

  const score = await page.getByTestId('score-value').textContent();
  const score100 = await page.getByTestId('score-100').textContent();
  const levels = await levelPercentages(page);
  const description = await page.getByTestId('description-text').textContent();
  const answer = await page.getByTestId('chat-answer').textContent();
  expect(description!.length).toBeGreaterThan(0);

  const panel = page.getByTestId('share-panel');
  await panel.getByTestId('share-exchange').check();
  const field = panel.getByTestId('share-link');
  await expect(field).toHaveValue(/#r=1\./);
  await panel.getByRole('button', { name: 'Copy link' }).click();
  await expect(panel.getByTestId('share-notice')).toHaveText(/Link copied/);
  const link = await field.inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // What the link carries: the result, the ticked exchange, no photo bytes, no file name.
  const shared = await decodeLink(link);
  expect(shared.score.toFixed(2)).toBe(score);
  expect(shared.exchanges.map((e) => e.question)).toEqual(['Is the horizon level?']);
  expect(shared.thumbnail).toBeUndefined();
  expect(JSON.stringify(shared)).not.toContain('data:image');
  expect(link).not.toContain(TEST_PHOTOS.landscapeJpeg.replace('.jpg', ''));
  const plainFragment = new URL(link).hash.length;
  expect(plainFragment).toBeLessThan(3000);
  console.info(`share link without thumbnail: fragment ${plainFragment} characters`);

  const card = await saveReportCard(page);
  expect([card.width, card.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);

  // A fresh browser context: nothing cached, no model; the Hub is asked for nothing.
  await resetHubLog();
  const fresh = await browser.newContext();
  const viewer = await fresh.newPage();
  await viewer.goto(link);
  await expect(viewer.getByTestId('shared-banner')).toHaveText(
    'Shared result — the photo itself is not included',
  );
  await expect(viewer.getByTestId('score-value')).toHaveText(score!);
  await expect(viewer.getByTestId('score-100')).toHaveText(score100!);
  expect(await levelPercentages(viewer)).toEqual(levels);
  await expect(viewer.getByTestId('shared-description')).toHaveText(description!);
  await expect(viewer.getByTestId('shared-model')).toHaveText(
    'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
  );
  await expect(viewer.getByTestId('shared-backend')).toHaveText('WASM (CPU)');
  await expect(viewer.getByTestId('shared-precision')).toHaveText('q8');
  await expect(viewer.getByTestId('shared-mode')).toHaveText('single crop');
  await expect(viewer.getByTestId('shared-recipe')).toHaveText('Q-SiT');
  await expect(viewer.getByTestId('shared-exchange')).toContainText('Is the horizon level?');
  await expect(viewer.getByTestId('shared-answer')).toHaveText(answer!);
  await expect(viewer.getByTestId('shared-measure-exposure')).toContainText('EV');
  await expect(viewer.getByTestId('shared-thumbnail')).toHaveCount(0);
  await expect(viewer.getByTestId('model-status')).toHaveCount(0);
  expect(await hubRequests()).toEqual([]);

  // The same result's card from the shared view: the score box is drawn the same.
  const viewerCard = await saveReportCard(viewer);
  const box = darkPixels(card, SCORE_BOX);
  // Digits at 132 px leave thousands of dark pixels; an empty box has none.
  expect(box.length).toBeGreaterThan(2000);
  expect(darkPixels(viewerCard, SCORE_BOX)).toEqual(box);
  // A gap the layout leaves empty stays white (a control: dark pixels are drawn text, not noise).
  expect(darkPixels(card, { x: 830, y: 60, width: 30, height: 400 })).toEqual([]);

  // Try your own photo: back to the normal app, hash gone, the model offered.
  await viewer.getByRole('button', { name: 'Try your own photo' }).click();
  await expect(viewer.getByTestId('photo-drop')).toBeVisible();
  expect(new URL(viewer.url()).hash).toBe('');
  await expect(viewer.getByTestId('model-status')).toBeVisible();

  // With the thumbnail chosen, the link carries a tiny JPEG and the shared view shows it.
  await panel.getByTestId('share-thumbnail').check();
  await expect(panel.getByText(/thumbnail included/)).toBeVisible();
  const thumbLink = await field.inputValue();
  const withThumb = await decodeLink(thumbLink);
  expect(withThumb.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
  const jpegBytes = Buffer.from(withThumb.thumbnail!.split(',')[1]!, 'base64');
  expect(jpegBytes.length).toBeLessThanOrEqual(4096);
  const meta = await sharp(jpegBytes).metadata();
  expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(96);
  console.info(
    `share link with thumbnail: fragment ${new URL(thumbLink).hash.length} characters, JPEG ${jpegBytes.length} bytes (${meta.width}×${meta.height})`,
  );
  await viewer.goto(thumbLink);
  const img = viewer.getByTestId('shared-thumbnail');
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(meta.width);

  // A different score draws a different score box (the pixels follow the score).
  const other = sampleResult({ score: 3.35 });
  if (other.score.toFixed(2) !== score) {
    await viewer.goto(`/?other#r=${await packFragment(JSON.stringify(other), 1)}`);
    await expect(viewer.getByTestId('score-value')).toHaveText('3.35');
    expect(darkPixels(await saveReportCard(viewer), SCORE_BOX)).not.toEqual(box);
  }
  await fresh.close();
});

test('a shared score reads the level nearest to it, the most probable level labelled', async ({
  page,
}) => {
  // sampleResult: S = 3.35 (nearest G is 3, Fair) while Good is the most probable level at 40 %.
  await page.goto(`/?case=verdict#r=${await packFragment(JSON.stringify(sampleResult()), 1)}`);
  await expect(page.getByTestId('score-value')).toHaveText('3.35');
  await expect(page.getByTestId('score-verdict')).toHaveText('Fair');
  await expect(page.getByTestId('score-top-level')).toContainText(
    'Most probable level: Good 40.0 %',
  );
});

test('crafted hostile or damaged links give a message and run nothing', async ({ page }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`a link opened a dialog: ${dialog.message()}`);
  });
  const pack = (value: unknown, format = 1) => packFragment(JSON.stringify(value), format);
  const valid = await pack(sampleResult());
  const zipBomb = await packFragment(' '.repeat(5 * 1024 * 1024), 1);
  const refused: [string, string, RegExp][] = [
    ['garbage', '#r=<script>window.__pwned=1</script>', /does not hold a Quality Lens result/],
    ['truncated', `#r=${valid.slice(0, Math.floor(valid.length / 2))}`, /damaged or incomplete/],
    ['unknown version', `#r=${await pack(sampleResult(), 7)}`, /newer version of Quality Lens/],
    [
      'script where a number goes',
      `#r=${await pack({ ...sampleResult(), score: PWNED })}`,
      /score is not a number/,
    ],
    [
      'probabilities that do not sum to 1',
      `#r=${await pack({ ...sampleResult(), probabilities: [0.5, 0.5, 0.5, 0, 0] })}`,
      /add up to 1.500/,
    ],
    [
      'an SVG "thumbnail"',
      `#r=${await pack({ ...sampleResult(), thumbnail: 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3B3bmVkPTEiLz4=' })}`,
      /not a JPEG data URL/,
    ],
    ['huge', `#r=1.${'A'.repeat(MAX_FRAGMENT_CHARS + 1)}`, /too long to be a shared result/],
    ['zip bomb', `#r=${zipBomb}`, /unpacks to more than/],
  ];
  for (const [name, fragment, message] of refused) {
    await page.goto(`/?case=${encodeURIComponent(name)}${fragment}`);
    const error = page.getByTestId('shared-error');
    await expect(error, name).toContainText(message);
    await expect(page.getByTestId('shared-banner'), name).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Try your own photo' })).toBeVisible();
    expect(await page.evaluate(() => 'pwned' in window || '__pwned' in window), name).toBe(false);
  }

  // Markup in every text field is valid text: shown literally, never parsed.
  const hostile = sampleResult({
    model: PWNED,
    recipe: '<b>Q-SiT</b>',
    description: PWNED,
    exchanges: [{ question: PWNED, answer: PWNED }],
    measures: [{ key: 'noise', value: 1, unit: '<i>', verdict: 'poor', reading: PWNED }],
  });
  await page.goto(`/?case=markup#r=${await pack(hostile)}`);
  await expect(page.getByTestId('shared-banner')).toBeVisible();
  await expect(page.getByTestId('shared-description')).toHaveText(PWNED);
  await expect(page.getByTestId('shared-model')).toHaveText(PWNED);
  await expect(page.getByTestId('shared-exchange')).toContainText(PWNED);
  await expect(page.getByTestId('shared-measure-noise')).toContainText(PWNED);
  const root = page.locator('#root');
  await expect(root.locator('img[src="x"]')).toHaveCount(0);
  await expect(root.locator('script, b, i')).toHaveCount(0);
  // Give an onerror handler every chance to have fired.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
});
