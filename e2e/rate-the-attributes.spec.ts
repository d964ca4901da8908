/**
 * A person reads the attribute panel beside the score and asks a follow-up: the panel fills in
 * after the score with five level probabilities per attribute (summing to 1) and the yes/no
 * checks, every prompt continued from the photo's cached prefix; a follow-up question's prompt
 * says it was continued from a cache; removing a photo frees its cache in the debug view.
 * Fixture model (random weights, real vocabulary) on WASM: the figures are random, the flow real.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
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
  for (const figure of figures) {
    expect(figure.probabilities).toHaveLength(5);
    expect(Math.abs(figure.probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
    expect(figure.reused).toBe(PREFIX_TOKENS);
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
