/**
 * Things fail underneath: a worker dies or hangs in the middle of its work. The fault is injected
 * into the real worker (an uncaught error thrown inside it, as a crash of its code would; a busy
 * loop or a call that never answers, as a stuck run would; see support/faults.ts), and the person
 * sees the app recover: the model is loaded again and the photo scored, the photo being read is
 * read again, a description cut off says so and can be written again, a photo that stops the
 * model every time is marked failed while the others are scored.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import {
  hubRequests,
  loadModel,
  openApp,
  pickPhotos,
  resetHubLog,
  startDownload,
  testPhoto,
} from './support/app.ts';
import { crash, injectFault, isGone, workerNamed } from './support/faults.ts';

/** Seconds since `from` (performance.now()), for the recovery figures each journey prints. */
const since = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

test('the model worker crashing mid-score: the model is loaded again and the photo scored', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  const model = await workerNamed(page, 'model');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('score-card')).toHaveAttribute('aria-busy', 'true');
  await crash(model);
  const crashed = performance.now();

  await expect(page.getByTestId('model-notice')).toContainText('loaded again');
  await expect(page.getByTestId('model-ready')).toBeVisible();
  const reloaded = since(crashed);
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '2');
  console.log(
    `model worker crash mid-score: model loaded again ${reloaded} s after the crash, both photos scored after ${since(crashed)} s`,
  );
  // The crashed worker was replaced, not reused.
  await expect.poll(() => isGone(model)).toBe('gone');
});

test('the model worker crashing mid-description: the description says so and can be written again', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '3000', context: '4096' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const description = page.getByTestId('description');
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('description-text')).not.toBeEmpty();
  await crash(await workerNamed(page, 'model'));
  const crashed = performance.now();

  await expect(description).toHaveAttribute('data-status', 'failed');
  await expect(description).toContainText('model worker stopped');
  const told = since(crashed);
  await expect(page.getByTestId('model-ready')).toBeVisible();
  console.log(
    `model worker crash mid-description: marked failed after ${told} s, model ready again after ${since(crashed)} s`,
  );
  // The score is kept; the description is written again on request.
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await description.getByRole('button', { name: 'Regenerate' }).click();
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await description.getByRole('button', { name: 'Stop' }).click();
});

test('the pixels worker crashing mid-decode: the photo is read again and nothing else is lost', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm' });
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
  const pixels = await workerNamed(page, 'pixels');
  // A 24 MP photo takes long enough to read that the crash lands in the middle of it.
  await pickPhotos(page, testPhoto(TEST_PHOTOS.jpeg24mp));
  await expect(page.getByText('Reading the photo…')).toBeVisible();
  await crash(pixels);
  const crashed = performance.now();

  await expect(page.getByTestId('photo-canvas')).toHaveAttribute(
    'aria-label',
    TEST_PHOTOS.jpeg24mp,
  );
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
  console.log(
    `pixels worker crash mid-decode: the 24 MP photo read again and measured ${since(crashed)} s after the crash`,
  );
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  // The first photo is still there and still measured.
  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
});

/** Seconds of silence after which the hang journeys' model worker counts as hung (?hang=). */
const HANG_SECONDS = '20';

test('the model worker hanging mid-score: it is replaced, the model loaded again, both photos scored', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '4', hang: HANG_SECONDS });
  await expect(page.getByTestId('model-notice')).toContainText('hang limit to 20 s');
  await loadModel(page);
  const model = await workerNamed(page, 'model');
  // The first score the worker starts never returns: its thread loops forever.
  expect(await injectFault(model, { request: 'score', after: 'started', then: 'busy' })).toBe(true);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  const picked = performance.now();
  await expect(page.getByTestId('score-card')).toHaveAttribute('aria-busy', 'true');

  await expect(page.getByTestId('model-notice')).toContainText(
    'The model worker stopped (it did not answer for 20 s). It was loaded again by itself.',
  );
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '2');
  console.log(
    `model worker hung mid-score (hang limit ${HANG_SECONDS} s): both photos scored ${since(picked)} s after they were added`,
  );
  // Nothing else was lost: the photo's measures are still there, and the stuck worker is gone.
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
  await expect.poll(() => isGone(model)).toBe('gone');
});

