/**
 * A new version is deployed while the app is open in two tabs: neither tab breaks, the app offers
 * "Reload" instead of switching by itself, and the old copy is dropped once no tab runs it. The
 * deploy is played on the e2e build itself (playwright.config.ts serves it from disk): a new sw.js
 * whose file list lacks one lazy chunk, and that chunk removed from the server.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app.ts';

const DIST = `.cache/e2e-dist-${process.env.E2E_APP_PORT ?? 4173}`;

/** The app's caches, as the page sees them. */
const appCaches = (page: Page) =>
  page.evaluate(async () =>
    (await caches.keys()).filter((key) => key.startsWith('quality-lens-app-')),
  );

/** Whether the page gets a script for one of the app's files (through the service worker). */
const getsScript = (page: Page, path: string) =>
  page.evaluate(async (path) => {
    const response = await fetch(path);
    return response.ok && /javascript/.test(response.headers.get('content-type') ?? '');
  }, path);

test('a deploy while two tabs are open: both keep working, Reload switches, the old copy goes', async ({
  context,
  page,
}) => {
  const swPath = join(DIST, 'sw.js');
  const lazyChunk = readdirSync(join(DIST, 'assets')).find((name) => /^heic-.*\.js$/.test(name));
  expect(lazyChunk, 'the build has a lazy HEIC chunk').toBeTruthy();
  const chunkPath = join(DIST, 'assets', lazyChunk!);
  const originalSw = readFileSync(swPath, 'utf8');
  try {
    await openApp(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    const [oldCache] = await appCaches(page);
    expect(oldCache).toBeTruthy();
    const other = await context.newPage();
    await openApp(other);
    await expect
      .poll(() => other.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);

    // Tab B notes when another version takes control of it.
    const switched = () =>
      other.evaluate(() => (window as Window & { switched?: boolean }).switched === true);
    await other.evaluate(() =>
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        (window as Window & { switched?: boolean }).switched = true;
      }),
    );

    // The deploy: a new version whose files no longer include the old lazy chunk.
    const manifestPattern = /\{"version":"[^"]+","files":\[[^\]]*\]\}/;
    const manifest = JSON.parse(originalSw.match(manifestPattern)![0]) as {
      version: string;
      files: string[];
    };
    const next = {
      version: 'e2e-next',
      files: manifest.files.filter((file) => !file.endsWith(lazyChunk!)),
    };
    writeFileSync(swPath, originalSw.replace(manifestPattern, JSON.stringify(next)));
    renameSync(chunkPath, `${chunkPath}.moved`);
    // The server now answers for it with a 404 or, like many static hosts, the app's HTML.
    const gone = await fetch(new URL(`assets/${lazyChunk}`, page.url()));
    expect(/javascript/.test(gone.headers.get('content-type') ?? '') && gone.ok).toBe(false);

    // The new version installs and waits: both tabs are told, neither switches by itself.
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())!.update();
    });
    await expect(page.getByTestId('update-ready')).toContainText('A new version');
    await expect(other.getByTestId('update-ready')).toBeVisible();
    expect(await appCaches(page)).toEqual([oldCache, 'quality-lens-app-e2e-next']);
    await page.waitForTimeout(1000);
    expect(
      await page.evaluate(
        async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null,
      ),
    ).toBe(true);
    expect(await switched()).toBe(false);

    // One tab reloads into it; the other, still on the old version, loads its lazy chunk anyway.
    await page.getByTestId('update-ready').getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByTestId('update-ready')).toHaveCount(0);
    await expect(page.getByTestId('photo-drop')).toBeVisible();
    expect(await switched()).toBe(true); // now served by the new worker…
    expect(await getsScript(other, `./assets/${lazyChunk}`)).toBe(true); // …which kept its files
    expect(await appCaches(page)).toEqual([oldCache, 'quality-lens-app-e2e-next']);

    // Once the only tab left runs the new version, the old copy is dropped.
    await other.close();
    await page.reload();
    await expect.poll(() => appCaches(page)).toEqual(['quality-lens-app-e2e-next']);
  } finally {
    writeFileSync(swPath, originalSw);
    if (existsSync(`${chunkPath}.moved`)) renameSync(`${chunkPath}.moved`, chunkPath);
  }
});
