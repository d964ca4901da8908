/**
 * Fuzzing with the real decoders: hundreds of damaged and hostile files made from real photos by
 * a seeded generator (scripts/fuzz/) are dropped at once. Every case must end in a result or a
 * clear message, the page must keep answering, and a good photo afterwards is still measured and
 * scored. `npm run fuzz` runs thousands (FUZZ_CASES, FUZZ_SEED); seeds that once failed are kept in
 * e2e/fuzz-regressions.json and run every time.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { fuzzCase, type FuzzCase } from '../scripts/fuzz/mutate.ts';
import { fuzzSources } from '../scripts/fuzz/sources.ts';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 500);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 1);
const FUZZ_BATCH = Number(process.env.FUZZ_BATCH ?? CASES + 1_000);
const regressions = JSON.parse(
  readFileSync(new URL('./fuzz-regressions.json', import.meta.url), 'utf8'),
) as { seed: number; why: string }[];

test(`${CASES} fuzzed files end in a result or a clear message, and the app keeps working`, async ({
  page,
}) => {
  test.setTimeout(Math.max(600_000, CASES * 1_500));
  const sources = await fuzzSources();
  const seeds = [
    ...regressions.map((r) => r.seed),
    ...Array.from({ length: CASES }, (_, i) => FIRST_SEED + i),
  ];
  const cases: FuzzCase[] = seeds.map((seed) => fuzzCase(seed, sources));
  console.info(
    `fuzz: ${cases.length} cases (seeds ${FIRST_SEED}…${FIRST_SEED + CASES - 1} + ${regressions.length} kept) from ${sources.map(([n]) => n).join(', ')}`,
  );

  await page.addInitScript(() => {
    const longest = { ms: 0 };
    (window as unknown as { __longest: typeof longest }).__longest = longest;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await openApp(page, { device: 'wasm' });
  const started = Date.now();
  const progress = page.getByTestId('work-progress');
  // The page answers while the files are read: a person can open another photo.
  const answered: number[] = [];
  const timer = setInterval(() => {
    const t = Date.now();
    void page
      .evaluate(() => 1)
      .then(
        () => answered.push(Date.now() - t),
        () => {},
      );
  }, 1000);
  try {
    // All at once by default (FUZZ_BATCH=100 drops them as several folders, each read to the end).
    for (let from = 0; from < cases.length; from += FUZZ_BATCH) {
      const batch = cases.slice(from, from + FUZZ_BATCH);
      await page.getByTestId('photo-input').setInputFiles(
        batch.map((c) => ({
          name: `fuzz-${c.seed}-${c.mutation}-${c.source}`,
          mimeType: 'application/octet-stream',
          buffer: Buffer.from(c.bytes),
        })),
      );
      const total = from + batch.length;
      await expect(progress).toHaveAttribute('data-total', String(total));
      // Playwright builds the File objects in the page itself; count the app's tasks after that.
      if (from === 0) {
        await page.evaluate(() => {
          (window as unknown as { __longest: { ms: number } }).__longest.ms = 0;
        });
      }
      await expect(progress).toHaveAttribute('data-opened', String(total), {
        timeout: Math.max(300_000, batch.length * 1_000),
      });
      const failed = Number(await progress.getAttribute('data-failed'));
      await expect(progress).toHaveAttribute('data-measured', String(total - failed), {
        timeout: 120_000,
      });
    }
  } finally {
    clearInterval(timer);
  }
  const elapsed = Date.now() - started;

  // Every refusal is a sentence for a person, never a bare internal error. The strip beside the
  // loupe lists every file (the grid shows only the rows in view).
  await page.getByRole('button', { name: 'Loupe' }).click();
  const outcomes = await page.getByTestId('strip-item').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.photo-strip__name')?.textContent ?? '',
      status: li.getAttribute('data-status'),
      message: li.getAttribute('title') ?? '',
    })),
  );
  const refused = outcomes.filter((o) => o.status === 'failed');
  const bare = refused.filter(
    (o) => o.message.length < 20 || /undefined|\[object /.test(o.message),
  );
  expect(bare, `cases without a clear message: ${bare.map((o) => o.name).join(', ')}`).toEqual([]);
  expect(outcomes.filter((o) => o.status === 'decoding')).toEqual([]);

  const messages = new Map<string, number>();
  for (const o of refused) {
    const key = o.message.replace(/\d+/g, 'N').slice(0, 90);
    messages.set(key, (messages.get(key) ?? 0) + 1);
  }
  const longest = await page.evaluate(
    () => (window as unknown as { __longest: { ms: number } }).__longest.ms,
  );
  console.info(
    `fuzz: ${cases.length} cases in ${(elapsed / 1000).toFixed(1)} s (${(elapsed / cases.length).toFixed(0)} ms a case): ` +
      `${outcomes.length - refused.length} opened and measured, ${refused.length} refused with a message; ` +
      `page answered in ≤ ${Math.max(0, ...answered)} ms (${answered.length} probes), longest main-thread task ${longest.toFixed(0)} ms`,
  );
  for (const [message, count] of [...messages].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.info(`  ${String(count).padStart(4)} × ${message}`);
  }
  expect(answered.length).toBeGreaterThan(0);

  // A good photo afterwards is measured and, once the model is loaded, scored (it is on screen,
  // so it goes first however many damaged-but-readable photos also wait for a score).
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute(
    'aria-label',
    TEST_PHOTOS.landscapeJpeg,
  );
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
  await loadModel(page);
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});
