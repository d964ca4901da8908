/**
 * Everything the browser journeys need, generated before Playwright starts the servers: the fixture
 * model in public/models/ (served by the app as a local folder, and by the Hub stand-in under the
 * default model's id) and the real test photos in .cache/photos/. Both steps skip when up to date.
 */
import { resolve } from 'node:path';
import {
  FIXTURE_MODEL_ID,
  OPINIONATED_FIXTURE,
  OPINIONATED_FIXTURE_ID,
  writeFixtureModel,
} from './model-graphs/fixture-model.ts';
import { ensureShootPhotos, SHOOT_E2E } from './shoot-photos.ts';
import { ensureTestPhotos } from './test-photos.ts';

export const E2E_FIXTURE_DIR = resolve('public/models', FIXTURE_MODEL_ID);

const started = performance.now();
const fixture = writeFixtureModel(E2E_FIXTURE_DIR, ['fp32', 'q4', 'q8', 'fp16']);
// rate-the-attributes.spec.ts: a model that rates everything 5 / 5, to disagree with the pixels.
writeFixtureModel(
  resolve('public/models', OPINIONATED_FIXTURE_ID),
  ['fp32'],
  false,
  OPINIONATED_FIXTURE,
);
await ensureTestPhotos();
await ensureShootPhotos(SHOOT_E2E.count, SHOOT_E2E.longSide); // drop-a-shoot.spec.ts
await (await import('./raw-samples.ts')).ensureRawSamples(); // bring-in-a-shoot.spec.ts
await (await import('./convert/e2e-model.ts')).ensureConvertedTestModel(); // converted Q-SiT-mini stand-in
console.log(
  `e2e set-up: fixture ${fixture.skipped ? 'up to date' : 'written'} in ${E2E_FIXTURE_DIR}, photos ready (${Math.round(performance.now() - started)} ms)`,
);
