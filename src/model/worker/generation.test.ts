/**
 * The app's generation path (generateText + QualityModel) in Node on the fixture model and a real
 * photo: KV-cached decoding against recomputing the whole sequence, stopping, cancelling, streamed
 * text, answer confidence and trimming with the real tokenizer.
 */
import { cat, type RawImage, Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureQualityModel, photoPixels } from '../../../scripts/node-model.ts';
import { TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import { conversationTurns } from '../conversation.ts';
import { PATHWAY_RECIPE } from '../explain-recipes.ts';
import { presetDtypes } from '../precision.ts';
import type { GenerationRequest, PromptInfo } from '../protocol.ts';
import { generateText, stopTokenIds } from './generation.ts';
import { QualityModel } from './quality-model.ts';
import { argmax } from './sampling.ts';
import { TextStream } from './text-stream.ts';

const PHOTO = 'landscape';

let model: QualityModel;
let photo: RawImage;

function request(change: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    photoId: PHOTO,
    turns: conversationTurns([], PATHWAY_RECIPE.describePrompt),
    maxNewTokens: 8,
    sampling: { kind: 'greedy' },
    repetitionPenalty: 1,
    contextTokens: 2048,
    ...change,
  };
}

/** Generates and returns the token ids, the result and what the hooks saw. */
async function run(req: GenerationRequest, cancelAfter = Infinity, on: QualityModel = model) {
  const ids: number[] = [];
  const deltas: string[] = [];
  let prompt: PromptInfo | undefined;
  const result = await generateText(on, null, req, {
    isCancelled: () => ids.length >= cancelAfter,
    onToken: (id) => ids.push(id),
    onDelta: (step) => deltas.push(step.delta),
    onStart: (info) => (prompt = info),
  });
  return { ids, deltas, prompt: prompt!, result };
}

