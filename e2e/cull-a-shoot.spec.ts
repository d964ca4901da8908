/**
 * A photographer drops a whole shoot with bursts in it (scripts/cull-shoot.ts: ≥ 300 photos made
 * from real photographs, with the truth of which frames belong together and which is undamaged)
 * and the app groups the bursts and points at the best frame of each. Fixture model on WASM: its
 * random weights make its features noise, so the test also reads which signal grouped the shoot.
 *
 * Part of the default run; `npm run test:cull` runs it alone. Measuring and scoring 309 photos
 * took 4.5–10 min on the shared build machine at load averages of 13–16 (much less when calm).
 */
import { expect, test, type Page } from '@playwright/test';
import { ensureCullShoot } from '../scripts/cull-shoot.ts';
import { pairwiseAgreement } from '../src/cull/groups.ts';
import { loadModel, openApp, pickPhotos } from './support/app.ts';

const progress = (page: Page) => page.getByTestId('work-progress');

/** Every strip item's file name, group and whether it is its group's best, as the page shows them. */
async function groupsOnScreen(page: Page) {
  return page.getByTestId('strip-item').evaluateAll((items) =>
    items.map((item) => ({
      name: item.getAttribute('data-name') ?? '',
      group: item.getAttribute('data-group') ?? '',
      best: item.getAttribute('data-group-best') === 'true',
    })),
  );
}

test('a dropped shoot is grouped into its bursts and each burst points at its undamaged frame', async ({
  page,
}) => {
  test.setTimeout(840_000);
  const { paths, truth } = await ensureCullShoot();
  const total = String(paths.length);
  await openApp(page, { device: 'wasm' });
  await loadModel(page);
  await pickPhotos(page, ...paths);

  await expect(progress(page)).toHaveAttribute('data-total', total);
  // A shoot opens in the grid (virtualised); the loupe has the whole strip beside the photo.
  await page.getByRole('button', { name: 'Loupe' }).click();
  await expect(progress(page)).toHaveAttribute('data-measured', total, { timeout: 480_000 });
  await expect(progress(page)).toHaveAttribute('data-scored', total, { timeout: 600_000 });
  await expect(progress(page)).toHaveAttribute('data-failed', '0');

  // Groups are worked out a moment after the last result; wait until every photo has one and
  // the choice reflects the scores (the reason names a score once all are in).
  const strictness = page.getByTestId('group-strictness');
  await expect
    .poll(async () => (await groupsOnScreen(page)).filter((p) => p.group === '').length)
    .toBe(0);

  const shown = await groupsOnScreen(page);
  const byGroup = new Map<string, string[]>();
  for (const p of shown) byGroup.set(p.group, [...(byGroup.get(p.group) ?? []), p.name]);
  const agreement = pairwiseAgreement(
    [...byGroup.values()],
    truth.groups.map((g) => g.files),
  );
  const signal = await strictness.getAttribute('data-signal');
  console.info(
    `${paths.length} photos in ${byGroup.size} groups (truth ${truth.groups.length}), grouped by ` +
      `${signal}: pairwise precision ${agreement.precision.toFixed(3)}, recall ${agreement.recall.toFixed(3)}`,
  );
  expect(agreement.precision).toBeGreaterThanOrEqual(0.9);
  expect(agreement.recall).toBeGreaterThanOrEqual(0.9);

  // Each burst's choice is its undamaged frame.
  const bestShown = new Set(shown.filter((p) => p.best).map((p) => p.name));
  const missed = truth.groups
    .filter((g) => g.files.length > 1 && !bestShown.has(g.best))
    .map((g) => `${g.id} (${g.best})`);
  expect(missed).toEqual([]);

  // The photo on screen says which group it is in and why its burst's best is best.
  const burst = truth.groups.find((g) => g.files.length >= 5)!;
  const damaged = burst.files.find((f) => f !== burst.best)!;
  await page.locator(`[data-testid="strip-item"][data-name="${damaged}"] button`).first().click();
  const note = page.getByTestId('group-note');
  await expect(note).toHaveAttribute('data-best', 'false');
  await expect(note).toContainText(`One of ${burst.files.length} similar frames`);
  await note.getByRole('button', { name: burst.best }).click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', burst.best);
  await expect(note).toHaveAttribute('data-best', 'true');
  await expect(note).toContainText(/sharp(est of \d+| \(\d+ % of the sharpest\)); score \d\.\d vs/);

  // Stricter grouping splits groups: the slider moves the count.
  const before = Number(await strictness.getAttribute('data-groups'));
  await strictness.getByRole('slider').fill('100');
  await expect
    .poll(async () => Number(await strictness.getAttribute('data-groups')))
    .toBeGreaterThan(before);
});
