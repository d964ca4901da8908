/**
 * Two photos in one prompt on the fixture model (fp32, Node): the image-token layout looked up
 * from the tokenizer and config, the logits through the pair's cached prefix against an
 * independent full prefill (own merge, no cache), and the mirrored layout of the swapped order.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { env, Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoPixels } from '../../../scripts/node-model.ts';
import {
  FIXTURE_MODEL_ID,
  writeFixtureModel,
} from '../../../scripts/model-graphs/fixture-model.ts';
import { ensureTestPhotos, TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { ANSWER_WORDS, compareQuestion, imageTokenRuns, renderPairPrompt } from '../compare.ts';
import { presetDtypes } from '../precision.ts';
import {
  comparePhotos,
  forgetPairsOf,
  pairEmbeddings,
  pairIds,
  pairImage,
  prefillPair,
  type PairImage,
} from './compare.ts';
import { answerTokenIds } from './generation.ts';
import { disposeKv } from './prompt-caches.ts';
import { lastLogits, QualityModel } from './quality-model.ts';
import { loadModelParts } from './runtime.ts';

const MODELS = resolve('.cache/models');
let model: QualityModel;
let a: PairImage;
let b: PairImage;
const question = compareQuestion('overall').question;

interface FixtureConfig {
  image_token_index: number;
  vision_config: { image_size: number; patch_size: number };
}
let config: FixtureConfig;

beforeAll(async () => {
  writeFixtureModel(join(MODELS, FIXTURE_MODEL_ID));
  await ensureTestPhotos();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
  // With the folder's image_newline.json, as the browser reads it (reference parts present).
  const readModelFile = (file: string) =>
    readFile(join(MODELS, FIXTURE_MODEL_ID, file), 'utf8').catch(() => null);
  model = new QualityModel(
    await loadModelParts(FIXTURE_MODEL_ID, presetDtypes('fp32'), 'cpu', undefined, readModelFile),
  );
  config = JSON.parse(
    await readFile(join(MODELS, FIXTURE_MODEL_ID, 'config.json'), 'utf8'),
  ) as FixtureConfig;
  a = await pairImage(model, 'landscape', await photoPixels(TEST_PHOTOS.landscapeJpeg));
  b = await pairImage(model, 'ladybird', await photoPixels(TEST_PHOTOS.png));
}, 120_000);

/** Independent prefill: embeds the ids, writes each photo's rows over its own run, no cache. */
async function independentLogits(ids: number[], first: PairImage, second: PairImage) {
  const calls = model.parts.model as unknown as {
    encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
    forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
  };
  const embeds = await calls.encode_text({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
  });
  const data = embeds.data as Float32Array;
  const hidden = first.hidden;
  const positions = ids.flatMap((id, i) => (id === config.image_token_index ? [i] : []));
  const rows = [first.rows, second.rows];
  positions.forEach((position, n) => {
    const photo = rows[n < first.tokens ? 0 : 1]!;
    const row = n < first.tokens ? n : n - first.tokens;
    data.set(photo.subarray(row * hidden, (row + 1) * hidden), position * hidden);
  });
  const outputs = await calls.forward({
    inputs_embeds: embeds,
    attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
  });
  disposeKv(
    Object.fromEntries(Object.entries(outputs).filter(([name]) => name.startsWith('present'))),
  );
  return lastLogits(outputs);
}

function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
  return max;
}

