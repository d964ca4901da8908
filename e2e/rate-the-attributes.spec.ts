/**
 * A person reads the attribute panel beside the score and asks a follow-up: the panel fills in
 * after the score with five level probabilities per attribute (summing to 1) and the yes/no
 * checks, every prompt continued from the photo's cached prefix; a follow-up question's prompt
 * says it was continued from a cache; removing a photo frees its cache in the debug view.
 * Fixture model (random weights, real vocabulary) on WASM: the figures are random, the flow real.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { OPINIONATED_FIXTURE_ID } from '../scripts/model-graphs/fixture-model.ts';
import { distort, loadRaw, TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

/** The turn header, the 729 image tokens and the newline after them. */
const PREFIX_TOKENS = 733;

async function cachedPhotoIds(page: Page): Promise<string[]> {
  const cache = page.getByTestId('prompt-cache');
  await cache.getByRole('button', { name: 'Refresh' }).click();
  const ids = await cache
    .getByTestId('prompt-cache-entry')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-photo-id') ?? ''));
  return [...new Set(ids)].sort();
}

test('the attribute panel fills in after the score from the cached prefix; removing a photo frees its cache', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);

  const panel = page.getByTestId('attribute-panel');
  await expect(panel).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const rows = panel.getByTestId('attribute-row');
  await expect(rows).toHaveCount(7);
  const figures = await rows.evaluateAll((items) =>
    items.map((item) => ({
      key: item.getAttribute('data-attribute'),
      probabilities: JSON.parse(item.getAttribute('data-probabilities') ?? '[]') as number[],
      reused: Number(item.getAttribute('data-reused-tokens')),
    })),
  );
  expect(figures.map((f) => f.key)).toEqual([
    'sharpness',
    'noise',
    'exposure',
    'colour',
    'contrast',
    'compression',
    'composition',
  ]);
  // Each rating continued from the photo's prefix plus the ratings' shared instruction, run once.
  const shared = figures[0]!.reused;
  expect(shared).toBeGreaterThan(PREFIX_TOKENS);
  for (const figure of figures) {
    expect(figure.probabilities).toHaveLength(5);
    expect(Math.abs(figure.probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
    expect(figure.reused).toBe(shared);
  }
  await expect(panel.getByTestId('attribute-check')).toHaveCount(5);
  await expect(panel).toContainText("each continued from the photo's cached prefix");

  // A follow-up is prefilled from a cache: the photo's prefix or this conversation's last turn.
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await page.getByRole('textbox', { name: 'Your question' }).fill('How is the exposure?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('chat-exchange').nth(0)).toHaveAttribute('data-status', 'done');
  const prompt = page.getByTestId('last-prompt');
  await expect(prompt).toHaveAttribute('data-reused-from', /^(photo|conversation)$/);
  const reused = Number(await prompt.getAttribute('data-reused-tokens'));
  expect(reused).toBeGreaterThanOrEqual(PREFIX_TOKENS);
  expect(reused).toBeLessThan(Number(await page.getByTestId('last-prompt-tokens').textContent()));
  await prompt.locator('summary').click();
  await expect(prompt).toContainText(`${reused} tokens continued from the`);

  // Both photos were scored, so the worker keeps both prefixes; removing one frees its own.
  await page.getByTestId('prompt-cache').locator('summary').click();
  await expect.poll(() => cachedPhotoIds(page)).toHaveLength(2);
  const before = await cachedPhotoIds(page);
  const draft = page.getByRole('textbox', { name: 'Your question' });
  await draft.fill('And the noise?');
  await page.getByRole('button', { name: `Remove ${TEST_PHOTOS.png}` }).click();
  await expect(page.getByRole('button', { name: `Remove ${TEST_PHOTOS.png}` })).toHaveCount(0);
  // From two photos to one the analysis column stays as it was: the debug view still open (the
  // polls below never open it) and the question being typed still there.
  await expect(page.getByTestId('prompt-cache')).toHaveJSProperty('open', true);
  await expect(draft).toHaveValue('And the noise?');
  await expect.poll(() => cachedPhotoIds(page)).toHaveLength(1);
  const after = await cachedPhotoIds(page);
  expect(before).toContain(after[0]);
});

test('a sharp photo made very noisy: the model calls it clean, the pixels measure noise, and the panel says both', async ({
  page,
}) => {
  // The photo: a real one at 1280 px with Gaussian noise of σ 20 grey levels (the top of the noise
  // ladder, which the pixel measure reads as poor on every held-out photo), saved losslessly.
  const dir = mkdtempSync(join(tmpdir(), 'noisy-'));
  const clean = await loadRaw(testPhoto(TEST_PHOTOS.landscapeJpeg), 1280);
  const noisy = await distort(clean, 'noise', 20);
  const noisyPath = join(dir, 'noisy-landscape.png');
  await sharp(Buffer.from(noisy.data), {
    raw: { width: noisy.width, height: noisy.height, channels: 4 },
  })
    .removeAlpha()
    .png()
    .toFile(noisyPath);

  // The model: the fixture with +30 on the logit of "Excellent", so it rates every attribute
  // 5 / 5 whatever the photo shows; a real model can be as sure of itself and as wrong.
  await openApp(page, {
    device: 'wasm',
    model: `local:${OPINIONATED_FIXTURE_ID}`,
    precision: 'fp32',
    maxTokens: '4',
  });
  await loadModel(page);
  await pickPhotos(page, noisyPath);
  await expect(page.getByTestId('score-value')).toHaveText('5.00');
  const panel = page.getByTestId('attribute-panel');
  await expect(panel).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const noiseRow = panel.locator('[data-testid="attribute-row"][data-attribute="noise"]');
  const probabilities = JSON.parse((await noiseRow.getAttribute('data-probabilities')) ?? '[]');
  expect(probabilities[0]).toBeGreaterThan(0.99);

  // The pixels say the opposite, and the panel keeps both and says so in words.
  await expect(page.getByTestId('measure-noise')).toHaveAttribute('data-verdict', 'poor');
  const disagreement = panel.locator(
    '[data-testid="attribute-disagreement"][data-attribute="noise"]',
  );
  await expect(disagreement).toContainText('The model rates noise good (5.0/5');
  await expect(disagreement).toContainText('but the pixel measure disagrees');
  await expect(noiseRow).toBeVisible();
  console.log(`disagreement shown: ${await disagreement.textContent()}`);

  // The same model on the photo without the noise: the pixels agree with it, so no word on noise.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute(
    'aria-label',
    TEST_PHOTOS.landscapeJpeg,
  );
  await expect(page.getByTestId('attribute-panel')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('measure-noise')).not.toHaveAttribute('data-verdict', 'poor');
  await expect(
    page.locator('[data-testid="attribute-disagreement"][data-attribute="noise"]'),
  ).toHaveCount(0);
});
