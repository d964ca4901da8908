/**
 * A person opens the app from a host that sends no cross-origin isolation headers (GitHub Pages,
 * a bare web server): the app's service worker adds them, the page reloads itself once, and the
 * model runs multi-threaded. Without a service worker it stays single-threaded, never reloads,
 * and says why. The build is the one Playwright's web server made (.cache/e2e-dist-<port>),
 * served here by scripts/static-server.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import { HUB_URL, loadModel, pickPhotos, testPhoto } from './support/app.ts';

const DIST = resolve(`.cache/e2e-dist-${process.env.E2E_APP_PORT ?? 4173}`);
const FIXTURE_Q8 = 'models/llava-onevision-fixture/onnx/decoder_model_merged_quantized.onnx';

let host: StaticServer;

test.beforeAll(async () => {
  expect(existsSync(join(DIST, 'index.html')), `${DIST} is built by the web server`).toBe(true);
  host = await startStaticServer(DIST);
});

test.afterAll(async () => {
  await host?.close();
});

/** Counts the page's own navigations (a reload loop would show as more than two). */
function countNavigations(page: Page): () => number {
  let count = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) count += 1;
  });
  return () => count;
}

/** `crossOriginIsolated` of the page now (false while a reload is under way). */
const isolatedNow = (page: Page) =>
  page.evaluate(() => self.crossOriginIsolated).catch(() => false);

/**
 * onnxruntime-web's thread pool: Emscripten names each pthread worker "em-pthread" and starts
 * threads − 1 of them (the calling worker is the first thread). Dedicated workers inside workers
 * are not in page.workers(), so they are counted from the browser's DevTools targets.
 */
async function pthreadWorkers(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  await cdp.detach();
  const origin = new URL(host.url).origin;
  return targetInfos.filter(
    (t) => t.type === 'worker' && t.title === 'em-pthread' && t.url.includes(origin),
  ).length;
}

const appUrl = () => `${host.url}?${new URLSearchParams({ hub: HUB_URL, maxTokens: '8' })}`;

test('a plain static host: the service worker isolates the page after one reload and the model runs multi-threaded', async ({
  page,
  browser,
}) => {
  // The host itself sends none of the headers, and serves model files whole with their length.
  const index = await fetch(host.url);
  for (const name of ['cross-origin-opener-policy', 'cross-origin-embedder-policy']) {
    expect(index.headers.get(name)).toBeNull();
  }
  const model = await fetch(new URL(FIXTURE_Q8, host.url), { method: 'HEAD' });
  expect(model.headers.get('content-encoding')).toBeNull();
  expect(Number(model.headers.get('content-length'))).toBe(statSync(join(DIST, FIXTURE_Q8)).size);

  const navigations = countNavigations(page);
  await page.goto(appUrl());
  await expect.poll(() => isolatedNow(page), { timeout: 60_000 }).toBe(true);
  expect(navigations()).toBe(2);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  await page.getByText('Model settings').click();
  await expect(page.getByTestId('isolation')).toHaveAttribute('data-isolated', 'true');

  await loadModel(page);
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
  // Skips only on a one-CPU machine, where onnxruntime runs one thread even when isolated, so
  // "more than one thread" cannot be shown; every machine CI and the team use has 2 or more.
  test.skip(cpus < 2, 'one logical CPU: onnxruntime would use one thread even when isolated');
  const threads = Number(await page.getByTestId('model-threads').getAttribute('data-threads'));
  expect(threads).toBeGreaterThan(1);
  expect(threads).toBe(Math.min(4, cpus));
  await expect(page.getByTestId('model-threads')).toHaveText(`with ${threads} threads`);
  await expect.poll(() => pthreadWorkers(browser)).toBe(threads - 1);

  // And it scores with them.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  // Still the one reload: the isolated page does not reload again.
  expect(navigations()).toBe(2);
});

test('installable, and offline after the first visit still isolated and multi-threaded', async ({
  page,
  context,
  browser,
}) => {
  await page.goto(appUrl());
  await expect.poll(() => isolatedNow(page), { timeout: 60_000 }).toBe(true);

  // Installable: a manifest with name and icons, a service worker with a fetch handler.
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  const parsed = JSON.parse(manifest.data ?? '{}') as { name?: string; icons?: { src: string }[] };
  expect(parsed.name).toContain('Quality Lens');
  for (const icon of parsed.icons ?? []) {
    const answer = await fetch(new URL(icon.src, manifest.url));
    expect(answer.status, icon.src).toBe(200);
  }
  // Playwright's contexts are incognito-like, where Chromium never offers to install; any other
  // reason (no manifest, no icon of 144 px or more, no service worker...) would be listed too.
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual(
    [],
  );

  await loadModel(page);
  await context.setOffline(true);
  await page.reload();
  expect(await isolatedNow(page)).toBe(true);
  await expect(page.getByTestId('model-ready')).toContainText('from this browser’s cache');
  const threads = Number(await page.getByTestId('model-threads').getAttribute('data-threads'));
  expect(threads).toBe(Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency)));
  await expect.poll(() => pthreadWorkers(browser)).toBe(threads - 1);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});

test.describe('where no service worker can run', () => {
  test.use({ serviceWorkers: 'block' });

  test('the page stays single-threaded, never reloads, and says why', async ({ page, browser }) => {
    const navigations = countNavigations(page);
    await page.goto(appUrl());
    await loadModel(page);
    expect(await isolatedNow(page)).toBe(false);
    await expect(page.getByTestId('model-threads')).toHaveText(
      'with 1 thread (page not cross-origin isolated)',
    );
    expect(await pthreadWorkers(browser)).toBe(0);
    await page.getByText('Model settings').click();
    await expect(page.getByTestId('isolation')).toHaveAttribute('data-isolated', 'false');
    await expect(page.getByTestId('isolation')).toContainText('single-threaded WASM');
    await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
    await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
    expect(navigations()).toBe(1);
  });
});
