/**
 * The app runs under a strict Content Security Policy: the preview server sends it (and the build
 * carries it as a <meta> tag), a script injected into the page is refused and reported, and the
 * whole journey — download, score, description, a question, the share panel — runs without a
 * single violation in the page or its workers. Every other journey runs under the same policy.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import {
  contentSecurityPolicy,
  extraConnectSources,
} from '../src/offline/worker/content-policy.ts';
import { E2E_CONNECT_SRC } from '../playwright.config.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

const DIST = resolve(`.cache/e2e-dist-${process.env.E2E_APP_PORT ?? 4173}`);
/** What playwright.config.ts gives the build: the Hub stand-in's origins. */
const CONNECT = extraConnectSources({ CSP_CONNECT_SRC: E2E_CONNECT_SRC });
const EXPECTED = contentSecurityPolicy({ connect: CONNECT });
const EXPECTED_META = contentSecurityPolicy({ connect: CONNECT, meta: true });

/**
 * Collects the browser's "Refused to …" reports from the page and every worker it starts (the
 * model worker and the pixels worker, where downloads and decoders run).
 */
function recordRefusals(page: Page): string[] {
  const refusals: string[] = [];
  const keep = (text: string) => {
    if (/Content Security Policy/i.test(text)) refusals.push(text);
  };
  page.on('console', (message) => keep(message.text()));
  page.on('worker', (worker) => worker.on('console', (message) => keep(message.text())));
  return refusals;
}

test('the preview server sends the policy with the page, its scripts and the service worker', async ({
  page,
  request,
}) => {
  for (const path of ['/', '/sw.js', '/manifest.webmanifest']) {
    const response = await request.get(path);
    expect(response.ok(), path).toBe(true);
    expect(response.headers()['content-security-policy'], path).toBe(EXPECTED);
  }
  // The built page carries it too (for hosts without headers), before any script, and has no
  // inline script of its own.
  const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
  expect(html.indexOf('Content-Security-Policy')).toBeGreaterThan(0);
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  await openApp(page);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    EXPECTED_META,
  );
});

test('an injected inline script is refused and reported; the app still scores, describes and answers', async ({
  page,
}) => {
  const refusals = recordRefusals(page);
  await openApp(page, { device: 'wasm', maxTokens: '12' });

  // What a cross-site scripting hole would run: a script element and an inline event handler.
  const injected = await page.evaluate(async () => {
    const seen: { directive: string; blocked: string }[] = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI }),
    );
    const script = document.createElement('script');
    script.textContent = 'window.__injectedRan = true;';
    document.body.append(script);
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="./no-such-image.png" onerror="window.__handlerRan = true">';
    document.body.append(holder);
    // Violation events are dispatched in a task after the attempt; the image fails first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ran = window as { __injectedRan?: boolean; __handlerRan?: boolean };
    return { seen, inlineRan: ran.__injectedRan === true, handlerRan: ran.__handlerRan === true };
  });
  expect(injected.inlineRan).toBe(false);
  expect(injected.handlerRan).toBe(false);
  // Reported once per policy (the header and the page's <meta> tag each enforce one).
  expect([...new Set(injected.seen.map((v) => `${v.directive} ${v.blocked}`))]).toEqual([
    'script-src-elem inline',
    'script-src-attr inline',
  ]);
  const injectedRefusals = refusals.length;
  expect(injectedRefusals).toBeGreaterThanOrEqual(2);

  // The whole journey still works under the policy, with nothing else refused.
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.heic));
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await page.getByRole('textbox', { name: 'Your question' }).fill('Is the image blurry?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('chat-exchange').getByTestId('answer-confidence')).toBeVisible();
  await page.getByTestId('strip-item').nth(1).getByRole('button').first().click();
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  expect(refusals.slice(injectedRefusals)).toEqual([]);
});

test('a link naming a mirror the site does not allow: refused up front with a reason, the Hub used, nothing asked of it', async ({
  page,
}) => {
  const refusals = recordRefusals(page);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await openApp(page, { device: 'wasm', maxTokens: '8', hub: 'https://mirror.example.org/' });
  const notice = page.getByTestId('model-notice');
  await expect(notice).toContainText('mirror.example.org was refused');
  await expect(notice).toContainText('security policy');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await expect(page.getByTestId('download-host')).toHaveText('huggingface.co');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('photo-canvas')).toBeVisible();
  expect(requested.filter((url) => url.includes('mirror.example.org/'))).toEqual([]);
  expect(refusals).toEqual([]);
});
