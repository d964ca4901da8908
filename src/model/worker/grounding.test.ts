/**
 * The constrained box decoding in Node on the fixture model (random weights, the real Qwen2
 * vocabulary) and a real photo: it writes only grammar tokens, the result is a box parseBox draws,
 * and its confidence is the product of probabilities recomputed from one full pass over the
 * prompt and the box with no cache.
 */
import { cat, Tensor, type RawImage } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureQualityModel, photoPixels } from '../../../scripts/node-model.ts';
import { TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { conversationTurns } from '../conversation.ts';
import { ATTRIBUTE_REGIONS, BOX_ALPHABET, BOX_TEMPLATE, regionPrompt } from '../grounding.ts';
import { boxTokenIds, LocateCancelled, locateRegion, logSumExp } from './grounding.ts';
import type { QualityModel } from './quality-model.ts';
import { argmax } from './sampling.ts';

const PHOTO = 'landscape';
const QUESTION = regionPrompt(ATTRIBUTE_REGIONS.sharpness);

interface Calls {
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

let model: QualityModel;
let photo: RawImage;

beforeAll(async () => {
  model = await loadFixtureQualityModel();
  photo = await photoPixels(TEST_PHOTOS.landscapeJpeg);
  await model.encode(PHOTO, photo);
});

/**
 * Each chosen token's full-vocabulary logits, from one decoder pass over the prompt followed by
 * the chosen tokens (no cache): position i's logits predict token i.
 */
async function recomputedLogits(ids: number[]): Promise<Float32Array[]> {
  const calls = model.parts.model as unknown as Calls;
  const prompt = await model.prepare(PHOTO, conversationTurns([], QUESTION), '');
  const written = ids.slice(0, -1);
  const embedded = await calls.encode_text({
    input_ids: new Tensor('int64', BigInt64Array.from(written.map(BigInt)), [1, written.length]),
  });
  const embeds = cat([prompt.inputsEmbeds, embedded], 1);
  const length = embeds.dims[1]!;
  const outputs = await calls.forward({
    inputs_embeds: embeds,
    attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
    num_logits_to_keep: new Tensor('int64', BigInt64Array.of(BigInt(ids.length)), []),
  });
  const logits = outputs.logits!.to('float32');
  const [, positions = 0, vocab = 0] = logits.dims;
  expect(positions).toBe(ids.length);
  const data = logits.data as Float32Array;
  return ids.map((_, i) => data.slice(i * vocab, (i + 1) * vocab));
}

describe('locateRegion on the fixture', () => {
  it('writes only grammar tokens, and a box parseBox draws', async () => {
    const ids: number[] = [];
    const located = await locateRegion(model, PHOTO, QUESTION, {
      isCancelled: () => false,
      onToken: (id) => ids.push(id),
    });
    const grammar = boxTokenIds(model);
    expect(grammar.size).toBe(BOX_ALPHABET.length);
    const allowed = new Set(grammar.values());
    for (const id of ids) expect(allowed.has(id)).toBe(true);
    expect(ids).toHaveLength(BOX_TEMPLATE.length);
    expect(located.text).toMatch(/^\[0\.\d\d, 0\.\d\d, 0\.\d\d, 0\.\d\d\]$/);
    expect(located.reading.kind).toBe('box');
    // The tokens are how the tokenizer itself splits the same text.
    const tokenizer = model.parts.processor.tokenizer!;
    expect(tokenizer.encode(located.text, { add_special_tokens: false })).toEqual(ids);
    console.info(
      `fixture box ${located.text}: joint ${located.confidence.joint.toExponential(2)}, ` +
        `per token ${located.confidence.perToken.toExponential(2)}, ` +
        `format mass ${located.confidence.formatMass.toExponential(2)}, ${located.ms.toFixed(0)} ms`,
    );
  });

  it('reports as confidence the product of probabilities a full recomputation gives', async () => {
    const ids: number[] = [];
    const located = await locateRegion(model, PHOTO, QUESTION, {
      isCancelled: () => false,
      onToken: (id) => ids.push(id),
    });
    const steps = await recomputedLogits(ids);
    const grammar = [...boxTokenIds(model).values()];
    let logJoint = 0;
    let mass = 0;
    let outsideTop = 0;
    for (const [i, logits] of steps.entries()) {
      const norm = logSumExp(logits);
      logJoint += logits[ids[i]!]! - norm;
      mass += grammar.reduce((sum, id) => sum + Math.exp(logits[id]! - norm), 0);
      if (!grammar.includes(argmax(logits))) outsideTop++;
    }
    expect(located.confidence.tokens).toBe(ids.length);
    // Compared in log space: the product itself is far below float precision's comfort.
    expect(Math.log(located.confidence.joint)).toBeCloseTo(logJoint, 3);
    expect(Math.log(located.confidence.perToken)).toBeCloseTo(logJoint / ids.length, 4);
    expect(located.confidence.formatMass).toBeGreaterThan(0);
    // The grammar (14 tokens) holds less than all of the probability, so the mass of the
    // characters allowed at each step is smaller still; the recomputed sum bounds it.
    expect(located.confidence.formatMass).toBeLessThanOrEqual(mass / ids.length + 1e-9);
    // Random weights mostly prefer other tokens: the constraint did choose for them.
    expect(outsideTop).toBeGreaterThan(0);
  });

  it('stops between tokens when cancelled', async () => {
    const ids: number[] = [];
    await expect(
      locateRegion(model, PHOTO, QUESTION, {
        isCancelled: () => ids.length >= 3,
        onToken: (id) => ids.push(id),
      }),
    ).rejects.toBeInstanceOf(LocateCancelled);
    expect(ids).toHaveLength(3);
  });
});
