/**
 * A person opens the app, agrees to the model download, drops a photo and reads its score; the
 * model comes from the Hub stand-in (the same code path as the real Hub) or a served folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import {
  dropFile,
  hubRequests,
  loadModel,
  openApp,
  pasteFile,
  pickPhotos,
  resetHubLog,
  startDownload,
  testPhoto,
} from './support/app.ts';

/**
 * Descriptions start by themselves after each score; these journeys are about the score, so the
 * descriptions are kept short to leave the (2-core) machine to what is tested.
 */
const SHORT_DESCRIPTION = '8';

/** The five level percentages shown in the bars. */
async function levelPercentages(page: Page): Promise<number[]> {
  const texts = await page.locator('.level-bars__value').allTextContents();
  return texts.map((t) => Number.parseFloat(t));
}

test('drop a photo on WASM: score, level bars and model info appear', async ({ page }) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  // The size is shown before anything large is downloaded.
  await expect(page.getByTestId('download-size')).toHaveText(/\d+(\.\d)? MB/);
  await loadModel(page);
  await expect(page.getByTestId('model-backend')).toHaveText('WASM (CPU)');
  // WASM defaults to 8-bit weights (faster than 4-bit on the CPU).
  await expect(page.getByTestId('model-precision')).toHaveText('q8');

  await dropFile(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const score = page.getByTestId('score-value');
  await expect(score).toHaveText(/^[1-5]\.\d\d$/);
  const value = Number(await score.textContent());
  // The 0–100 figure is rounded from the unrounded score, the shown one to 2 decimals, so the two
  // agree within half a point plus the display's rounding (0.005 × 25).
  const score100 = Number((await page.getByTestId('score-100').textContent())?.split(' / ')[0]);
  expect(Math.abs(score100 - (value - 1) * 25)).toBeLessThanOrEqual(0.5 + 0.005 * 25);
  // The badge is the level nearest to the score (G: 5 excellent … 1 bad), not the most probable one.
  const nearest = ['Bad', 'Poor', 'Fair', 'Good', 'Excellent'][Math.round(value) - 1];
  await expect(page.getByTestId('score-verdict')).toHaveText(nearest!);
  await expect(page.getByTestId('score-caveat')).toHaveCount(0);
  const percentages = await levelPercentages(page);
  expect(percentages).toHaveLength(5);
  expect(percentages.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.5);
  expect(percentages.reduce((a, b) => a + b, 0)).toBeLessThan(100.5);
  const meta = page.getByTestId('score-meta');
  await expect(meta).toContainText('llava-hf/llava-onevision-qwen2-0.5b-ov-hf');
  await expect(meta).toContainText('WASM (CPU)');
  await expect(meta).toContainText('q8');
  await expect(meta).toContainText(/Time\s*\d/);

  // A second photo is scored too, and the first stays reachable with its own result.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  await expect(score).toHaveText(/^[1-5]\.\d\d$/);
  const second = await levelPercentages(page);
  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await expect(score).toHaveText(value.toFixed(2));
  expect(await levelPercentages(page)).toEqual(percentages);
  expect(second).not.toEqual(percentages);
});

test('a pasted photo is added and scored like a dropped one', async ({ page }) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await loadModel(page);
  await pasteFile(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('strip-item')).toHaveCount(1);
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});

test('a file that is not an image gets a clear message and the app keeps working', async ({
  page,
}) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await loadModel(page);
  await pickPhotos(page, testPhoto('shopping-list.txt'));
  await expect(page.getByTestId('photo-error')).toContainText(
    /not an image|not a photo|could not/i,
  );
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
});

test('pictures too small to judge get their score with a caveat beside it', async ({
  page,
}, testInfo) => {
  // Noise pictures of the sizes a new user tried: 1 × 1, 8 × 8 and a 3000 × 2 strip.
  const dir = testInfo.outputPath('tiny');
  mkdirSync(dir, { recursive: true });
  const sizes = [
    [1, 1],
    [8, 8],
    [3000, 2],
  ] as const;
  const files = await Promise.all(
    sizes.map(async ([width, height]) => {
      const file = join(dir, `tiny-${width}x${height}.png`);
      await sharp({
        create: {
          width,
          height,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toFile(file);
      return file;
    }),
  );
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'local:llava-onevision-fixture',
  });
  await expect(page.getByTestId('model-ready')).toBeVisible();
  const caveat = page.getByTestId('score-caveat');
  for (const [i, [width, height]] of sizes.entries()) {
    await pickPhotos(page, files[i]!);
    await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
    await expect(caveat).toContainText('Too small to judge');
    await expect(caveat).toContainText(`(${width} × ${height})`);
  }
  // The strip's note no longer reads "0.0 MP".
  await expect(page.getByTestId('photo-notes')).toContainText(
    'Downsampled from 6,000 pixels (3000 × 2) to 2048 × 1',
  );
  // A real photo gets no caveat.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(caveat).toHaveCount(0);
});

test('a second visit loads the model from the browser cache with no model download', async ({
  page,
}) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await loadModel(page);
  await resetHubLog();
  await page.reload();
  // Cached: the app loads at once, without asking, and asks the Hub for nothing.
  await expect(page.getByTestId('model-ready')).toContainText('from this browser’s cache');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  expect(await hubRequests()).toEqual([]);
});

