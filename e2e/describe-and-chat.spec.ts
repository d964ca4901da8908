/**
 * A person reads why a photo got its score and asks about it: the description streams in by
 * itself after the score, Stop halts it for good, the chat sends the whole conversation, closed
 * questions show a confidence, and each photo keeps its own description and chat. Fixture model
 * (random weights, real vocabulary) on WASM: the words are random, the flow is real.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

/** Opens the app, loads the model and adds a photo; resolves once it is scored. */
async function scoredPhoto(page: Page, params: Record<string, string>, photo: string) {
  await openApp(page, { device: 'wasm', ...params });
  await loadModel(page);
  await pickPhotos(page, testPhoto(photo));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
}

/** Starts recording the description's text length at every DOM change, with timestamps. */
async function recordDescriptionGrowth(page: Page) {
  await page.evaluate(() => {
    const samples: { t: number; length: number }[] = [];
    (window as unknown as { __growth: typeof samples }).__growth = samples;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="description-text"]')?.textContent ?? '';
      if (samples.at(-1)?.length !== text.length) {
        samples.push({ t: performance.now(), length: text.length });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function descriptionGrowth(page: Page) {
  return page.evaluate(
    () => (window as unknown as { __growth: { t: number; length: number }[] }).__growth,
  );
}

async function ask(page: Page, question: string) {
  await page.getByRole('textbox', { name: 'Your question' }).fill(question);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
}

test('the description streams in by itself after the score, with tokens/s', async ({ page }) => {
  await openApp(page, { device: 'wasm', maxTokens: '60' });
  await loadModel(page);
  await recordDescriptionGrowth(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);

  const description = page.getByTestId('description');
  await expect(description).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('description-tokens')).toHaveText('60 tokens');
  await expect(page.getByTestId('description-rate')).toHaveText(/^\d+(\.\d)? tokens\/s$/);
  expect(
    Number.parseFloat((await page.getByTestId('description-rate').textContent()) ?? ''),
  ).toBeGreaterThan(0);
  await expect(description).toContainText('reached the length limit');
  console.info(`description on WASM: ${await page.getByTestId('description-meta').textContent()}`);

  // The text grew in many steps over time, not all at once.
  const growth = await descriptionGrowth(page);
  const lengths = growth.map((s) => s.length);
  expect(lengths.length).toBeGreaterThanOrEqual(5);
  for (let i = 1; i < lengths.length; i++) expect(lengths[i]).toBeGreaterThan(lengths[i - 1]!);
  expect(growth.at(-1)!.t - growth[0]!.t).toBeGreaterThan(50);

  // The photo was encoded once, for the score; the description reused its features.
  await page.getByTestId('last-prompt').locator('summary').click();
  await expect(page.getByTestId('last-prompt')).toContainText('photo features reused');
  const prompt = page.getByTestId('last-prompt-text');
  await expect(prompt).toContainText(
    '<image>×729\nDescribe and evaluate the quality of the image.',
  );

  // Regenerate draws a new description.
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(description).toHaveAttribute('data-status', /waiting|streaming/);
  await expect(description).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('description-tokens')).toHaveText('60 tokens');
});

/** What the model worker itself posted about its text generations (see watchModelWorker). */
interface WorkerGeneration {
  started: number[];
  deltas: { id: number; tokens: number }[];
  finished: { id: number; stopReason: string; tokens: number }[];
}

/**
 * Records, inside the model worker, every generation event it posts (by wrapping its
 * postMessage), so a test reads what the worker did rather than what the page shows: the page
 * marks a run "stopped" as soon as Stop is pressed, whatever the worker goes on doing.
 */
async function watchModelWorker(page: Page) {
  let model: Worker | undefined;
  await expect
    .poll(async () => {
      // onnxruntime's thread workers (ort/…mjs) sit in WebAssembly waits and never answer.
      for (const worker of page.workers().filter((w) => !w.url().includes('/ort/'))) {
        if ((await worker.evaluate(() => self.name).catch(() => '')) === 'model') model = worker;
      }
      return model !== undefined;
    })
    .toBe(true);
  await model!.evaluate(() => {
    const log = { started: [], deltas: [], finished: [] } as WorkerGeneration;
    (self as unknown as { __generation: WorkerGeneration }).__generation = log;
    const scope = self as unknown as { postMessage: (message: unknown, transfer?: []) => void };
    const post = scope.postMessage.bind(scope);
    scope.postMessage = (message, transfer) => {
      const event = message as {
        type: string;
        id: number;
        tokens?: number;
        result?: { stopReason: string; tokens: number };
      };
      if (event.type === 'generation-started') log.started.push(event.id);
      if (event.type === 'generation-delta')
        log.deltas.push({ id: event.id, tokens: event.tokens! });
      if (event.type === 'generated') {
        log.finished.push({ id: event.id, ...event.result! });
      }
      post(message, transfer);
    };
  });
  return () =>
    model!.evaluate(() => (self as unknown as { __generation: WorkerGeneration }).__generation);
}

test('Stop halts the description in the worker at once and the model answers the next question', async ({
  page,
}) => {
  // 3,000 tokens: minutes at this model's WASM speed, so a run that was not really stopped would
  // still be going (or end at the length limit) when the worker is asked below.
  await openApp(page, { device: 'wasm', maxTokens: '3000', context: '4096' });
  await loadModel(page);
  const workerLog = await watchModelWorker(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const description = page.getByTestId('description');
  const text = page.getByTestId('description-text');
  await expect(description).toHaveAttribute('data-status', 'streaming');
  await expect.poll(async () => ((await text.textContent()) ?? '').length).toBeGreaterThan(10);

  await description.getByRole('button', { name: 'Stop' }).click();
  await expect(description).toHaveAttribute('data-status', 'stopped');
  await expect(description).toContainText('stopped');

  // The worker ended that very run, for the reason "cancelled", within seconds, after a few
  // tokens more at most (the one being computed when Stop arrived) — not at the length limit.
  const runId = (await workerLog()).started[0]!;
  await expect
    .poll(async () => (await workerLog()).finished.find((f) => f.id === runId), { timeout: 10_000 })
    .toBeDefined();
  const log = await workerLog();
  const finished = log.finished.find((f) => f.id === runId)!;
  const lastDelta = log.deltas.filter((d) => d.id === runId).at(-1)!;
  console.info(`stopped in the worker: ${JSON.stringify(finished)}`);
  expect(finished.stopReason).toBe('cancelled');
  expect(finished.tokens).toBeGreaterThan(0);
  expect(finished.tokens).toBeLessThan(3000);
  expect(finished.tokens - lastDelta.tokens).toBeLessThanOrEqual(5);
  // And nothing of it was posted afterwards.
  await page.waitForTimeout(500);
  expect((await workerLog()).deltas.filter((d) => d.id === runId).at(-1)).toEqual(lastDelta);

  // The worker is free: a question is prefilled (its confidence shows).
  await ask(page, 'Is the image blurry?');
  const exchange = page.getByTestId('chat-exchange');
  await expect(exchange.getByTestId('answer-confidence')).toBeVisible();
  await page.getByTestId('chat').getByRole('button', { name: 'Stop' }).click();
  await expect(exchange).toHaveAttribute('data-status', 'stopped');
  await expect(page.getByRole('button', { name: 'Regenerate' })).toBeEnabled();
});

test('a second question reaches the model with the first in its prompt; yes/no shows a confidence', async ({
  page,
}) => {
  await scoredPhoto(page, { maxTokens: '24' }, TEST_PHOTOS.landscapeJpeg);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');

  await page.getByTestId('suggested-question').filter({ hasText: 'Is the image blurry?' }).click();
  const first = page.getByTestId('chat-exchange').nth(0);
  await expect(first).toHaveAttribute('data-status', 'done');
  const confidence = first.getByTestId('answer-confidence');
  await expect(confidence).toContainText('Yes');
  await expect(confidence).toContainText('No');
  const percents = (await confidence.locator('.answer-confidence__value').allTextContents()).map(
    (t) => Number.parseFloat(t),
  );
  expect(percents).toHaveLength(2);
  expect(Math.abs(percents[0]! + percents[1]! - 100)).toBeLessThanOrEqual(1);
  const firstAnswer = (await first.getByTestId('chat-answer').textContent()) ?? '';
  const debug = page.getByTestId('last-prompt');
  const firstTokens = Number(await page.getByTestId('last-prompt-tokens').textContent());

  await ask(page, 'How is the exposure?');
  const second = page.getByTestId('chat-exchange').nth(1);
  await expect(second).toHaveAttribute('data-status', 'done');
  await expect(second.getByTestId('answer-confidence')).toHaveCount(0);

  await debug.locator('summary').click();
  const prompt = (await page.getByTestId('last-prompt-text').textContent()) ?? '';
  expect(Number(await page.getByTestId('last-prompt-tokens').textContent())).toBeGreaterThan(
    firstTokens,
  );
  // One photo, then the description exchange, the first question and answer, the new question.
  expect(prompt.match(/<image>×729/g)).toHaveLength(1);
  const parts = [
    'Describe and evaluate the quality of the image.',
    '<|im_start|>user\nIs the image blurry?<|im_end|>',
    `<|im_start|>assistant\n${firstAnswer}<|im_end|>`,
    '<|im_start|>user\nHow is the exposure?<|im_end|>\n<|im_start|>assistant\n',
  ];
  let from = 0;
  for (const part of parts) {
    const at = prompt.indexOf(part, from);
    expect(at, `${part} after position ${from}`).toBeGreaterThanOrEqual(from);
    from = at + part.length;
  }
  expect(from).toBe(prompt.length);

  // Clear forgets the questions, not the description.
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('chat-exchange')).toHaveCount(0);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');

  // A multiple-choice question reads its listed option letters.
  await page
    .getByTestId('suggested-question')
    .filter({ hasText: 'How is the clarity of this image?' })
    .click();
  const choice = page.getByTestId('chat-exchange').first();
  await expect(choice).toHaveAttribute('data-status', 'done');
  await expect(choice).toContainText('multiple choice');
  const letters = await choice.locator('.answer-confidence__word').allTextContents();
  expect(letters).toEqual(['A', 'B', 'C']);
});

test('when the conversation outgrows the context the oldest exchange is dropped and the person is told', async ({
  page,
}) => {
  // The description prompt is ≈ 805 tokens; with its answer and a question it exceeds 826.
  await scoredPhoto(page, { maxTokens: '24', context: '850' }, TEST_PHOTOS.landscapeJpeg);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await ask(page, 'Is the image blurry?');
  const exchange = page.getByTestId('chat-exchange').first();
  await expect(exchange).toHaveAttribute('data-status', 'done');
  await expect(exchange.getByTestId('dropped-notice')).toContainText(
    'oldest exchange was left out',
  );
  await page.getByTestId('last-prompt').locator('summary').click();
  const prompt = page.getByTestId('last-prompt-text');
  await expect(prompt).toContainText('<image>×729\nIs the image blurry?');
  await expect(prompt).not.toContainText('Describe and evaluate');
});

test('each photo keeps its own description and chat; switching recomputes nothing', async ({
  page,
}) => {
  await scoredPhoto(page, { maxTokens: '24' }, TEST_PHOTOS.landscapeJpeg);
  const description = page.getByTestId('description');
  await expect(description).toHaveAttribute('data-status', 'done');
  await ask(page, 'Is the image sharp?');
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');
  const firstDescription = await page.getByTestId('description-text').textContent();
  const firstAnswer = await page.getByTestId('chat-answer').textContent();

  await pickPhotos(page, testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  await expect(description).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('chat-exchange')).toHaveCount(0);
  await ask(page, 'Which distortion is most severe?');
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');
  const secondDescription = await page.getByTestId('description-text').textContent();
  expect(secondDescription).not.toBe(firstDescription);

  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await expect(description).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('description-text')).toHaveText(firstDescription!);
  await expect(page.getByTestId('chat-exchange')).toHaveCount(1);
  await expect(page.getByTestId('chat-exchange')).toContainText('Is the image sharp?');
  await expect(page.getByTestId('chat-answer')).toHaveText(firstAnswer!);
  // Nothing started again: no generation is running or waiting.
  await page.waitForTimeout(500);
  await expect(description).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');

  await page.getByTestId('strip-item').nth(1).getByRole('button').first().click();
  await expect(page.getByTestId('description-text')).toHaveText(secondDescription!);
  await expect(page.getByTestId('chat-exchange')).toContainText('Which distortion is most severe?');
});