test('the model worker stuck while idle: the next score finds it silent, replaces it, and the photo is scored', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '4', hang: HANG_SECONDS });
  await loadModel(page);
  const model = await workerNamed(page, 'model');
  // Between calls, with nothing asked of it, the worker's thread starts looping forever.
  await model.evaluate(() => {
    setTimeout(() => {
      for (;;);
    }, 0);
  });
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const picked = performance.now();

  await expect(page.getByTestId('model-notice')).toContainText(
    'The model worker stopped (it did not answer for 20 s). It was loaded again by itself.',
  );
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect.poll(() => isGone(model)).toBe('gone');
  console.log(
    `model worker stuck while idle (hang limit ${HANG_SECONDS} s): found by the next score, replaced, photo scored ${since(picked)} s after it was added`,
  );
});

test('the model worker hanging mid-description: the description says so and can be written again', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '3000', context: '4096', hang: HANG_SECONDS });
  await loadModel(page);
  // After its first words the description never answers again (the thread lives on, silent).
  const model = await workerNamed(page, 'model');
  const fault = { request: 'generate', after: 'generation-delta', then: 'silent' } as const;
  expect(await injectFault(model, fault)).toBe(true);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const description = page.getByTestId('description');
  await expect(page.getByTestId('description-text')).not.toBeEmpty();
  const silent = performance.now();

  await expect(description).toHaveAttribute('data-status', 'failed');
  await expect(description).toContainText('The model worker stopped (it did not answer for 20 s).');
  console.log(
    `model worker silent mid-description (hang limit ${HANG_SECONDS} s): marked failed ${since(silent)} s after its first words`,
  );
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await expect.poll(() => isGone(model)).toBe('gone');
  // The score is kept; the description is written again on request, by the fresh worker.
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await description.getByRole('button', { name: 'Regenerate' }).click();
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await description.getByRole('button', { name: 'Stop' }).click();
  await expect(description).toHaveAttribute('data-status', 'stopped');
});

test('a photo whose scoring crashes the model worker twice is marked failed; the other is scored', async ({
  page,
}) => {
  // The first two model workers crash as soon as they start a score; the third does not.
  let armed = 0;
  page.on('worker', (worker) => {
    if (armed >= 2) return;
    void injectFault(worker, { request: 'score', after: 'started', then: 'crash' }).then(
      (isModel) => void (isModel && (armed += 1)),
      () => {},
    );
  });
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  await expect.poll(() => armed).toBe(1);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  const picked = performance.now();

  // The photo on screen is scored first: its score crashes the worker, and again after the reload.
  const card = page.getByTestId('score-card');
  await expect(card).toContainText(
    'Scoring this photo stopped the model worker twice, so it was not tried a third time. ' +
      'Last time: the model worker stopped (',
  );
  await expect(card).toContainText('injected crash');
  await expect(card).toContainText('The other photos are scored as usual.');
  expect(armed).toBe(2);
  // The third worker scores the other photo.
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '1');
  console.log(
    `a photo crashing the model worker twice: marked failed, the other scored ${since(picked)} s after both were added (3 workers)`,
  );
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await page.getByTestId('strip-item').nth(1).getByRole('button').first().click();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  // Try again on the failed photo scores it now.
  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await card.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '2');
});

/** The fixture model's folder, which the Hub stand-in serves (scripts/hub-server.ts). */
const FIXTURE_ONNX = resolve('public/models/llava-onevision-fixture/onnx');

