/**
 * Two photos compared in one prompt, in the model worker. Each photo is shown as LLaVA-OneVision
 * shows an image of a multi-image prompt: its base crop's features (taken from the features the
 * worker already holds for the photo: the fast encoding, or the base rows of the reference one)
 * followed by the image_newline row. The part every question about an ordered pair shares (turn
 * header and both images) is run once and kept in the prompt caches under the pair's key, so each
 * question and the swapped order cost their own few dozen tokens after the first. The answer words'
 * probabilities give the preference; the reason is decoded greedily after the picked word.
 */
import { Tensor, type RawImage } from '@huggingface/transformers';
import {
  ANSWER_WORDS,
  combineOrders,
  compareQuestion,
  firstProbability,
  imageTokenRuns,
  pairImageTokens,
  pairPrefix,
  renderPairPrompt,
  type PairPreference,
} from '../compare.ts';
import { expandImageTokens } from '../prompt.ts';
import type { CompareRequest, CompareResult, StopReason } from '../protocol.ts';
import { ExplainedError } from './errors.ts';
import { answerTokenIds, stopTokenIds } from './generation.ts';
import { disposeKv, kvOf, type KvCache } from './prompt-caches.ts';
import { lastLogits, type QualityModel } from './quality-model.ts';
import { TokenChooser } from './sampling.ts';
import { TextStream } from './text-stream.ts';

/** The model calls used here (public in transformers.js, though marked internal in its docs). */
interface PairCalls {
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(kwargs: {
    image_features: Tensor;
    inputs_embeds: Tensor;
    input_ids: Tensor;
    attention_mask: Tensor;
  }): { inputs_embeds: Tensor; attention_mask: Tensor };
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

/** One photo as a multi-image prompt shows it: base crop rows, then image_newline if the model has it. */
export interface PairImage {
  photoId: string;
  /** [tokens × hidden] float32, row-major. */
  rows: Float32Array;
  tokens: number;
  hidden: number;
  /** Element type the decoder's embeddings use (the features' type). */
  type: string;
  newlineRow: boolean;
  /** The encoding the rows came from (part of the pair's cache key). */
  mode: string;
  encodeMs: number;
}

/** How a running comparison reports and learns it was cancelled. */
export interface CompareHooks {
  isCancelled(): boolean;
  onJudged?(preference: PairPreference): void;
  onReason?(step: { delta: string; text: string }): void;
  yieldToEvents?(): Promise<void>;
}

/** The key a pair's shared prefix is kept under in the prompt caches (order and image mode matter). */
export function pairCacheKey(first: PairImage, second: PairImage): string {
  return `pair:${first.mode}+${second.mode}:${first.photoId}|${second.photoId}`;
}

/** Whether a prompt-cache key belongs to a pair that includes `photoId`. */
export function pairKeyHas(key: string, photoId: string): boolean {
  if (!key.startsWith('pair:')) return false;
  const ids = key.slice(key.indexOf(':', 5) + 1).split('|');
  return ids.includes(photoId);
}

/** Frees the pair caches that include a photo (the photo was removed or re-encoded). */
export function forgetPairsOf(model: QualityModel, photoId: string) {
  for (const entry of model.caches.status().entries) {
    if (pairKeyHas(entry.photoId, photoId)) model.caches.forgetPhoto(entry.photoId);
  }
}

/**
 * A photo's rows for a multi-image prompt, from the features the worker holds (encoded now from
 * `image` if it holds none). Copied out at once, so a later eviction cannot free them under us.
 */
export async function pairImage(
  model: QualityModel,
  photoId: string,
  image: RawImage | null,
): Promise<PairImage> {
  const encoded = await model.encode(photoId, image);
  const [, rows = 0, hidden = 0] = encoded.features.dims;
  const reference = model.parts.reference;
  let base = rows;
  if (encoded.mode === 'reference') {
    if (!reference) throw new Error('A reference encoding without its geometry.');
    base = Math.floor(reference.geometry.tileSize / reference.geometry.patchSize) ** 2;
  }
  const asFloat32 =
    encoded.features.type === 'float32' ? encoded.features : encoded.features.to('float32');
  const newline = reference?.imageNewline.length === hidden ? reference.imageNewline : null;
  const tokens = pairImageTokens(base, newline !== null);
  const out = new Float32Array(tokens * hidden);
  out.set((asFloat32.data as Float32Array).subarray(0, base * hidden));
  if (newline) out.set(newline, base * hidden);
  if (asFloat32 !== encoded.features) asFloat32.dispose();
  return {
    photoId,
    rows: out,
    tokens,
    hidden,
    type: encoded.features.type,
    newlineRow: newline !== null,
    mode: encoded.mode,
    encodeMs: encoded.reused ? 0 : encoded.encodeMs,
  };
}

/** Both photos' rows in prompt order, as one [1, tokens, hidden] tensor of the decoder's type. */
export function pairFeatures(first: PairImage, second: PairImage): Tensor {
  const data = new Float32Array(first.rows.length + second.rows.length);
  data.set(first.rows);
  data.set(second.rows, first.rows.length);
  const tensor = new Tensor('float32', data, [1, first.tokens + second.tokens, first.hidden]);
  if (first.type === 'float32') return tensor;
  const converted = tensor.to(first.type as 'float16');
  tensor.dispose();
  return converted;
}

/** Token ids of a pair prompt (or its shared prefix), each image placeholder expanded. */
export function pairIds(model: QualityModel, rendered: string, tokensPerImage: number): number[] {
  const text = expandImageTokens(rendered, tokensPerImage);
  return model.parts.processor.tokenizer!.encode(text, { add_special_tokens: false });
}

/**
 * Checks a pair prompt's layout: exactly two runs of image tokens, each as long as one photo's
 * rows, so each photo's features land on its own run (transformers.js only checks the total).
 */
export function checkPairLayout(model: QualityModel, ids: readonly number[], tokens: number) {
  const runs = imageTokenRuns(ids, model.parts.imageTokenId);
  if (runs.length !== 2 || runs.some((r) => r.length !== tokens)) {
    throw new ExplainedError({
      kind: 'bad-model',
      message: `The two-photo prompt has image-token runs of ${runs.map((r) => r.length).join(', ') || 'none'} where two of ${tokens} were expected.`,
      advice: 'The tokenizer does not keep <image> as one token; this model folder cannot compare.',
    });
  }
}

/** Embeddings of a pair prompt with both photos' rows in place of their image tokens. */
export async function pairEmbeddings(
  model: QualityModel,
  ids: readonly number[],
  first: PairImage,
  second: PairImage,
): Promise<{ inputsEmbeds: Tensor; attentionMask: Tensor }> {
  const calls = model.parts.model as unknown as PairCalls;
  checkPairLayout(model, ids, first.tokens);
  const inputIds = new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
  const embeds = await calls.encode_text({ input_ids: inputIds });
  const features = pairFeatures(first, second);
  const merged = calls._merge_input_ids_with_image_features({
    image_features: features,
    inputs_embeds: embeds,
    input_ids: inputIds,
    attention_mask: ones(ids.length),
  });
  features.dispose();
  return { inputsEmbeds: merged.inputs_embeds, attentionMask: merged.attention_mask };
}

function ones(length: number): Tensor {
  return new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);
}