interface Calls {
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

/** Greedy tokens recomputed from scratch each step: the whole sequence, no cache. */
async function uncachedGreedy(
  req: GenerationRequest,
  steps: number,
  on: QualityModel = model,
): Promise<number[]> {
  const calls = on.parts.model as unknown as Calls;
  const prompt = await on.prepare(PHOTO, req.turns, '');
  const ids: number[] = [];
  for (let step = 0; step < steps; step++) {
    let embeds = prompt.inputsEmbeds;
    if (ids.length > 0) {
      const generated = await calls.encode_text({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      });
      embeds = cat([prompt.inputsEmbeds, generated], 1);
    }
    const length = embeds.dims[1]!;
    const outputs = await calls.forward({
      inputs_embeds: embeds,
      attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
      num_logits_to_keep: new Tensor('int64', BigInt64Array.of(1n), []),
    });
    ids.push(argmax(outputs.logits!.to('float32').data as Float32Array));
  }
  return ids;
}

beforeAll(async () => {
  model = await loadFixtureQualityModel();
  photo = await photoPixels(TEST_PHOTOS.landscapeJpeg);
  await model.encode(PHOTO, photo);
});

describe('generateText on the fixture', () => {
  it('gives the same greedy tokens with the KV cache as recomputing without it', async () => {
    const req = request({ maxNewTokens: 6 });
    const cached = await run(req);
    expect(cached.ids).toHaveLength(6);
    expect(cached.ids).toEqual(await uncachedGreedy(req, 6));
  });

  it('stops at max tokens and reports the prompt, the image encoded once', async () => {
    const started = performance.now();
    const { ids, result, prompt } = await run(request({ maxNewTokens: 24 }));
    const seconds = (performance.now() - started) / 1000;
    expect(result.stopReason).toBe('max-tokens');
    expect(result.tokens).toBe(24);
    expect(ids).toHaveLength(24);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(prompt.encodeMs).toBe(0);
    expect(prompt.text).toContain('<image>×729\nDescribe and evaluate the quality of the image.');
    expect(prompt.tokens).toBeGreaterThan(729);
    console.info(
      `fixture, Node: 24 tokens in ${seconds.toFixed(2)} s with prefill ${prompt.prefillMs.toFixed(0)} ms; ` +
        `decode ${result.tokensPerSecond.toFixed(1)} tokens/s`,
    );
  });

  it('streams whole characters whose concatenation is the final text', async () => {
    const { deltas, result } = await run(request({ maxNewTokens: 40 }));
    expect(deltas.join('')).toBe(result.text);
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
  });

  it('stops between tokens when cancelled and leaves the model usable', async () => {
    const first = await run(request({ maxNewTokens: 10 }));
    const stopped = await run(request({ maxNewTokens: 10 }), 3);
    expect(stopped.result.stopReason).toBe('cancelled');
    expect(stopped.ids).toEqual(first.ids.slice(0, 3));
    const again = await run(request({ maxNewTokens: 10 }));
    expect(again.ids).toEqual(first.ids);
  });

  it('ends at <|im_end|> and <|endoftext|>, looked up from the tokenizer', () => {
    const imEnd = model.parts.processor.tokenizer!.encode('<|im_end|>', {
      add_special_tokens: false,
    });
    const endOfText = model.parts.processor.tokenizer!.encode('<|endoftext|>', {
      add_special_tokens: false,
    });
    expect(stopTokenIds(model)).toEqual(new Set([imEnd[0]!, endOfText[0]!]));
  });

  it('draws different text with sampling seeds, the same with the same seed', async () => {
    const sample = (seed: number) =>
      run(
        request({
          maxNewTokens: 12,
          sampling: { kind: 'sample', temperature: 1, topP: 0.95, topK: 50, seed },
        }),
      );
    const a = await sample(1);
    const b = await sample(2);
    const a2 = await sample(1);
    expect(a2.ids).toEqual(a.ids);
    expect(b.ids).not.toEqual(a.ids);
  });

  it('reads a yes/no confidence from the first answer step at the Yes and No tokens', async () => {
    const turns = conversationTurns([], 'Is the image blurry?');
    let confidence;
    await generateText(
      model,
      null,
      request({ turns, maxNewTokens: 1, answerWords: ['Yes', 'No'] }),
      { isCancelled: () => false, onStart: (_prompt, c) => (confidence = c) },
    );
    // Worked out here without the code under test (answerTokenIds, nextTokenLogits, softmax):
    // the ids straight from the tokenizer, every position's logits from one plain decoder call
    // (num_logits_to_keep 0), and the softmax of the two written out.
    const tokenizer = model.parts.processor.tokenizer!;
    const [yes, ...restYes] = tokenizer.encode('Yes', { add_special_tokens: false });
    const [no, ...restNo] = tokenizer.encode('No', { add_special_tokens: false });
    expect([restYes, restNo]).toEqual([[], []]);
    const prompt = await model.prepare(PHOTO, turns, '');
    const length = prompt.inputsEmbeds.dims[1]!;
    const outputs = await (model.parts.model as unknown as Calls).forward({
      inputs_embeds: prompt.inputsEmbeds,
      attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
      num_logits_to_keep: new Tensor('int64', BigInt64Array.of(0n), []),
    });
    const logits = outputs.logits!.to('float32');
    const [, positions, vocab] = logits.dims as [number, number, number];
    expect(positions).toBe(length);
    const last = (logits.data as Float32Array).subarray((positions - 1) * vocab, positions * vocab);
    const top = Math.max(last[yes!]!, last[no!]!);
    const eYes = Math.exp(last[yes!]! - top);
    const eNo = Math.exp(last[no!]! - top);
    expect(confidence).toBeDefined();
    const c = confidence as unknown as { options: { word: string; probability: number }[] };
    expect(c.options.map((o) => o.word)).toEqual(['Yes', 'No']);
    expect(c.options[0]!.probability).toBeCloseTo(eYes / (eYes + eNo), 5);
    expect(c.options[1]!.probability).toBeCloseTo(eNo / (eYes + eNo), 5);
  });

  it('drops the oldest exchanges to fit the context and keeps the photo and the question', async () => {
    const earlier = Array.from({ length: 6 }, (_, i) => ({
      question: `Question number ${i}: how is the noise in the corner of the sky?`,
      answer: `Answer number ${i}: the noise is moderate and shows mostly in the darker corner.`,
    }));
    const turns = conversationTurns(earlier, 'And the exposure?');
    const full = await run(request({ turns, maxNewTokens: 4 }));
    expect(full.prompt.droppedExchanges).toBe(0);
    const budget = full.prompt.tokens - 50 + 4;
    const trimmed = await run(request({ turns, maxNewTokens: 4, contextTokens: budget }));
    expect(trimmed.prompt.droppedExchanges).toBeGreaterThan(0);
    expect(trimmed.prompt.tokens).toBeLessThanOrEqual(budget - 4);
    expect(trimmed.prompt.text).toContain('<image>×729');
    expect(trimmed.prompt.text).not.toContain('Question number 0');
    expect(trimmed.prompt.text).toContain('Question number 5');
    expect(trimmed.prompt.text).toContain('And the exposure?');
  });

  it('refuses a question that cannot fit even alone with the photo', async () => {
    await expect(
      run(request({ turns: conversationTurns([], 'Why?'), maxNewTokens: 4, contextTokens: 700 })),
    ).rejects.toThrow(/too long/);
  });
});

describe('generateText at other precisions', () => {
  it.each(['fp16', 'q4'] as const)(
    '%s: float16 or 4-bit graphs generate through the cache like a full recompute',
    async (preset) => {
      const other = await loadFixtureQualityModel(presetDtypes(preset));
      await other.encode(PHOTO, photo);
      const req = request({ maxNewTokens: 5 });
      const cached = await run(req, Infinity, other);
      expect(cached.result.tokens).toBe(5);
      expect(cached.ids).toEqual(await uncachedGreedy(req, 5, other));
    },
  );
});

describe('TextStream with the Qwen2 tokenizer', () => {
  it('never emits half a character when one is split over tokens', () => {
    const tokenizer = model.parts.processor.tokenizer!;
    const text = 'Ñice 写真の品質 📷 👍🏽 ok';
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.length).toBeGreaterThan([...text].length - 8);
    const stream = new TextStream(tokenizer);
    const deltas = ids.map((id) => stream.push(id));
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
    expect(deltas.some((d) => d === '')).toBe(true);
    expect(deltas.join('')).toBe(text);
  });
});
