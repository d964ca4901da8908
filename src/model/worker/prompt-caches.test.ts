/**
 * Continuing prompts from a photo's cached prefix (and from a conversation's last turn) in Node,
 * with the app's own QualityModel: every continued prompt's next-token logits against a full
 * prefill of the same prompt with no cache, and greedy text token for token, on the fixture model
 * and on the converted stand-in for Q-SiT-mini; then the byte budget, LRU and forgetting.
 */
import { resolve } from 'node:path';
import { env, type RawImage, type Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureQualityModel, photoPixels } from '../../../scripts/node-model.ts';
import { TEST_PHOTOS } from '../../../scripts/test-photos.ts';
import {
  CONVERTED_MODEL_NAME,
  ensureConvertedTestModel,
} from '../../../scripts/convert/e2e-model.ts';
import { conversationTurns } from '../conversation.ts';
import { PATHWAY_RECIPE } from '../explain-recipes.ts';
import { presetDtypes } from '../precision.ts';
import type { ChatTurn } from '../prompt.ts';
import type { GenerationRequest, PromptInfo } from '../protocol.ts';
import { QALIGN_RECIPE, QSIT_RECIPE } from '../recipes.ts';
import { generateText } from './generation.ts';
import { kvBytes, PromptCaches } from './prompt-caches.ts';
import { QualityModel } from './quality-model.ts';
import { loadModelParts } from './runtime.ts';

const PHOTO = 'landscape';

/** Prompts of every kind the app sends about a photo: scores, a yes/no and a description. */
const PROMPTS: { name: string; turns: ChatTurn[]; prefix: string }[] = [
  {
    name: 'Q-SiT score',
    turns: conversationTurns([], QSIT_RECIPE.question),
    prefix: QSIT_RECIPE.assistantPrefix,
  },
  {
    name: 'Q-Align score',
    turns: conversationTurns([], QALIGN_RECIPE.question),
    prefix: QALIGN_RECIPE.assistantPrefix,
  },
  { name: 'yes/no', turns: conversationTurns([], 'Is the image blurry?'), prefix: '' },
  { name: 'description', turns: conversationTurns([], PATHWAY_RECIPE.describePrompt), prefix: '' },
];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function request(turns: ChatTurn[], maxNewTokens: number): GenerationRequest {
  return {
    photoId: PHOTO,
    turns,
    maxNewTokens,
    sampling: { kind: 'greedy' },
    repetitionPenalty: 1.1,
    contextTokens: 2048,
  };
}

async function generate(model: QualityModel, req: GenerationRequest) {
  const ids: number[] = [];
  let prompt: PromptInfo | undefined;
  const result = await generateText(model, null, req, {
    isCancelled: () => false,
    onToken: (id) => ids.push(id),
    onStart: (info) => (prompt = info),
  });
  return { ids, text: result.text, prompt: prompt! };
}