function lastOnly(model: QualityModel): Record<string, Tensor> {
  return model.parts.hasNumLogitsToKeep
    ? { num_logits_to_keep: new Tensor('int64', BigInt64Array.of(1n), []) }
    : {};
}

/** A pair prompt run through the decoder. */
export interface PairPrefilled {
  ids: number[];
  logits: Float32Array;
  kv: KvCache;
  reusedTokens: number;
}

/**
 * Runs one question about an ordered pair: from the pair's cached prefix when the caches are on
 * (made on first use), else the whole prompt. The caller owns the returned cache.
 */
export async function prefillPair(
  model: QualityModel,
  first: PairImage,
  second: PairImage,
  question: string,
): Promise<PairPrefilled> {
  const calls = model.parts.model as unknown as PairCalls;
  const ids = pairIds(model, renderPairPrompt(question), first.tokens);
  const key = pairCacheKey(first, second);
  const caches = model.caches;
  let entry = caches.budgetBytes > 0 ? caches.acquire(key, ids) : null;
  if (!entry && caches.budgetBytes > 0) {
    const prefixIds = pairIds(model, pairPrefix(), first.tokens);
    const prefix = await pairEmbeddings(model, prefixIds, first, second);
    const outputs = await calls.forward({
      inputs_embeds: prefix.inputsEmbeds,
      attention_mask: prefix.attentionMask,
      ...lastOnly(model),
    });
    prefix.inputsEmbeds.dispose();
    outputs.logits?.dispose();
    caches.add(key, 'photo', prefixIds, kvOf(outputs));
    entry = caches.acquire(key, ids);
  }
  let outputs: Record<string, Tensor>;
  if (entry) {
    try {
      const rest = ids.slice(entry.ids.length);
      const embeds = await calls.encode_text({
        input_ids: new Tensor('int64', BigInt64Array.from(rest, BigInt), [1, rest.length]),
      });
      outputs = await calls.forward({
        inputs_embeds: embeds,
        attention_mask: ones(ids.length),
        past_key_values: entry.kv,
        ...lastOnly(model),
      });
      embeds.dispose();
    } finally {
      caches.release(entry);
    }
  } else {
    const prompt = await pairEmbeddings(model, ids, first, second);
    outputs = await calls.forward({
      inputs_embeds: prompt.inputsEmbeds,
      attention_mask: prompt.attentionMask,
      ...lastOnly(model),
    });
    prompt.inputsEmbeds.dispose();
  }
  return {
    ids,
    logits: lastLogits(outputs),
    kv: kvOf(outputs),
    reusedTokens: entry?.ids.length ?? 0,
  };
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Compares photos A and B: every aspect asked with A first and then with B first (P("First") of
 * each read at the answer's first token), then the first aspect's reason streamed for A first.
 */
export async function comparePhotos(
  model: QualityModel,
  request: CompareRequest,
  images: [RawImage | null, RawImage | null],
  hooks: CompareHooks,
): Promise<CompareResult> {
  const started = performance.now();
  const calls = model.parts.model as unknown as PairCalls;
  const yieldToEvents = hooks.yieldToEvents ?? defaultYield;
  const [idA, idB] = request.photoIds;
  const a = await pairImage(model, idA, images[0]);
  const b = await pairImage(model, idB, images[1]);
  const answerIds = answerTokenIds(model, ANSWER_WORDS);
  const result: CompareResult = {
    preferences: [],
    reason: '',
    reasonStop: 'end',
    imageTokensPerPhoto: a.tokens,
    newlineRow: a.newlineRow,
    promptTokens: 0,
    reusedTokens: 0,
    timings: {
      encodeMs: a.encodeMs + b.encodeMs,
      forwardMs: 0,
      swappedMs: 0,
      reasonMs: 0,
      totalMs: 0,
    },
    cancelled: false,
  };
  const finish = (cancelled: boolean) => {
    result.cancelled = cancelled;
    result.timings.totalMs = performance.now() - started;
    return result;
  };
  let reasonCache: { prompt: PairPrefilled; pFirst: number } | null = null;
  try {
    for (const [index, aspect] of request.aspects.entries()) {
      await yieldToEvents();
      if (hooks.isCancelled()) return finish(true);
      const { question } = compareQuestion(aspect);
      let at = performance.now();
      const forward = await prefillPair(model, a, b, question);
      result.timings.forwardMs += performance.now() - at;
      const pForward = firstProbability(forward.logits, answerIds);
      if (index === 0 && request.reasonTokens > 0) {
        reasonCache = { prompt: forward, pFirst: pForward };
        result.promptTokens = forward.ids.length;
        result.reusedTokens = forward.reusedTokens;
      } else {
        if (index === 0) {
          result.promptTokens = forward.ids.length;
          result.reusedTokens = forward.reusedTokens;
        }
        disposeKv(forward.kv);
      }
      at = performance.now();
      const swapped = await prefillPair(model, b, a, question);
      result.timings.swappedMs += performance.now() - at;
      disposeKv(swapped.kv);
      const preference = combineOrders(
        aspect,
        pForward,
        firstProbability(swapped.logits, answerIds),
      );
      result.preferences.push(preference);
      hooks.onJudged?.(preference);
    }
    if (!reasonCache) return finish(false);
    const reasonStart = performance.now();
    const { prompt, pFirst } = reasonCache;
    // The reason follows the word this order picked, so the text argues for the number shown.
    const forced = pFirst >= 0.5 ? answerIds[0]! : answerIds[1]!;
    const stopIds = stopTokenIds(model);
    const chooser = new TokenChooser({ kind: 'greedy' }, 1.1);
    const stream = new TextStream(model.parts.processor.tokenizer!);
    const generated: number[] = [];
    let cache: KvCache | null = prompt.kv;
    reasonCache = null;
    let token = forced;
    let stop: StopReason | null = null;
    try {
      while (!stop) {
        generated.push(token);
        const delta = stream.push(token);
        if (delta) hooks.onReason?.({ delta, text: stream.text });
        if (generated.length >= request.reasonTokens) {
          stop = 'max-tokens';
          break;
        }
        await yieldToEvents();
        if (hooks.isCancelled()) {
          stop = 'cancelled';
          break;
        }
        const embeds = await calls.encode_text({
          input_ids: new Tensor('int64', BigInt64Array.of(BigInt(token)), [1, 1]),
        });
        const outputs = await calls.forward({
          inputs_embeds: embeds,
          attention_mask: ones(prompt.ids.length + generated.length),
          past_key_values: cache,
          ...lastOnly(model),
        });
        embeds.dispose();
        disposeKv(cache);
        cache = kvOf(outputs);
        token = chooser.choose(lastLogits(outputs), generated);
        if (stopIds.has(token)) stop = 'end';
      }
    } finally {
      disposeKv(cache);
    }
    result.reason = stream.finish();
    result.reasonStop = stop ?? 'end';
    result.timings.reasonMs = performance.now() - reasonStart;
    return finish(stop === 'cancelled');
  } finally {
    if (reasonCache) disposeKv(reasonCache.prompt.kv);
  }
}
