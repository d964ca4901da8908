/**
 * A photographer drops a whole folder at once and changes their mind while it is worked through:
 * every photo is measured and scored with memory held to a budget, a photo removed while it is
 * scored stays gone, and the photo on screen gets its description first. Fixture model on WASM.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureShootPhotos, SHOOT_E2E } from '../scripts/shoot-photos.ts';
import { loadModel, openApp, pickPhotos } from './support/app.ts';

/** Peak resident memory (MiB) of the browser's renderer processes, from Linux /proc. */
async function rendererPeakMiB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  await cdp.detach();
  let peak = 0;
  for (const p of processInfo.filter((x) => x.type === 'renderer')) {
    try {
      const kib = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(kib)) peak = Math.max(peak, kib / 1024);
    } catch {
      // Not Linux, or the process ended.
    }
  }
  return peak;
}

const progress = (page: Page) => page.getByTestId('work-progress');

test('100 photos dropped at once are all measured and scored, with memory held to a budget', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const photos = await ensureShootPhotos(SHOOT_E2E.count, SHOOT_E2E.longSide);
  await openApp(page, { device: 'wasm' });
  await loadModel(page);
  const started = Date.now();
  await pickPhotos(page, ...photos);

  await expect(progress(page)).toHaveAttribute('data-total', '100');
  // A shoot opens in the grid; the loupe has the strip of photos beside the one on screen.
  await page.getByRole('button', { name: 'Loupe' }).click();
  // The page stays usable while the batch is worked through: another photo can be opened.
  await page.getByTestId('strip-item').nth(50).getByRole('button').first().click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', 'shoot-0051.jpg');

  await expect(progress(page)).toHaveAttribute('data-measured', '100', { timeout: 300_000 });
  const measuredAfter = Date.now() - started;
  await expect(progress(page)).toHaveAttribute('data-scored', '100', { timeout: 400_000 });
  const scoredAfter = Date.now() - started;
  await expect(progress(page)).toHaveAttribute('data-failed', '0');
  await expect(page.getByTestId('strip-item')).toHaveCount(100);

  // Every photo's decoded picture (2048 × 1536) is 12.6 MB: kept all at once they would take
  // 1.26 GB. The app keeps 192 MB of them and decodes again what it needs later.
  const peak = await rendererPeakMiB(browser);
  console.info(
    `100 photos (3 MP): measured in ${(measuredAfter / 1000).toFixed(1)} s, scored in ` +
      `${(scoredAfter / 1000).toFixed(1)} s; renderer peak ${peak.toFixed(0)} MiB`,
  );
  if (peak > 0) expect(peak).toBeLessThan(1300);

  // An early photo, long evicted, still opens: it is decoded again from its file.
  await page.getByTestId('strip-item').nth(2).getByRole('button').first().click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', 'shoot-0003.jpg');
  await expect
    .poll(() =>
      page.getByTestId('photo-canvas').evaluate((c: HTMLCanvasElement) => c.width * c.height),
    )
    .toBe(2048 * 1536);
});

test('a photo removed while it is being scored stays gone', async ({ page }) => {
  const photos = await ensureShootPhotos(SHOOT_E2E.count, SHOOT_E2E.longSide);
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  await pickPhotos(page, ...photos.slice(0, 6));
  // The first photo is on screen and scored first: remove it while its score is being computed.
  await expect(page.getByTestId('score-card')).toHaveAttribute('aria-busy', 'true');
  await page.getByRole('button', { name: 'Remove shoot-0001.jpg' }).click();

  await expect(progress(page)).toHaveAttribute('data-total', '5');
  await expect(progress(page)).toHaveAttribute('data-scored', '5');
  await expect(page.getByTestId('strip-item')).toHaveCount(5);
  await expect(page.getByRole('button', { name: 'Remove shoot-0001.jpg' })).toHaveCount(0);
  // Nothing of it comes back once its cancelled work would have finished.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('strip-item')).toHaveCount(5);
  await expect(progress(page)).toHaveAttribute('data-total', '5');
});

test('switching photos mid-description starts the new photo’s text first', async ({ page }) => {
  const photos = await ensureShootPhotos(SHOOT_E2E.count, SHOOT_E2E.longSide);
  // A description far longer than the test: it is still streaming when the person switches.
  await openApp(page, { device: 'wasm', maxTokens: '3000', context: '4096' });
  await loadModel(page);
  await pickPhotos(page, photos[0]!, photos[1]!);
  const description = page.getByTestId('description');
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('description-text')).not.toBeEmpty();

  await page.getByTestId('strip-item').nth(1).getByRole('button').first().click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', 'shoot-0002.jpg');
  // The second photo's text streams while the first one's is paused, not queued behind it.
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('description-text')).not.toBeEmpty();
  await description.getByRole('button', { name: 'Stop' }).click();
  await expect(description).toHaveAttribute('data-status', 'stopped');

  // Back on the first photo: its description was paused, and starts again, saying so.
  await page.getByTestId('strip-item').nth(0).getByRole('button').first().click();
  await expect(page.getByTestId('description-interrupted')).toContainText(/paused|Started again/);
  await expect(description).toHaveAttribute('data-status', /waiting|streaming/);
  await description.getByRole('button', { name: 'Stop' }).click();
  // One share panel and one chat for the photo on screen, however often the person switched.
  await expect(page.getByTestId('share-panel')).toHaveCount(1);
  await expect(page.getByTestId('chat')).toHaveCount(1);
});