describe('two photos in one prompt', () => {
  it('lays out two runs of image tokens as the config and tokenizer say, base crop plus newline', () => {
    const tokenizer = model.parts.processor.tokenizer!;
    // SigLIP's patch embedding has stride patch_size and no padding: 384 / 14 → 27 patches a side.
    const side = Math.floor(config.vision_config.image_size / config.vision_config.patch_size);
    // LLaVA-OneVision's multi-image layout: one base crop per image plus one image_newline row.
    const perImage = side * side + 1;
    expect(a.tokens).toBe(perImage);
    expect(a.newlineRow).toBe(true);
    expect(model.parts.imageTokenId).toBe(config.image_token_index);
    expect(tokenizer.encode('<image>', { add_special_tokens: false })).toEqual([
      config.image_token_index,
    ]);
    const ids = pairIds(model, renderPairPrompt(question), a.tokens);
    const header = tokenizer.encode('<|im_start|>user\n', { add_special_tokens: false }).length;
    const newline = tokenizer.encode('\n', { add_special_tokens: false });
    expect(newline).toHaveLength(1);
    expect(imageTokenRuns(ids, config.image_token_index)).toEqual([
      { start: header, length: perImage },
      { start: header + perImage + 1, length: perImage },
    ]);
    // The token between the runs and right after the second is the template's newline.
    expect(ids[header + perImage]).toBe(newline[0]);
    expect(ids[header + 2 * perImage + 1]).toBe(newline[0]);
  });

  it('gives the logits of an independent full prefill through the pair prefix cache (fp32, 1e-4)', async () => {
    forgetPairsOf(model, 'landscape');
    const made = await prefillPair(model, a, b, question);
    disposeKv(made.kv);
    // The second question about the pair continues from its prefix: only its own tokens run.
    const cached = await prefillPair(model, a, b, question);
    disposeKv(cached.kv);
    expect(cached.reusedTokens).toBe(
      imageTokenRuns(cached.ids, config.image_token_index)[1]!.start + a.tokens + 1,
    );
    const full = await independentLogits(cached.ids, a, b);
    expect(maxAbsDiff(cached.logits, full)).toBeLessThan(1e-4);
    expect(maxAbsDiff(made.logits, full)).toBeLessThan(1e-4);
  });

  it('mirrors the layout when the order is swapped: same ids, the photos change runs', async () => {
    const forwardIds = pairIds(model, renderPairPrompt(question), a.tokens);
    const swappedIds = pairIds(model, renderPairPrompt(question), b.tokens);
    expect(swappedIds).toEqual(forwardIds);
    const runs = imageTokenRuns(forwardIds, config.image_token_index);
    const forward = await pairEmbeddings(model, forwardIds, a, b);
    const swapped = await pairEmbeddings(model, swappedIds, b, a);
    const hidden = a.hidden;
    const rowsAt = (t: Tensor, start: number, length: number) =>
      (t.data as Float32Array).slice(start * hidden, (start + length) * hidden);
    const [first, second] = [runs[0]!, runs[1]!];
    expect(rowsAt(forward.inputsEmbeds, first.start, first.length)).toEqual(a.rows);
    expect(rowsAt(forward.inputsEmbeds, second.start, second.length)).toEqual(b.rows);
    expect(rowsAt(swapped.inputsEmbeds, first.start, first.length)).toEqual(b.rows);
    expect(rowsAt(swapped.inputsEmbeds, second.start, second.length)).toEqual(a.rows);
    // Text positions are the same embeddings in both orders.
    expect(rowsAt(swapped.inputsEmbeds, 0, first.start)).toEqual(
      rowsAt(forward.inputsEmbeds, 0, first.start),
    );
  });

  it('compares both orders: P(A better) from each, their mean, and a reason after the picked word', async () => {
    const answerIds = answerTokenIds(model, ANSWER_WORDS);
    expect(answerIds).toHaveLength(2);
    const judged: number[] = [];
    let streamed = '';
    const result = await comparePhotos(
      model,
      { photoIds: ['landscape', 'ladybird'], aspects: ['overall', 'sharpness'], reasonTokens: 6 },
      [null, null],
      {
        isCancelled: () => false,
        onJudged: (p) => judged.push(p.average),
        onReason: (step) => (streamed = step.text),
      },
    );
    expect(result.preferences.map((p) => p.aspect)).toEqual(['overall', 'sharpness']);
    for (const p of result.preferences) {
      for (const v of [p.aFirst, p.bFirst, p.average]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(p.average).toBeCloseTo((p.aFirst + p.bFirst) / 2, 12);
    }
    expect(judged).toEqual(result.preferences.map((p) => p.average));
    // The overall question with A first, recomputed without any cache, gives the same aFirst.
    const ids = pairIds(model, renderPairPrompt(question), a.tokens);
    const logits = await independentLogits(ids, a, b);
    const [first, second] = [logits[answerIds[0]!]!, logits[answerIds[1]!]!];
    const pFirst = 1 / (1 + Math.exp(second - first));
    expect(result.preferences[0]!.aFirst).toBeCloseTo(pFirst, 5);
    // With B first, A is the second image: bFirst is P("Second") of the swapped prompt.
    const swappedLogits = await independentLogits(ids, b, a);
    // Not trivially equal: the swapped order is another prompt.
    expect(maxAbsDiff(swappedLogits, logits)).toBeGreaterThan(1e-3);
    const pSecond =
      1 / (1 + Math.exp(swappedLogits[answerIds[0]!]! - swappedLogits[answerIds[1]!]!));
    expect(result.preferences[0]!.bFirst).toBeCloseTo(pSecond, 5);
    expect(result.reason.length).toBeGreaterThan(0);
    expect(
      result.reason.startsWith(result.preferences[0]!.aFirst >= 0.5 ? 'First' : 'Second'),
    ).toBe(true);
    expect(streamed).toBe(result.reason.slice(0, streamed.length));
    expect(result.imageTokensPerPhoto).toBe(a.tokens);
    expect(result.reusedTokens).toBeGreaterThan(2 * a.tokens);
  });

  it('frees the pair caches of a removed photo, and only those', async () => {
    const keys = () => model.caches.status().entries.map((e) => e.photoId);
    expect(keys().some((k) => k.startsWith('pair:') && k.includes('landscape'))).toBe(true);
    forgetPairsOf(model, 'landscape');
    expect(keys().some((k) => k.startsWith('pair:') && k.includes('landscape'))).toBe(false);
  });
});