test('with the network off, a second visit still opens the app, loads the model and scores', async ({
  page,
  context,
}) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await loadModel(page);
  // The offline service worker has kept the app itself.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('model-ready')).toContainText('from this browser’s cache');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});

test('the download shows per-file progress with MB/s before the model is ready', async ({
  page,
}) => {
  // fp32: the fixture's largest files, so the throttled download lasts seconds, not a blink.
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'test/slow-download',
    precision: 'fp32',
  });
  await startDownload(page);
  const rows = page.getByTestId('file-progress');
  await expect(rows.filter({ hasText: /onnx\/.*\.onnx/ }).first()).toBeVisible();
  await expect(rows.filter({ hasText: /MB\/s/ }).first()).toBeVisible();
  await expect(page.getByTestId('model-ready')).toBeVisible();
});

test('a download can be cancelled, and changing the precision mid-download loads the new one', async ({
  page,
}) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'test/slow-download',
    precision: 'fp32',
  });
  await startDownload(page);
  await expect(page.getByTestId('file-progress').first()).toBeVisible();
  await page.getByTestId('cancel-download').click();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await expect(page.getByTestId('model-notice')).toContainText('cancelled');

  // Download again, then switch to 8-bit while it runs: the fp32 download stops, q8 is offered.
  await page.getByRole('button', { name: 'Download and load the model' }).click();
  await expect(page.getByTestId('file-progress').first()).toBeVisible();
  await page.getByText('Model settings').click();
  await page.getByLabel('Precision').selectOption('q8');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await page.getByRole('button', { name: 'Download and load the model' }).click();
  await expect(page.getByTestId('model-precision')).toHaveText('q8');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});

test('choosing another precision before downloading shows its size', async ({ page }) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  const size = page.getByTestId('download-size');
  await expect(size).toHaveText(/MB/);
  const q4Size = await size.textContent();
  await page.getByText('Model settings').click();
  await page.getByLabel('Precision').selectOption('fp32');
  await expect(size).not.toHaveText(q4Size ?? '');
  await expect(page.getByRole('button', { name: 'Download and load the model' })).toBeEnabled();
  await page.getByRole('button', { name: 'Download and load the model' }).click();
  await expect(page.getByTestId('model-precision')).toHaveText('fp32');
});

test.describe('a browser without WebGPU', () => {
  // The app's scripts are fetched from the network (not the service worker), so the route below
  // sees the model worker's script.
  test.use({ serviceWorkers: 'block' });

  // Both projects: on the WebGPU one an adapter exists for sure, so the forcing is what is tested.
  for (const tag of ['', ' @webgpu']) {
    test(`asking for WebGPU where there is none runs on WASM and says why${tag}`, async ({
      page,
    }) => {
      // Whatever this browser offers, the model worker finds no WebGPU adapter: every script of the
      // app that asks for one is served with requestAdapter() answering null, as it does on a
      // machine without a usable GPU. (A page init script would not reach the worker.)
      const noAdapter =
        'if (typeof GPU !== "undefined") GPU.prototype.requestAdapter = async () => null;\n';
      let patched = 0;
      await page.route(/\/assets\/.*\.js$/, async (route) => {
        const response = await route.fetch();
        const body = await response.text();
        if (!body.includes('requestAdapter')) return route.fulfill({ response, body });
        patched += 1;
        return route.fulfill({ response, body: noAdapter + body });
      });
      await openApp(page, {
        maxTokens: SHORT_DESCRIPTION,
        device: 'webgpu',
        model: 'local:llava-onevision-fixture',
      });
      await expect(page.getByTestId('model-notice')).toContainText('WebGPU was asked for');
      // "No WebGPU adapter …" where the browser has WebGPU (the forced case); "This browser has
      // no WebGPU" where it has none at all.
      await expect(page.getByTestId('model-notice')).toContainText(
        tag ? 'No WebGPU adapter' : /No WebGPU adapter|has no WebGPU/,
      );
      await expect(page.getByTestId('model-backend')).toHaveText('WASM (CPU)');
      expect(patched).toBeGreaterThan(0);
      await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
      await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
    });
  }
});

