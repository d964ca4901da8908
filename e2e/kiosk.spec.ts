/**
 * The unattended kiosk, built as an operator builds it (`npm run kiosk:bundle` with the fixture
 * model, served by the bundle's own serve.mjs) and opened in a browser that cannot resolve any
 * host but localhost, as if the network were unplugged from boot: the attract screen, a sample
 * photo, the camera (Chromium's fake camera), the idle reset that wipes what a visitor left but
 * keeps the model, and the operator's way out. Also `?kiosk` on the everyday build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chromiumArgs, executablePath } from '../playwright.config.ts';
import { testPhoto } from './support/app.ts';
import { expectAccessible } from './support/axe.ts';

const APP_PORT = Number(process.env.E2E_APP_PORT ?? 4173);
const KIOSK_PORT = APP_PORT + 31;
const BUNDLE = resolve(`.cache/kiosk-e2e-${APP_PORT}`);
const PIN = '2468';
const KIOSK_URL = `http://localhost:${KIOSK_PORT}/`;

test.use({
  launchOptions: {
    executablePath,
    args: [
      ...chromiumArgs,
      // A camera that shows a test pattern, allowed without a prompt.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // Network unplugged: no host name resolves but this computer's.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost',
    ],
  },
  permissions: ['camera'],
});
// Each journey loads the model in a fresh browser context; on a busy 2-core machine that alone
// took over two minutes once, so the limits are wide (they cost nothing when things are quick).
test.describe.configure({ mode: 'serial', timeout: 420_000 });

let server: ChildProcess;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const built = spawnSync(
    'npx',
    [
      'tsx',
      'scripts/kiosk-bundle.ts',
      '--model',
      'public/models/llava-onevision-fixture',
      '--out',
      BUNDLE,
      '--pin',
      PIN,
      '--idle',
      '6',
      '--countdown',
      '3',
    ],
    { encoding: 'utf8' },
  );
  expect(built.status, built.stderr + built.stdout).toBe(0);
  server = spawn('node', [resolve(BUNDLE, 'serve.mjs'), '--port', String(KIOSK_PORT)], {
    stdio: 'pipe',
  });
  await expect
    .poll(
      () =>
        fetch(KIOSK_URL).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 20_000 },
    )
    .toBe(200);
});

test.afterAll(() => {
  server?.kill();
});

/** Every request the page makes to anything but this computer (there must be none). */
function recordLeaks(page: Page): string[] {
  const leaks: string[] = [];
  page.on('request', (request) => {
    const host = new URL(request.url()).hostname;
    if (!['localhost', '127.0.0.1', ''].includes(host) && !request.url().startsWith('data:')) {
      if (!request.url().startsWith('blob:')) leaks.push(request.url());
    }
  });
  return leaks;
}

async function openKiosk(page: Page, search = '', { waitForModel = true } = {}) {
  const response = await page.goto(`${KIOSK_URL}${search}`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'attract');
  if (waitForModel)
    await expect(page.getByTestId('kiosk-model')).toHaveAttribute('data-status', 'ready', {
      timeout: 240_000,
    });
}

const storageNow = (page: Page) =>
  page.evaluate(async () => {
    const modelCache = await caches.open('transformers-cache');
    return {
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      modelEntries: (await modelCache.keys()).length,
      local: Object.keys(localStorage),
      hash: location.hash,
    };
  });

test('boots with the network unplugged: attract screen, a sample photo, then one from the camera', async ({
  page,
}) => {
  const leaks = recordLeaks(page);
  await openKiosk(page, '?idle=600');
  await expect(page.getByRole('heading', { name: 'How good is your photo?' })).toBeVisible();
  await expect(page.getByTestId('kiosk-sample')).toHaveCount(3);
  // No settings, no model download, nothing of the everyday app's chrome.
  await expect(page.getByTestId('model-status')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /settings/i })).toHaveCount(0);
  await expectAccessible(page, 'kiosk attract screen');

  await page.getByTestId('kiosk-sample').filter({ hasText: 'Out of focus' }).click();
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'photo');
  await expect(page.getByTestId('score-value')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute(
    'aria-label',
    'sample-out-of-focus.jpg',
  );

  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-camera', 'yes');
  await page.getByRole('button', { name: 'Take another photo' }).click();
  const shutter = page.getByRole('button', { name: 'Take the photo' });
  await expect(shutter).toBeEnabled({ timeout: 30_000 });
  await shutter.click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', /^camera-.*\.jpg$/);
  await expect(page.getByTestId('score-value')).toBeVisible({ timeout: 120_000 });
  // One visitor, one photo: the camera's replaced the sample.
  await expect(page.getByRole('dialog', { name: 'Take a photo' })).toHaveCount(0);

  await expectAccessible(page, 'kiosk result');
  expect(leaks, 'requests that left this computer').toEqual([]);
  await page.screenshot({ path: test.info().outputPath('kiosk-result.png') });
});

