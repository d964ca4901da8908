/**
 * A person converts a LLaVA-OneVision fine-tune (`npm run convert`), puts the folder under
 * public/models/ and scores photos with it. The converted folder is made by the e2e set-up
 * (scripts/convert/e2e-model.ts: a stand-in for Q-SiT-mini with the real geometry and vocabulary,
 * converted from an F16 safetensors checkpoint); the app loads it with `?model=local:<folder>` and
 * scores with the Q-SiT recipe (the default).
 */
import { expect, test } from '@playwright/test';
import { CONVERTED_MODEL_NAME } from '../scripts/convert/e2e-model.ts';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { openApp, pickPhotos, testPhoto } from './support/app.ts';

test('a converted checkpoint served from public/models scores a photo with the Q-SiT recipe', async ({
  page,
}) => {
  await openApp(page, {
    device: 'wasm',
    model: `local:${CONVERTED_MODEL_NAME}`,
    precision: 'q4',
  });
  await expect(page.getByTestId('model-ready')).toContainText(CONVERTED_MODEL_NAME);
  await expect(page.getByTestId('model-precision')).toHaveText('q4');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  const bars = await page.locator('.level-bars__value').allTextContents();
  expect(bars).toHaveLength(5);
  const total = bars.map((t) => Number.parseFloat(t)).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(99.5);
  expect(total).toBeLessThan(100.5);
  await expect(page.getByTestId('score-meta')).toContainText(CONVERTED_MODEL_NAME);
});

test('the converted 8-bit variant loads and scores too', async ({ page }) => {
  await openApp(page, {
    device: 'wasm',
    model: `local:${CONVERTED_MODEL_NAME}`,
    precision: 'q8',
  });
  await expect(page.getByTestId('model-precision')).toHaveText('q8');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});