/** The same checks on any model: `cached` reuses prompts, `plain` never does. */
function continuedEqualsFull(
  load: () => Promise<{ cached: QualityModel; plain: QualityModel; photo: RawImage }>,
) {
  let cached: QualityModel;
  let plain: QualityModel;

  beforeAll(async () => {
    const loaded = await load();
    cached = loaded.cached;
    plain = loaded.plain;
    await cached.encode(PHOTO, loaded.photo);
    await plain.encode(PHOTO, loaded.photo);
  });

  it.each(PROMPTS.map((p) => [p.name, p] as const))(
    '%s: logits continued from the photo prefix equal a full prefill within 1e-4',
    async (_name, { turns, prefix }) => {
      const continued = await cached.prefill(PHOTO, turns, prefix, false);
      const full = await plain.nextTokenLogits(await plain.prepare(PHOTO, turns, prefix));
      expect(continued.reused.from).toBe('photo');
      // The turn header, 729 image tokens and the newline after them.
      expect(continued.reused.tokens).toBe(3 + 729 + 1);
      expect(continued.ids.length).toBeGreaterThan(continued.reused.tokens);
      const diff = maxAbsDiff(continued.logits, full);
      console.info(
        `${_name}: max |continued − full| over ${full.length} logits = ${diff.toExponential(2)}`,
      );
      expect(diff).toBeLessThan(1e-4);
    },
  );

  it('scores the same with the cache as without (level logits within 1e-4)', async () => {
    const withCache = await cached.score(PHOTO, null, QSIT_RECIPE);
    const without = await plain.score(PHOTO, null, QSIT_RECIPE);
    expect(withCache.reusedTokens).toBe(733);
    expect(without.reusedTokens).toBe(0);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(withCache.levelLogits[i]! - without.levelLogits[i]!)).toBeLessThan(1e-4);
    }
  });

  it('a follow-up continues from its conversation and writes the same greedy text', async () => {
    const description = conversationTurns([], PATHWAY_RECIPE.describePrompt);
    const first = await generate(cached, request(description, 12));
    const firstPlain = await generate(plain, request(description, 12));
    expect(first.ids).toEqual(firstPlain.ids);
    expect(first.text).toBe(firstPlain.text);

    const followUp = conversationTurns(
      [{ question: PATHWAY_RECIPE.describePrompt, answer: first.text }],
      'Why is it noisy, and how could I shoot it better?',
    );
    const second = await generate(cached, request(followUp, 12));
    const secondPlain = await generate(plain, request(followUp, 12));
    expect(secondPlain.prompt.reusedTokens).toBe(0);
    expect(second.ids).toEqual(secondPlain.ids);
    expect(second.text).toBe(secondPlain.text);
    // Random weights write arbitrary tokens, which may not read back as the same tokens; the
    // conversation's cache is used exactly when they do, else the photo's prefix.
    const tokenizer = cached.parts.processor.tokenizer!;
    const roundTrips =
      JSON.stringify(tokenizer.encode(first.text, { add_special_tokens: false })) ===
      JSON.stringify(first.ids);
    console.info(
      `follow-up continued from ${second.prompt.reusedFrom} (${second.prompt.reusedTokens} of ${second.prompt.tokens} tokens)`,
    );
    expect(second.prompt.reusedFrom).toBe(roundTrips ? 'conversation' : 'photo');
    if (roundTrips) expect(second.prompt.reusedTokens).toBe(first.prompt.tokens + 12 - 1);
  });
}

describe('prompts continued from the cache, fixture model (fp32)', () => {
  continuedEqualsFull(async () => {
    const cached = await loadFixtureQualityModel();
    return {
      cached,
      plain: new QualityModel(cached.parts, 12, 0),
      photo: await photoPixels(TEST_PHOTOS.landscapeJpeg),
    };
  });
});

