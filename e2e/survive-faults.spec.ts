/**
 * Things fail underneath: a worker dies in the middle of its work. The fault is injected into the
 * real worker (an uncaught error thrown inside it, as a crash of its code would), and the person
 * sees the app recover: the model is loaded again and the photo scored, the photo being read is
 * read again, a description cut off says so and can be written again.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

/** The app's worker with this name ('model' or 'pixels'). */
async function workerNamed(page: Page, name: string): Promise<Worker> {
  await expect
    .poll(async () => {
      for (const w of page.workers()) {
        if ((await w.evaluate(() => self.name).catch(() => '')) === name) return true;
      }
      return false;
    })
    .toBe(true);
  for (const w of page.workers()) {
    if ((await w.evaluate(() => self.name).catch(() => '')) === name) return w;
  }
  throw new Error(`no ${name} worker`);
}

/** Makes the worker's code throw an uncaught error, as a crash inside it would. */
async function crash(worker: Worker) {
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('injected crash');
    }, 0);
  });
}

test('the model worker crashing mid-score: the model is loaded again and the photo scored', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  const model = await workerNamed(page, 'model');
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg), testPhoto(TEST_PHOTOS.png));
  await expect(page.getByTestId('score-card')).toHaveAttribute('aria-busy', 'true');
  await crash(model);

  await expect(page.getByTestId('model-notice')).toContainText('loaded again');
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', '2');
  // The crashed worker was replaced, not reused.
  await expect.poll(() => model.evaluate(() => 1).catch(() => 'gone')).toBe('gone');
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

  await expect(description).toHaveAttribute('data-status', 'failed');
  await expect(description).toContainText('model worker stopped');
  await expect(page.getByTestId('model-ready')).toBeVisible();
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

  await expect(page.getByTestId('photo-canvas')).toHaveAttribute(
    'aria-label',
    TEST_PHOTOS.jpeg24mp,
  );
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
  await expect(page.getByTestId('photo-error')).toHaveCount(0);
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  // The first photo is still there and still measured.
  await page.getByTestId('strip-item').first().getByRole('button').first().click();
  await expect(page.getByTestId('measure-exposure')).toBeVisible();
});
