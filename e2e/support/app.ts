/** Helpers for journeys through the app: open it against the Hub stand-in, add photos, wait. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { PHOTOS_DIR } from '../../scripts/test-photos.ts';

/** The Hub stand-in started by playwright.config.ts (same port variable). */
export const HUB_URL = `http://127.0.0.1:${process.env.E2E_HUB_PORT ?? 4180}/`;

/** A photo from the test set (.cache/photos, made by scripts/test-photos.ts in global set-up). */
export function testPhoto(name: string): string {
  return join(PHOTOS_DIR, name);
}

/** Opens the app with the Hub stand-in as model host; extra URL parameters as given. */
export async function openApp(page: Page, params: Record<string, string> = {}) {
  const search = new URLSearchParams({ hub: HUB_URL, ...params });
  await page.goto(`/?${search}`);
}

/** Agrees to the download when the app asks, then waits until the model is ready. */
export async function loadModel(page: Page) {
  const status = page.getByTestId('model-status');
  await expect(status).toHaveAttribute('data-status', /needs-consent|loading|ready/);
  if ((await status.getAttribute('data-status')) === 'needs-consent') {
    await page.getByRole('button', { name: 'Download and load the model' }).click();
  }
  await expect(page.getByTestId('model-ready')).toBeVisible();
}

/** Agrees to the download (for journeys where loading is expected to fail). */
export async function startDownload(page: Page) {
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await page.getByRole('button', { name: 'Download and load the model' }).click();
}

/** Adds photos through the file picker. */
export async function pickPhotos(page: Page, ...paths: string[]) {
  await page.getByTestId('photo-input').setInputFiles(paths);
}

/** Drops a file on the page the way a person drags one in from the file manager. */
export async function dropFile(page: Page, path: string, mimeType = 'image/jpeg') {
  const bytes = [...readFileSync(path)];
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return dt;
    },
    { bytes, name: basename(path), type: mimeType },
  );
  await page.getByTestId('photo-drop').dispatchEvent('drop', { dataTransfer });
}

/** Pastes a file into the page, as copying an image and pressing Ctrl+V does. */
export async function pasteFile(page: Page, path: string, mimeType = 'image/jpeg') {
  const bytes = [...readFileSync(path)];
  await page.evaluate(
    ({ bytes, name, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt }));
    },
    { bytes, name: basename(path), type: mimeType },
  );
}

/** Clears the Hub stand-in's request log. */
export async function resetHubLog() {
  await fetch(new URL('__reset', HUB_URL), { method: 'POST' });
}

/** Paths the Hub stand-in was asked for since the last reset. */
export async function hubRequests(): Promise<string[]> {
  return (await (await fetch(new URL('__requests', HUB_URL))).json()) as string[];
}