for (const percent of [30, 95]) {
  test(`a model download cut at ${percent} %: continued where it stopped, nothing truncated kept, the model scores`, async ({
    page,
  }) => {
    // The Hub stand-in cuts the first download of each ONNX file after `percent` % of its bytes.
    const repo = `test/cut-at-${percent}`;
    await resetHubLog();
    await openApp(page, { device: 'wasm', maxTokens: '4', model: repo });
    await startDownload(page);
    const began = performance.now();
    await expect(page.getByTestId('model-ready')).toBeVisible();
    // WASM loads the q8 files: three ONNX files, each cut once and continued once.
    const files = readdirSync(FIXTURE_ONNX).filter((f) => f.endsWith('_quantized.onnx'));
    expect(files).toHaveLength(3);
    await expect(page.getByTestId('download-resumed')).toContainText(
      'The connection dropped during the download 3 times; each time it was continued where it stopped',
    );
    const onDisk = Object.fromEntries(
      files.map((f) => {
        const bytes = readFileSync(join(FIXTURE_ONNX, f));
        return [
          f,
          { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
        ];
      }),
    );
    // Each file was asked for once whole, then once from the byte where what arrived stopped
    // (HTTP Range). The browser may drop bytes that came just before a cut (here up to a few MB),
    // so that byte is at most the cut; for the large files it is past the start: they were
    // continued, not started over.
    const log = await hubRequests();
    for (const f of files) {
      const cut = Math.floor((onDisk[f]!.bytes * percent) / 100);
      // (transformers.js also asks for byte 0 alone to learn a file's size.)
      const asked = log.filter(
        (line) =>
          line.startsWith('GET ') && line.includes(`/onnx/${f}`) && !line.endsWith('(bytes=0-0)'),
      );
      expect(asked, f).toHaveLength(2);
      expect(asked[0], f).toBe(`GET /${repo}/resolve/main/onnx/${f}`);
      const from = Number(/\(bytes=(\d+)-\)$/.exec(asked[1]!)?.[1] ?? NaN);
      expect(from, f).toBeLessThanOrEqual(cut);
      if (onDisk[f]!.bytes > 1_000_000) expect(from, f).toBeGreaterThan(0);
    }
    // The browser's cache holds every model file whole: the host's length and SHA-256.
    const cached = await page.evaluate(async () => {
      const cache = await caches.open('transformers-cache');
      const entries: Record<string, { bytes: number; sha256: string }> = {};
      for (const request of await cache.keys()) {
        if (!request.url.endsWith('.onnx')) continue;
        const body = await (await cache.match(request))!.arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
        const sha256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
        entries[request.url.split('/').pop()!] = { bytes: body.byteLength, sha256 };
      }
      return entries;
    });
    expect(cached).toEqual(onDisk);
    console.log(
      `download cut at ${percent} %: ${files.length} files continued by Range request, model ready ${since(began)} s after the download began`,
    );
    // And the model that was loaded scores.
    await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
    await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  });
}

test('the GPU device lost mid-score: the app says so, loads the model on a new device and scores @webgpu', async ({
  page,
}) => {
  await openApp(page, { maxTokens: '4', device: 'webgpu', model: 'local:llava-onevision-fixture' });
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('model-backend')).toHaveText('WebGPU');
  const model = await workerNamed(page, 'model');
  // The device onnxruntime-web uses is the one its next GPU work is recorded on: destroy it then,
  // in the middle of the photo's score, as a GPU reset would take it away.
  await model.evaluate(() => {
    const proto = GPUDevice.prototype;
    const original = proto.createCommandEncoder;
    proto.createCommandEncoder = function (this: GPUDevice, ...args) {
      proto.createCommandEncoder = original;
      setTimeout(() => this.destroy(), 0);
      return original.apply(this, args);
    };
  });
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const picked = performance.now();

  await expect(page.getByTestId('model-notice')).toContainText(
    'The GPU device running the model was lost (destroyed',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('model-notice')).toContainText(
    'The model was loaded again on a new GPU device.',
  );
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('model-backend')).toHaveText('WebGPU');
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/, { timeout: 120_000 });
  await expect(page.getByTestId('score-meta')).toContainText('WebGPU');
  await expect.poll(() => isGone(model)).toBe('gone');
  console.log(
    `GPU device lost mid-score: reloaded on a new device and scored ${since(picked)} s after the photo was added`,
  );
});
