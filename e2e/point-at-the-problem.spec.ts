/**
 * A person asks where a problem is. "Where is the blur?" in the chat gets a free-text answer,
 * which from the fixture's random weights is garbled: no box is drawn and the app says why. Then
 * "Show on photo" on the sharpness row draws a box over the photo with its label and how sure the
 * model was (constrained decoding, so the box always parses). Fixture model (random weights, real
 * vocabulary) on WASM: the box is arbitrary, the path the real one.
 */
import { expect, test } from '@playwright/test';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { expectAccessible } from './support/axe.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

test('a box is drawn for a parseable answer with its confidence, and none for a garbled one', async ({
  page,
}) => {
  await openApp(page, { device: 'wasm', maxTokens: '8' });
  await loadModel(page);
  await pickPhotos(page, testPhoto(TEST_PHOTOS.landscapeJpeg));
  const panel = page.getByTestId('attribute-panel');
  await expect(panel).toHaveAttribute('data-status', 'done');

  // Free text: the fixture's answer has no coordinates, so it stays text and no box is drawn.
  await expect(page.getByTestId('description')).toHaveAttribute('data-status', 'done');
  await page.getByRole('textbox', { name: 'Your question' }).fill('Where is the blur?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const exchange = page.getByTestId('chat-exchange').last();
  await expect(exchange).toHaveAttribute('data-status', 'done');
  await expect(exchange.getByTestId('chat-answer')).not.toBeEmpty();
  console.info(
    `fixture's answer to "Where is the blur?": ${JSON.stringify(await exchange.getByTestId('chat-answer').textContent())}`,
  );
  const grounding = exchange.getByTestId('answer-grounding');
  await expect(grounding).toHaveAttribute('data-outcome', 'none');
  await expect(grounding).toContainText('No box drawn: The answer has no coordinates');
  const note = page.getByTestId('region-note');
  await expect(note).toHaveAttribute('data-outcome', 'none');
  await expect(note).toContainText('No box drawn:');
  await expect(note).toContainText('shown as text only');
  await expect(page.getByTestId('region-box')).toHaveCount(0);

  // Constrained: the model writes [0.##, 0.##, 0.##, 0.##] and the box lands on the photo.
  await panel.getByRole('button', { name: 'Show on photo: Sharpness / focus' }).click();
  await expect(note).toHaveAttribute('data-outcome', 'box');
  const box = page.getByTestId('region-box');
  await expect(box).toBeVisible();
  await expect(box).toContainText('Sharpness / focus');
  await expect(note).toContainText(/the box \[0\.\d\d, 0\.\d\d, 0\.\d\d, 0\.\d\d\] marks/);
  await expect(note).toContainText('each on average');
  const perToken = Number(await note.getAttribute('data-per-token'));
  const joint = Number(await note.getAttribute('data-joint'));
  expect(perToken).toBeGreaterThan(0);
  expect(perToken).toBeLessThanOrEqual(1);
  expect(joint).toBeLessThanOrEqual(perToken);

  // Drawn where the coordinates say, as fractions of the photo on screen.
  const fractions = JSON.parse((await box.getAttribute('data-box')) ?? '{}') as Record<
    'x1' | 'y1' | 'x2' | 'y2',
    number
  >;
  const photo = (await page.getByTestId('photo-canvas').boundingBox())!;
  const drawn = (await box.boundingBox())!;
  expect(Math.abs(drawn.x - (photo.x + fractions.x1 * photo.width))).toBeLessThan(2);
  expect(Math.abs(drawn.y - (photo.y + fractions.y1 * photo.height))).toBeLessThan(2);
  expect(Math.abs(drawn.width - (fractions.x2 - fractions.x1) * photo.width)).toBeLessThan(2);
  expect(Math.abs(drawn.height - (fractions.y2 - fractions.y1) * photo.height)).toBeLessThan(2);
  // The chat's own note stays beside its answer; axe sees both at once.
  await expect(grounding).toHaveAttribute('data-outcome', 'none');
  await expectAccessible(page, 'a box on the photo, and an answer with none');
});
