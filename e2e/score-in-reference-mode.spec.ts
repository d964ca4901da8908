/**
 * A person asks for the reference image mode in the link, drops a photo and reads on the score card
 * that it was scored in "Reference (anyres)" with the photo's anyres token count; switching to the
 * fast mode in Model settings scores it again, and the card says so. Fixture model, WASM.
 *
 * The token counts are worked by hand from LLaVA-OneVision's formula, not read from the app: a
 * 400 × 300 photo keeps the most pixels in the 384 × 768 (h × w) pinpoint, 1 × 2 tiles, a 27 × 54
 * feature grid; it fills round(400 · 27 / 300) = 36 of the 54 columns, so unpadding keeps 27 × 36,
 * under the anyres_max_9 cap: 729 (base) + 27·36 + 27 newlines = 1 728. Fast mode: one 384 × 384
 * crop, 27 × 27 = 729.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { FIXTURE_MODEL_ID } from '../scripts/model-graphs/fixture-model.ts';
import { dropFile, loadModel, openApp, testPhoto } from './support/app.ts';

test('score in reference mode, then switch to fast: the card names the mode and its tokens', async ({
  page,
}, testInfo) => {
  const dir = testInfo.outputPath('photos');
  mkdirSync(dir, { recursive: true });
  const photo = join(dir, 'photo-400x300.jpg');
  await sharp(testPhoto(TEST_PHOTOS.landscapeJpeg))
    .resize(400, 300, { fit: 'fill' })
    .jpeg({ quality: 92 })
    .toFile(photo);

  await openApp(page, {
    model: `local:${FIXTURE_MODEL_ID}`,
    device: 'wasm',
    imageMode: 'reference',
    maxTokens: '4',
  });
  await loadModel(page);
  await dropFile(page, photo);
  const mode = page.getByTestId('score-image-mode');
  await expect(mode).toHaveText('Reference (anyres), 1728 image tokens', { timeout: 60_000 });
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('score-meta')).toContainText('Recipe');
  const referenceTokens = await page.getByTestId('score-meta').textContent();

  await page.getByText('Model settings').click();
  await page.getByLabel('Image mode').selectOption({ label: 'Fast (single crop)' });
  await expect(mode).toHaveText('Fast (single crop), 729 image tokens', { timeout: 60_000 });
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  // The prompt shrank by the difference in image tokens.
  const prompt = (text: string | null) => Number(/(\d+) prompt tokens/.exec(text ?? '')?.[1]);
  const fastTokens = await page.getByTestId('score-meta').textContent();
  expect(prompt(referenceTokens) - prompt(fastTokens)).toBe(1728 - 729);
});
