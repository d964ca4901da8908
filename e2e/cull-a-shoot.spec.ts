/**
 * A photographer drops a whole shoot with bursts in it (scripts/cull-shoot.ts: ≥ 300 photos made
 * from real photographs, with the truth of which frames belong together and which is undamaged),
 * with a RAW+JPEG pair, a lone RAW, a broken JPEG and a text file among them, and the app groups
 * the bursts and points at the best frame of each. Fixture model on WASM: its
 * random weights make its features noise, so the test also reads which signal grouped the shoot.
 *
 * Part of the default run; `npm run test:cull` runs it alone. Measuring and scoring 309 photos
 * took 4.5–10 min on the shared build machine at load averages of 13–16 (much less when calm).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureCullShoot } from '../scripts/cull-shoot.ts';
import { ensureRawSamples, RAW_SAMPLES, RAW_SAMPLES_DIR } from '../scripts/raw-samples.ts';
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
  // What else a card holds: a RAW+JPEG pair, a lone RAW (shown from its embedded preview), a
  // JPEG cut short by a failing card, and a text file. They are not part of the grouping truth.
  await ensureRawSamples();
  const extras = mkdtempSync(join(tmpdir(), 'cull-extras-'));
  copyFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.cr3.file), join(extras, 'DSC_9001.CR3'));
  copyFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.cr3.preview), join(extras, 'DSC_9001.JPG'));
  copyFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.nef.file), join(extras, 'DSC_9100.NEF'));
  writeFileSync(join(extras, 'DSC_9200.JPG'), readFileSync(paths[0]!).subarray(0, 1500));
  writeFileSync(join(extras, 'shot-list.txt'), 'ceremony, speeches, first dance\n');
  const extraFiles = [
    'DSC_9001.CR3',
    'DSC_9001.JPG',
    'DSC_9100.NEF',
    'DSC_9200.JPG',
    'shot-list.txt',
  ];
  // 309 photos, the pair as one, the lone RAW and the broken JPEG; the text file is skipped.
  const total = String(paths.length + 3);
  // Every photo but the broken JPEG is measured and scored.
  const usable = String(paths.length + 2);
  await openApp(page, { device: 'wasm' });
  await loadModel(page);
  await pickPhotos(page, ...paths, ...extraFiles.map((name) => join(extras, name)));
  await expect(page.getByTestId('photo-notice')).toHaveText(
    `${paths.length + 3} photos · 1 RAW+JPEG pair · 1 skipped (1 text file)`,
  );

  await expect(progress(page)).toHaveAttribute('data-total', total);
  // A shoot opens in the grid (virtualised); the loupe has the whole strip beside the photo.
  await page.getByRole('button', { name: 'Loupe' }).click();
  await expect(progress(page)).toHaveAttribute('data-measured', usable, { timeout: 480_000 });
  await expect(progress(page)).toHaveAttribute('data-scored', usable, { timeout: 600_000 });
  // The broken JPEG is the one failure, and it stopped nothing.
  await expect(progress(page)).toHaveAttribute('data-failed', '1');

  // Groups are worked out a moment after the last result; wait until every photo has one and
  // the choice reflects the scores (the reason names a score once all are in).
  const strictness = page.getByTestId('group-strictness');
  await expect
    .poll(async () => {
      const ungrouped = (await groupsOnScreen(page)).filter((p) => p.group === '');
      // The broken JPEG has nothing to group by.
      return ungrouped.filter((p) => p.name !== 'DSC_9200.JPG').length;
    })
    .toBe(0);

  const inTruth = new Set(truth.files.map((f) => f.name));
  const shown = (await groupsOnScreen(page)).filter((p) => inTruth.has(p.name));
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

  // The lone RAW was measured from the camera's preview and says so; the pair from its JPEG.
  await page.locator('[data-testid="strip-item"][data-name="DSC_9100.NEF"] button').first().click();
  await expect(page.getByTestId('photo-notes')).toContainText(
    "The camera's embedded preview was measured",
  );
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await page.locator('[data-testid="strip-item"][data-name="DSC_9001.JPG"] button').first().click();
  await expect(page.getByTestId('photo-notes')).toContainText('DSC_9001.CR3 is kept with it');

  // Stricter grouping splits groups: the slider moves the count.
  const before = Number(await strictness.getAttribute('data-groups'));
  await strictness.getByRole('slider').fill('100');
  await expect
    .poll(async () => Number(await strictness.getAttribute('data-groups')))
    .toBeGreaterThan(before);
});