describe('prompts continued from the cache, converted Q-SiT-mini stand-in (fp32)', () => {
  continuedEqualsFull(async () => {
    const models = resolve('.cache/models');
    await ensureConvertedTestModel(resolve(models, CONVERTED_MODEL_NAME));
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${models}/`;
    const cached = new QualityModel(
      await loadModelParts(CONVERTED_MODEL_NAME, presetDtypes('fp32'), 'cpu'),
    );
    return {
      cached,
      plain: new QualityModel(cached.parts, 12, 0),
      photo: await photoPixels(TEST_PHOTOS.landscapeJpeg),
    };
  });
});

/** A cache shaped like the real decoder's (24 layers, K and V, 2 heads × 64) over `tokens`. */
function realShapedKv(tokens: number, type: 'float32' | 'float16' = 'float32') {
  const kv: Record<string, Tensor> = {};
  const disposed: string[] = [];
  for (let layer = 0; layer < 24; layer++) {
    for (const part of ['key', 'value']) {
      const name = `past_key_values.${layer}.${part}`;
      // What the caches read of a tensor: its type, dims and dispose (nothing is allocated).
      const tensor = {
        type,
        dims: [1, 2, tokens, 64],
        dispose: () => disposed.push(name),
      } as unknown as Tensor;
      kv[name] = tensor;
    }
  }
  return { kv, disposed };
}

describe('PromptCaches', () => {
  it('counts the real model’s bytes per photo: 24 × 2 × 2 × 64 × 733 tokens × 4 bytes', () => {
    expect(kvBytes(realShapedKv(733).kv)).toBe(24 * 2 * 2 * 64 * 733 * 4);
    expect(kvBytes(realShapedKv(733, 'float16').kv)).toBe(24 * 2 * 2 * 64 * 733 * 2);
  });

  it('continues from the longest entry whose tokens begin the prompt, never the whole prompt', () => {
    const caches = new PromptCaches(1e9);
    caches.add('a', 'photo', [1, 2, 3], realShapedKv(3).kv);
    caches.add('a', 'conversation', [1, 2, 3, 4, 5], realShapedKv(5).kv);
    caches.add('b', 'photo', [1, 2, 3, 4, 5, 6], realShapedKv(6).kv);
    expect(caches.acquire('a', [1, 2, 3, 4, 5, 6, 7])?.kind).toBe('conversation');
    expect(caches.acquire('a', [1, 2, 3, 9])?.kind).toBe('photo');
    expect(caches.acquire('a', [1, 2, 3, 4, 5])?.kind).toBe('photo');
    expect(caches.acquire('a', [7, 2, 3, 4])).toBeNull();
  });

  it('drops the least recently used beyond the budget and frees their tensors', () => {
    const photoBytes = kvBytes(realShapedKv(733).kv);
    const caches = new PromptCaches(photoBytes * 2.5);
    const a = realShapedKv(733);
    const b = realShapedKv(733);
    const c = realShapedKv(733);
    caches.add('a', 'photo', [1], a.kv);
    caches.add('b', 'photo', [2], b.kv);
    caches.acquire('a', [1, 9]); // a is now the most recently used
    caches.add('c', 'photo', [3], c.kv);
    expect(caches.status().entries.map((e) => e.photoId)).toEqual(['a', 'c']);
    expect(b.disposed).toHaveLength(48);
    expect(a.disposed).toHaveLength(0);
    expect(caches.status().usedBytes).toBe(photoBytes * 2);
  });

  it('frees an entry a prefill is still reading only once it is released', () => {
    const caches = new PromptCaches(1e9);
    const a = realShapedKv(3);
    caches.add('a', 'photo', [1, 2, 3], a.kv);
    const held = caches.acquire('a', [1, 2, 3, 4])!;
    caches.forgetPhoto('a');
    expect(caches.status().entries).toHaveLength(0);
    expect(a.disposed).toHaveLength(0);
    caches.release(held);
    expect(a.disposed).toHaveLength(48);
  });

  it('a conversation’s new turn replaces the turn it extends; other photos are untouched', () => {
    const caches = new PromptCaches(1e9, 2);
    const first = realShapedKv(5);
    caches.add('a', 'photo', [1, 2], realShapedKv(2).kv);
    caches.add('a', 'conversation', [1, 2, 3, 4, 5], first.kv);
    caches.add('a', 'conversation', [1, 2, 3, 4, 5, 6, 7], realShapedKv(7).kv);
    expect(first.disposed).toHaveLength(48);
    caches.add('a', 'conversation', [1, 2, 8], realShapedKv(3).kv);
    caches.add('a', 'conversation', [1, 2, 9], realShapedKv(3).kv);
    caches.add('b', 'photo', [1, 2], realShapedKv(2).kv);
    expect(caches.status().entries.map((e) => `${e.photoId}:${e.kind}:${e.tokens}`)).toEqual([
      'a:photo:2',
      'a:conversation:3',
      'a:conversation:3',
      'b:photo:2',
    ]);
    caches.forgetPhoto('a');
    expect(caches.status().entries.map((e) => e.photoId)).toEqual(['b']);
  });
});
