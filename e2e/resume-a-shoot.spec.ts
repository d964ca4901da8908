/**
 * A photographer works through a shoot, the page is reloaded (or crashes), and they carry on:
 * the app names the saved shoot, the same files dropped again come back with their scores and
 * measures without computing any of them again, and "Forget this shoot" deletes it. On the way the
 * queue is paused (progress stops) and resumed (it finishes), and a bad file does not stop it.
 * Fixture model on WASM, the real IndexedDB of the browser.
 */
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ensureShootPhotos } from '../scripts/shoot-photos.ts';
import { loadModel, openApp, pickPhotos } from './support/app.ts';

const progress = (page: Page) => page.getByTestId('work-progress');

/** Name → the exact score of each scored photo (the grid shows only some of them at a time). */
async function shownScores(page: Page): Promise<Record<string, string>> {
  const list = (await progress(page).getAttribute('data-score-list')) ?? '';
  return Object.fromEntries(
    list
      .split(';')
      .map((pair) => pair.split('='))
      .filter(([, score]) => score),
  );
}

test('a reload carries the shoot on: nothing is measured or scored again', async ({
  page,
}, testInfo) => {
  // About a minute on an idle machine; the shared CI box can take several times longer.
  test.setTimeout(300_000);
  const photos = await ensureShootPhotos(30, 480);
  const bad = testInfo.outputPath('bad-frame.jpg');
  writeFileSync(bad, 'not a photo at all');
  const files = [...photos.slice(0, 10), bad, ...photos.slice(10)];

  const started = Date.now();
  const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  // Four-token descriptions: the text lane stays out of the way of the scores.
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  await pickPhotos(page, ...files);
  await expect(progress(page)).toHaveAttribute('data-total', '31');

  // Pause: what runs finishes, then nothing moves; resume finishes the rest.
  await expect
    .poll(async () => Number(await progress(page).getAttribute('data-scored')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);
  await page.getByTestId('queue-toggle').click();
  await expect(progress(page)).toHaveAttribute('data-paused', 'true');
  await page.waitForTimeout(1500); // work under way finishes
  const held = await progress(page).evaluate((el) => [el.dataset.measured, el.dataset.scored]);
  await page.waitForTimeout(2500);
  expect(await progress(page).evaluate((el) => [el.dataset.measured, el.dataset.scored])).toEqual(
    held,
  );
  expect(Number(held[1])).toBeLessThan(30);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(progress(page)).toHaveAttribute('data-done', '31', { timeout: 180_000 });
  // The bad file is counted, not waited for.
  await expect(progress(page)).toHaveAttribute('data-failed', '1');
  await expect(progress(page)).toHaveAttribute('data-scores-run', '30');
  await expect(progress(page)).toHaveAttribute('data-measures-run', '30');
  console.info(`first drop worked through at ${at()}`);
  const before = await shownScores(page);
  expect(Object.keys(before)).toHaveLength(30);
  expect(Object.values(before).every((s) => s !== '')).toBe(true);
  // Written to IndexedDB (batched, a moment after the last change).
  await expect(page.getByTestId('current-shoot')).toHaveAttribute('data-saved-photos', '31');
  await expect(page.getByTestId('current-shoot')).toHaveAttribute('data-save-pending', 'false');

  await page.reload();
  const saved = page.getByTestId('saved-shoot');
  await expect(saved).toContainText(
    /Your shoot ‘Loose photos, .+’ \(31 photos, 0 marked\) is saved here — drop the folder again to carry on/,
  );
  await loadModel(page);
  await pickPhotos(page, ...files);
  await expect(progress(page)).toHaveAttribute('data-done', '31', { timeout: 120_000 });
  await expect(progress(page)).toHaveAttribute('data-restored', '30');
  console.info(`second drop back at ${at()}`);
  await expect(saved).toHaveCount(0);
  // Give any stray work time to show itself before reading the counters.
  await page.waitForTimeout(1000);
  await expect(progress(page)).toHaveAttribute('data-scores-run', '0');
  await expect(progress(page)).toHaveAttribute('data-measures-run', '0');
  expect(await shownScores(page)).toEqual(before);

  // Forget it: after the next reload nothing is offered.
  await page
    .getByTestId('current-shoot')
    .getByRole('button', { name: 'Forget this shoot' })
    .click();
  await expect(page.getByTestId('current-shoot')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('model-status')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('saved-shoot')).toHaveCount(0);
});
