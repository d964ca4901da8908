/**
 * A person scores a photo larger than the app's 2048 px working copy in the reference image mode:
 * the model worker decodes the file again at full size, so anyres tiles the photo as transformers
 * would tile the original, not the working copy. The score card names the grid, the picture size
 * it was cut from and the image tokens. Fixture model, WASM.
 *
 * Expected figures worked by hand from LLaVA-OneVision's formula (384 px tiles, 27 features per
 * tile side, pinpoints 384·i × 384·j up to 6 × 6, anyres_max_9), not read from the app. A 4K photo
 * (3840 × 2160) is used because both its grid and its token count differ from its working copy's:
 * - 3840 × 2160: the 1536 × 2304 (h × w) pinpoint keeps the most pixels with the least waste:
 *   4 × 6 tiles, 25 images; features 108 × 162, unpadded to 92 × 162 (int(2160·162/3840) = 91
 *   rows hold the picture, padding (108 − 91) // 2 = 8 a side), capped (√(92·162 / 6561) = 1.507)
 *   to 61 × 107; 729 + 61·107 + 61 = 7 317 tokens.
 * - its 2048 × 1152 working copy: 1152 × 2304, 3 × 6 tiles, 19 images, 81 × 144 capped to
 *   60 × 108: 7 269 tokens.
 * (A 4000 × 3000 photo gets 5 × 6 tiles and its working copy 4 × 6, but both end at 70 × 93 after
 * the cap, 7 309 tokens: only the grid would tell them apart. bench:anyres shows its 5 × 6.)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { FIXTURE_MODEL_ID } from '../scripts/model-graphs/fixture-model.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';

test('reference mode tiles a 3840 × 2160 photo at its full size', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const dir = testInfo.outputPath('photos');
  mkdirSync(dir, { recursive: true });
  const photo = join(dir, 'photo-3840x2160.jpg');
  await sharp(testPhoto(TEST_PHOTOS.jpeg24mp))
    .resize(3840, 2160, { fit: 'cover' })
    .jpeg({ quality: 85 })
    .toFile(photo);

  await openApp(page, {
    model: `local:${FIXTURE_MODEL_ID}`,
    device: 'wasm',
    imageMode: 'reference',
    maxTokens: '4',
  });
  await loadModel(page);
  await pickPhotos(page, photo);
  await expect(page.getByTestId('score-image-mode')).toHaveText(
    'Reference (anyres), 7317 image tokens',
    { timeout: 150_000 },
  );
  await expect(page.getByTestId('score-anyres-tiles')).toHaveText(
    '4 × 6 of the photo at 3840 × 2160 px, 25 images encoded',
  );
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
});
