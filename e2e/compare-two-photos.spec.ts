/**
 * A photographer puts two photos side by side (C) and asks the model which is better: one prompt
 * carries both photos, asked with the left one first and then second; each question shows both
 * orders' probabilities (in [0, 1]), their mean, and a notice exactly when the orders disagree;
 * the reason streams in after. Fixture model (random weights, real vocabulary) on WASM: the
 * figures are random, the flow and the arithmetic real.
 */
import { expect, test } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { expectAccessible } from './support/axe.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

const percent = (p: number) => `${(p * 100).toFixed(0)} %`;

test('compare two photos with the model: both orders, their mean, the reason streamed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  const views = page.getByTestId('shoot-views');
  await expect(views).toBeVisible();
  if ((await views.getAttribute('data-mode')) === 'grid')
    await page.getByTestId('grid-cell').first().click();
  await page.keyboard.press('c');
  await expect(views).toHaveAttribute('data-mode', 'compare');
  await expect(page.getByTestId('compare-pane')).toHaveCount(2);

  // Every text the reason shows, in order, to see it grow rather than appear at once.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { reasonTexts: string[] }).reasonTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="compare-reason"]')?.textContent ?? '';
      if (text && text !== seen.at(-1)) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const verdict = page.getByTestId('compare-verdict');
  const asked = Date.now();
  await verdict.getByRole('button', { name: 'Compare with the model' }).click();
  await expect(verdict).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const ms = await verdict.getByTestId('compare-cost').getAttribute('data-total-ms');
  console.info(
    `compare: ${Number(ms).toFixed(0)} ms in the worker, ${Date.now() - asked} ms from the click`,
  );

  const rows = verdict.getByTestId('compare-preference');
  await expect(rows).toHaveCount(4);
  const figures = await rows.evaluateAll((items) =>
    items.map((row) => ({
      aspect: row.getAttribute('data-aspect'),
      aFirst: Number(row.getAttribute('data-a-first')),
      bFirst: Number(row.getAttribute('data-b-first')),
      average: Number(row.getAttribute('data-average')),
      disagree: row.getAttribute('data-disagree') === 'true',
      shownA: row.querySelector('[data-testid="compare-a-first"]')?.textContent,
      shownB: row.querySelector('[data-testid="compare-b-first"]')?.textContent,
      shownMean: row.querySelector('[data-testid="compare-average"] strong')?.textContent,
      notice: row.querySelector('[data-testid="compare-disagree"]')?.textContent ?? null,
    })),
  );
  expect(figures.map((f) => f.aspect)).toEqual(['overall', 'sharpness', 'exposure', 'noise']);
  for (const f of figures) {
    for (const p of [f.aFirst, f.bFirst, f.average]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(f.average).toBeCloseTo((f.aFirst + f.bFirst) / 2, 9);
    // What the page says is what it holds.
    expect(f.shownA).toBe(percent(f.aFirst));
    expect(f.shownB).toBe(percent(f.bFirst));
    expect(f.shownMean).toBe(percent(f.average));
    // The notice appears exactly when the orders are > 0.2 apart or pick different photos, and
    // then names both numbers.
    const apart = Math.abs(f.aFirst - f.bFirst) > 0.2 || f.aFirst > 0.5 !== f.bFirst > 0.5;
    expect(f.disagree).toBe(apart);
    if (apart) {
      expect(f.notice).toContain(percent(f.aFirst));
      expect(f.notice).toContain(percent(f.bFirst));
    } else expect(f.notice).toBeNull();
  }

  // The reason came in piece by piece and argues for the word the left-first order picked.
  const reason = verdict.getByTestId('compare-reason');
  await expect(reason).toBeVisible();
  const texts = await page.evaluate(
    () => (window as unknown as { reasonTexts: string[] }).reasonTexts,
  );
  expect(texts.length).toBeGreaterThan(1);
  const picked = figures[0]!.aFirst >= 0.5 ? 'First' : 'Second';
  await expect(reason).toContainText(`: ${picked}`);

  await expectAccessible(page, 'compare two photos with the model');
});