test('after the visitor leaves, a countdown they can cancel, then everything they left is wiped but the model', async ({
  page,
}) => {
  await openKiosk(page, '?idle=12&countdown=8');
  await page.getByTestId('kiosk-photo-input').setInputFiles(testPhoto('landscape.jpg'));
  await expect(page.getByTestId('score-value')).toBeVisible({ timeout: 120_000 });

  // What a visitor's session may leave behind, beside the model's own files.
  await page.evaluate(async () => {
    await new Promise<void>((res, rej) => {
      const open = indexedDB.open('visitor-session', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('photos');
      open.onsuccess = () => {
        const tx = open.result.transaction('photos', 'readwrite');
        tx.objectStore('photos').put(new Blob(['jpeg bytes']), 'sharp.jpg');
        tx.oncomplete = () => (open.result.close(), res());
        tx.onerror = () => rej(tx.error);
      };
      open.onerror = () => rej(open.error);
    });
    await (await caches.open('visitor-photos')).put('/photo/1', new Response('jpeg bytes'));
    localStorage.setItem('chat-draft', 'is it sharp?');
    history.replaceState(null, '', `${location.pathname}${location.search}#r=shared`);
  });
  const before = await storageNow(page);
  expect(before.databases).toContain('visitor-session');
  expect(before.caches).toContain('visitor-photos');
  expect(before.modelEntries).toBeGreaterThan(0);

  // The countdown comes (idle counted from the last touch); a touch cancels it, the photo stays.
  await page.mouse.move(5, 400);
  const countdown = page.getByTestId('kiosk-countdown');
  await expect(countdown).toBeVisible({ timeout: 30_000 });
  await expect(countdown).toContainText(/Starting over in \d s/);
  await page.mouse.click(5, 400);
  await expect(countdown).toHaveCount(0);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'photo');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-resets', '0');

  // Left alone again: it counts down to zero and starts over.
  await expect(countdown).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-resets', '1', { timeout: 20_000 });
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'attract');
  await expect(page.getByTestId('score-value')).toHaveCount(0);
  const after = await storageNow(page);
  expect(after.databases).not.toContain('visitor-session');
  expect(after.caches).not.toContain('visitor-photos');
  expect(after.local).toEqual([]);
  expect(after.hash).toBe('');
  // The model stays: its cached files untouched, still loaded, and the next visitor is scored.
  expect(after.modelEntries).toBe(before.modelEntries);
  await expect(page.getByTestId('kiosk-model')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('kiosk-sample').first().click();
  await expect(page.getByTestId('score-value')).toBeVisible({ timeout: 60_000 });
});

test('the operator leaves kiosk mode with a hidden gesture and the PIN', async ({ page }) => {
  await openKiosk(page, '?idle=600', { waitForModel: false });
  const title = page.getByTestId('kiosk-title');
  // Four taps, or taps too far apart, do nothing; five quick ones open the dialog.
  await title.click({ clickCount: 4 });
  await page.waitForTimeout(3_200);
  await title.click();
  await expect(page.getByTestId('operator-dialog')).toHaveCount(0);
  await page.waitForTimeout(3_200);
  await title.click({ clickCount: 5 });
  const dialog = page.getByTestId('operator-dialog');
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'kiosk operator dialog');
  await page.getByLabel('PIN').fill('1111');
  await dialog.getByRole('button', { name: 'Leave kiosk mode' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Wrong PIN.');
  await expect(page).toHaveURL(KIOSK_URL + '?idle=600');
  for (const digit of PIN) await dialog.getByRole('button', { name: digit, exact: true }).click();
  await dialog.getByRole('button', { name: 'Leave kiosk mode' }).click();
  await expect(page).toHaveURL(/kiosk=off/);
  await expect(page.getByTestId('kiosk')).toHaveCount(0);
  await expect(page.getByTestId('model-status')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to kiosk mode' })).toBeVisible();
});

test('?kiosk on the everyday build runs a local model only, and says so when none is given', async ({
  page,
}) => {
  await page.goto('/?kiosk');
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-view', 'attract');
  await expect(page.getByTestId('kiosk-model')).toHaveAttribute('data-status', 'no-model');
  await expect(page.getByTestId('kiosk-model')).toContainText('No local model is set');
  await page.goto('/?kiosk&model=local:llava-onevision-fixture');
  await expect(page.getByTestId('kiosk-model')).toHaveAttribute('data-status', 'ready', {
    timeout: 120_000,
  });
});