test('the description and a yes/no confidence on WebGPU @webgpu', async ({ page }) => {
  // Load, score, the stopped attribute pass, a description and an answer on SwiftShader: 2–3
  // minutes on a quiet 2-core machine, so more than the project's 3.
  test.setTimeout(360_000);
  // SwiftShader needs about a second per token at the real vocabulary: a few tokens only.
  await openApp(page, { device: 'webgpu', model: 'local:llava-onevision-fixture', maxTokens: '3' });
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('model-backend')).toHaveText('WebGPU');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/, { timeout: 120_000 });
  // The attribute pass (12 prompts) runs in the text lane first; on SwiftShader that alone takes
  // minutes, so the person stops it, as they may, and the description follows.
  await page.getByRole('button', { name: 'Stop rating' }).click({ timeout: 60_000 });
  const description = page.getByTestId('description');
  await expect(description).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('description-tokens')).toHaveText('3 tokens');
  await ask(page, 'Is the image blurry?');
  const exchange = page.getByTestId('chat-exchange');
  await expect(exchange).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(exchange.getByTestId('answer-confidence')).toContainText('Yes');
  // On WebGPU too the question continued from a cache kept on the GPU: the photo's prefix (733
  // tokens) or the conversation so far.
  const prompt = page.getByTestId('last-prompt');
  await expect(prompt).toHaveAttribute('data-reused-from', /^(photo|conversation)$/);
  expect(Number(await prompt.getAttribute('data-reused-tokens'))).toBeGreaterThanOrEqual(733);
});

test('a link asking for a 999999999-token answer is limited, with a notice', async ({ page }) => {
  await openApp(page, {
    device: 'wasm',
    model: 'local:llava-onevision-fixture',
    maxTokens: '999999999',
  });
  await expect(page.getByTestId('chat-notice')).toHaveText(
    'The link asked for answers of 999999999 tokens; limited to 3072 so this tab does not run out of memory.',
  );
  await expect(page.getByTestId('model-ready')).toBeVisible();
});