test('a model folder served by the app loads without a download prompt', async ({ page }) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'local:llava-onevision-fixture',
  });
  await expect(page.getByTestId('model-ready')).toContainText('llava-onevision-fixture');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});

test('offline before the model was ever downloaded: the app says so and keeps working', async ({
  page,
  context,
}) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Download and load the model' }).click();
  await expect(page.getByTestId('model-error')).toContainText(/offline/i);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
});

test('the model source can be changed in the settings', async ({ page }) => {
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm' });
  await page.getByText('Model settings').click();
  await page.getByLabel('Model', { exact: true }).fill('local:llava-onevision-fixture');
  await page.getByRole('button', { name: 'Use' }).click();
  await expect(page.getByTestId('model-ready')).toContainText('llava-onevision-fixture');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-meta')).toContainText('llava-onevision-fixture');
});

test('a missing model says what happened and photos still open', async ({ page }) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'test/missing-model',
  });
  await startDownload(page);
  await expect(page.getByTestId('model-error')).toContainText(/missing/i);
  await expect(page.getByTestId('model-error')).toContainText(/model id or folder/i);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
  await expect(page.getByTestId('score-card')).toContainText('Waiting for the model');
});

for (const hub of ['javascript:alert(1)', 'http://evil.example']) {
  test(`a link cannot choose where the model comes from: ?hub=${hub} is refused`, async ({
    page,
  }) => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm', hub });
    await expect(page.getByTestId('model-notice')).toContainText('was refused');
    await expect(page.getByTestId('model-notice')).toContainText('from huggingface.co instead');
    // Not stuck: the prompt names the default host (nothing is downloaded without a click).
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
    await expect(page.getByTestId('download-host')).toHaveText('huggingface.co');
    await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
    await expect(page.getByTestId('photo-canvas')).toBeVisible();
    expect(dialogs).toBe(0);
    // Nothing was asked of the refused host (the page's own address carries it only as text).
    expect(requested.filter((url) => new URL(url).hostname === 'evil.example')).toEqual([]);
  });
}

test('an unreachable model host: the prompt warns, the download fails with advice, photos open', async ({
  page,
}) => {
  // Port 1 on this computer: nothing listens, every connection is refused.
  await openApp(page, { maxTokens: SHORT_DESCRIPTION, device: 'wasm', hub: 'http://127.0.0.1:1/' });
  await expect(page.getByTestId('download-host')).toHaveText('127.0.0.1:1');
  await expect(page.getByTestId('host-warning')).toContainText('did not answer');
  await page.getByRole('button', { name: 'Download and load the model' }).click();
  const error = page.getByTestId('model-error');
  await expect(error).toContainText('The model host 127.0.0.1:1 could not be reached');
  await expect(error).toContainText('?hub=');
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
});

test('a dropped connection during the download is reported with what to do', async ({ page }) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'test/drops-connection',
  });
  await startDownload(page);
  await expect(page.getByTestId('model-error')).toContainText(/interrupted/i);
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
});

test('precisions whose inputs and outputs do not match are refused', async ({ page }) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'wasm',
    model: 'local:llava-onevision-fixture',
    precision: 'vision_encoder:fp32,embed_tokens:fp16,decoder_model_merged:fp32',
  });
  await expect(page.getByTestId('model-error')).toContainText('do not fit together');
});

test('score a photo on WebGPU @webgpu', async ({ page }) => {
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'webgpu',
    model: 'local:llava-onevision-fixture',
  });
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('model-backend')).toHaveText('WebGPU');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/, { timeout: 120_000 });
  await expect(page.getByTestId('score-meta')).toContainText('WebGPU');
});

test('a WebGPU failure while loading falls back to WASM by itself @webgpu', async ({ page }) => {
  // SwiftShader has no shader-f16, so fp16 graphs fail to load on WebGPU here; the same files
  // then load on WASM.
  await openApp(page, {
    maxTokens: SHORT_DESCRIPTION,
    device: 'webgpu',
    model: 'local:llava-onevision-fixture',
    precision: 'vision_encoder:fp16,embed_tokens:fp16,decoder_model_merged:fp16',
  });
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('model-backend')).toHaveText('WASM (CPU)');
  await expect(page.getByTestId('model-ready')).toContainText('WebGPU failed');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/, { timeout: 120_000 });
});
