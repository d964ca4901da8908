/**
 * Everyone can use it: axe-core finds no serious or critical problem on any view (empty, one
 * photo, many photos, chat, settings, error states); a person using only the keyboard adds
 * nothing with the mouse yet reaches every control with a visible focus; the score and the
 * streamed text are announced by screen readers; colour never carries meaning alone.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';
import { expectAccessible } from './support/axe.ts';

test('no serious or critical accessibility problems on any view', async ({ page }) => {
  test.setTimeout(400_000);
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'needs-consent');
  await expectAccessible(page, 'empty, download prompt');

  await page.getByText('Model settings').click();
  await expectAccessible(page, 'settings open');

  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await expectAccessible(page, 'one photo, scored and described');

  await page.getByRole('textbox', { name: 'Your question' }).fill('Is the image sharp?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');
  await expectAccessible(page, 'chat');

  await pickPhotos(page, testPhoto(TEST_PHOTOS.png), testPhoto(TEST_PHOTOS.text));
  await expect(page.getByTestId('strip-item')).toHaveCount(3);
  await expectAccessible(page, 'many photos, one of them not a photo');
  await page.getByTestId('strip-item').nth(2).getByRole('button').first().click();
  await expect(page.getByTestId('photo-error')).toBeVisible();
  await expectAccessible(page, 'a file that could not be opened');

  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await page.getByRole('button', { name: 'Focus peaking' }).click();
  await expectAccessible(page, 'overlay on');
});

test('a model that cannot be loaded is an accessible error state too', async ({ page }) => {
  await openApp(page, { device: 'wasm', model: 'test/missing-model' });
  await expect(page.getByTestId('model-status')).toHaveAttribute(
    'data-status',
    /needs-consent|failed/,
  );
  if ((await page.getByTestId('model-status').getAttribute('data-status')) === 'needs-consent') {
    await page.getByRole('button', { name: 'Download and load the model' }).click();
  }
  await expect(page.getByTestId('model-error')).toBeVisible();
  await expectAccessible(page, 'model error');
});

/** Whether the focused element shows a focus ring (outline or box-shadow). */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== 'none'
    );
  });
}

/** Presses Tab until the focused element matches, checking each stop shows its focus. */
async function tabTo(
  page: Page,
  matches: (el: { text: string; label: string; tag: string }) => boolean,
) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const labelled = el as HTMLInputElement | null;
      return {
        text: (el?.textContent ?? '').trim(),
        label: el?.getAttribute('aria-label') ?? labelled?.labels?.[0]?.textContent?.trim() ?? '',
        tag: el?.tagName ?? '',
      };
    });
    // Past the last control focus leaves the page (to the browser) and comes back at the top.
    if (focused.tag === 'BODY') continue;
    expect(
      await focusVisible(page),
      `focus ring on ${focused.tag} “${focused.text || focused.label}”`,
    ).toBe(true);
    if (matches(focused)) return;
  }
  throw new Error('not reached by Tab');
}

test('keyboard only: photos, overlays, chat and settings are reached with Tab, with visible focus', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  // Files come from the system's picker (reached by Tab as "Add photos"); the picker itself is the
  // operating system's, so the test hands it the files.
  await tabTo(page, (el) => el.text === 'Choose photos' || el.text === 'Add photos');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '2');

  await page.locator('body').focus();
  await tabTo(page, (el) => el.text.includes(TEST_PHOTOS.png));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', TEST_PHOTOS.png);

  await tabTo(page, (el) => el.text === 'Focus peaking');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Focus peaking' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  await tabTo(page, (el) => el.label === 'Your question');
  await page.keyboard.type('Is the image noisy?');
  await page.keyboard.press('Enter');
  // The answer is finished before tabbing on, so no button disappears under the focus.
  await expect(page.getByTestId('chat-exchange')).toHaveAttribute('data-status', 'done');

  await page.locator('body').focus();
  await tabTo(page, (el) => el.text === 'Model settings');
  await page.keyboard.press('Enter');
  await tabTo(page, (el) => el.tag === 'SELECT');
});

test('the score and the streamed text are announced; level and verdict never by colour alone', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  // Live regions: the score card and the description are polite live regions.
  await expect(page.getByTestId('score-card')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('description')).toHaveAttribute('aria-live', 'polite');
  // Level bars: each level is named in text with its percentage, not only a coloured bar.
  for (const level of ['Excellent', 'Good', 'Fair', 'Poor', 'Bad']) {
    await expect(page.getByTestId('score-card')).toContainText(level);
  }
  await expect(page.getByTestId('score-card')).toContainText('%');
  // Pixel rows: each verdict is also said in words.
  const rows = page.locator('[data-testid^="measure-"][data-verdict]');
  const count = await rows.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    const verdict = await rows.nth(i).getAttribute('data-verdict');
    if (verdict === 'unknown') continue;
    await expect(rows.nth(i).getByTestId('measure-verdict')).toHaveText(/^(Good|Fair|Poor)$/);
  }
});
