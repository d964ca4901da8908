/**
 * Reference (anyres) mode's numerics in the browser: the app's own model worker in headless
 * Chromium (the eval page, WASM, fp32, the converted tiny checkpoint) scores a photo, and its five
 * level logits are held to the TypeScript reference forward pass (anyres-reference.ts, float64)
 * within 1e-4 — the same bound and reference as the Node test (anyres-numerics.test.ts), so the
 * browser's decode, Pillow resize in the worker, onnxruntime-web and packing are all inside the check.
 *
 * The photo is a lossless PNG, so Chromium and sharp decode the very same pixels. (The fast mode
 * is not held to this bound: transformers.js resizes through the canvas in a browser and through
 * sharp in Node, and the two paths' level logits differed by 8e-3 on this photo.)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import type { QualityModel } from '../../src/model/worker/quality-model.ts';
import { openEvalBrowser, type EvalBrowser } from '../eval/browser.ts';
import { ensureTestPhotos, photoPath } from '../test-photos.ts';
import { openConvertedCheckpoint, photo, referenceAnyresLogits } from './anyres-reference.ts';
import { CONVERTED_MODEL_NAME } from './e2e-model.ts';
import type { Params } from './reference-forward.ts';

let model: QualityModel;
let params: Params;
let browser: EvalBrowser;
let folder: string;

/** A 3:2 crop of a real photo: reference mode tiles it (base picture plus a 2 × 1 grid). */
const PHOTO = 'landscape-600x400.png';

beforeAll(async () => {
  ({ model, params } = await openConvertedCheckpoint());
  await ensureTestPhotos();
  folder = mkdtempSync(join(tmpdir(), 'anyres-browser-'));
  mkdirSync(folder, { recursive: true });
  await sharp(photoPath('landscapeJpeg'))
    .rotate()
    .extract({ left: 300, top: 200, width: 600, height: 400 })
    .removeAlpha()
    .png()
    .toFile(join(folder, PHOTO));
  browser = await openEvalBrowser({
    photoFolders: [folder],
    model: `local:${CONVERTED_MODEL_NAME}`,
    browserArgs: [],
    log: (line) => console.log(`[eval] ${line}`),
    // Its own build: the eval test (scripts/eval/eval.test.ts) may run beside this one.
    outDir: '.cache/eval-dist-numerics',
  });
  await browser.call('load', {
    model: browser.model,
    device: 'wasm',
    precision: 'fp32',
    hubHost: 'https://huggingface.co/',
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('in the browser, reference mode scores exactly as the reference does', () => {
  it('reference mode: level logits equal the TypeScript anyres reference within 1e-4', async () => {
    const image = await photo(join(folder, PHOTO));
    const scored = await browser.call('score', browser.photoUrl(0, PHOTO), 'reference');
    expect(scored.imageMode).toBe('reference');
    expect([scored.width, scored.height]).toEqual([600, 400]);
    // The level words are the vocabulary's, as the Node model looks them up.
    expect(scored.levelTokenIds).toEqual(model.levelTokenIds(QSIT_RECIPE));
    // The app's Node path encodes the photo first; the reference reads the prompt it builds.
    const node = await model.score('browser-reference', image, QSIT_RECIPE);
    const reference = await referenceAnyresLogits(model, params, 'browser-reference', image);
    expect(node.imageTokens).toBe(reference.imageTokens);
    expect(scored.imageTokens).toBe(reference.imageTokens);
    expect(reference.images).toBeGreaterThan(1);
    const diffs = scored.levelTokenIds.map((id, i) =>
      Math.abs(scored.levelLogits[i]! - reference.logits[id]!),
    );
    console.log(
      `browser reference mode, ${reference.imageTokens} image tokens: max diff`,
      ...diffs,
    );
    expect(Math.max(...diffs)).toBeLessThan(1e-4);
  }, 600_000);
});
