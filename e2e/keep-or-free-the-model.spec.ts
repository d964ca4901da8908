/**
 * A person downloads the model and looks after the space it takes: the app asks the browser to
 * keep it and shows the room used and left; "Delete downloaded model" frees it (the model on
 * screen keeps working from memory, the next visit downloads again); and when the browser's
 * storage is full the model still runs, from memory, with a notice saying so.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_MODEL_ID } from '../scripts/model-graphs/fixture-model.ts';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import {
  hubRequests,
  loadModel,
  openApp,
  pickPhotos,
  resetHubLog,
  testPhoto,
} from './support/app.ts';

const SHORT = { maxTokens: '8', device: 'wasm' };
/** The Hub stand-in serves the fixture written by the e2e set-up under the default model's id. */
const FIXTURE_DIR = resolve('public/models', FIXTURE_MODEL_ID);
const HUB_FOLDER = 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf/resolve/main/';

/** Files the Hub stand-in sent whole since the last reset, with their sizes read from disk. */
async function servedBytes(): Promise<{ files: number; bytes: number }> {
  // Log lines read `GET /<path>`, `HEAD /<path>` or `GET /<path> (bytes=0-0)` for a size probe.
  const downloads = (await hubRequests()).filter(
    (line) => line.startsWith('GET ') && !line.includes(' (') && line.includes(HUB_FOLDER),
  );
  const files = [
    ...new Set(downloads.map((l) => l.slice(l.indexOf(HUB_FOLDER) + HUB_FOLDER.length))),
  ];
  return {
    files: files.length,
    bytes: files.reduce((sum, f) => sum + statSync(join(FIXTURE_DIR, f)).size, 0),
  };
}

/** Entries of transformers.js's cache that belong to the model (all, or its ONNX graphs only). */
const cachedModelFiles = (page: Page, ending = '') =>
  page.evaluate(
    async ({ folder, ending }) => {
      const cache = await caches.open('transformers-cache');
      return (await cache.keys()).filter((r) => r.url.includes(folder) && r.url.endsWith(ending))
        .length;
    },
    { folder: HUB_FOLDER, ending },
  );

/** Counts calls to navigator.storage.persist() (the real call still runs). */
async function countPersistCalls(page: Page) {
  await page.addInitScript(() => {
    const storage = navigator.storage;
    const persist = storage.persist.bind(storage);
    (window as unknown as { persistCalls: number }).persistCalls = 0;
    storage.persist = () => {
      (window as unknown as { persistCalls: number }).persistCalls += 1;
      return persist();
    };
  });
  return () => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
}

test('after the download the app asks to keep the model and shows the space it takes and the room left', async ({
  page,
}) => {
  const persistCalls = await countPersistCalls(page);
  await resetHubLog();
  await openApp(page, SHORT);
  await loadModel(page);
  await expect.poll(persistCalls).toBe(1);

  await page.getByText('Model settings').click();
  const served = await servedBytes();
  expect(served.files).toBeGreaterThan(3);
  const model = page.getByTestId('storage-model');
  await expect(model).toContainText(`in ${served.files} files`);
  await expect(model).toContainText(/persistent storage (granted|not granted)/);
  const usage = page.getByTestId('storage-usage');
  await expect(usage).toContainText('still available');
  // The site's usage holds at least the model's files; the quota is what the browser reports.
  const used = Number(await usage.getAttribute('data-usage'));
  const quota = Number(await usage.getAttribute('data-quota'));
  const estimate = await page.evaluate(() => navigator.storage.estimate());
  expect(used).toBeGreaterThanOrEqual(served.bytes);
  // Chromium derives the quota from the disk's free space, which moves while the test machine
  // writes; the figure shown is the browser's, read a moment earlier.
  expect(Math.abs(quota - estimate.quota!) / estimate.quota!).toBeLessThan(0.01);

  // A second visit loads from the cache and does not ask again.
  await page.reload();
  await expect(page.getByTestId('model-ready')).toContainText('from this browser’s cache');
  await page.waitForTimeout(500);
  expect(await persistCalls()).toBe(0);
});

test('“Delete downloaded model” frees its files; the loaded model keeps scoring; the next visit downloads again', async ({
  page,
}) => {
  await resetHubLog();
  await openApp(page, SHORT);
  await loadModel(page);
  const served = await servedBytes();
  expect(await cachedModelFiles(page)).toBe(served.files);

  await page.getByText('Model settings').click();
  await page.getByTestId('delete-model').click();
  const freed = page.getByTestId('storage-freed');
  await expect(freed).toContainText(`Deleted ${served.files} files`);
  expect(Number(await freed.getAttribute('data-bytes'))).toBe(served.bytes);
  await expect(freed).toContainText('keeps running from memory until this page is reloaded');
  await expect(page.getByTestId('storage-model')).toContainText('not stored in this browser');
  expect(await cachedModelFiles(page)).toBe(0);

  // Still scores, from memory.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);

  // The next visit must download: the app asks first, and fetches the files again.
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await resetHubLog();
  await loadModel(page);
  expect((await servedBytes()).bytes).toBe(served.bytes);
});

test('storage full: the model runs from memory and the app says it was not kept', async ({
  page,
  context,
}) => {
  // The browser's real quota, made tiny for this origin: every cache write fails as it would
  // on a full disk (QuotaExceededError), the app's own offline copy included.
  await page.goto('/favicon.svg');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize: 64 * 1024,
  });

  await resetHubLog();
  await openApp(page, SHORT);
  await loadModel(page);
  const notice = page.getByTestId('storage-notice');
  await expect(notice).toContainText('QuotaExceededError');
  await expect(notice).toContainText('runs from memory for this visit');
  // Small configs fitted; none of the graphs did, and the notice counts what was not kept.
  expect(await cachedModelFiles(page, '.onnx')).toBe(0);
  const notKept = (await servedBytes()).files - (await cachedModelFiles(page));
  expect(notKept).toBeGreaterThanOrEqual(3);
  await expect(notice).toContainText(`${notKept} files not kept`);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);

  // The next visit downloads again.
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
});
