/**
 * Constrained decoding of a box: the model answers a region question one token at a time, but
 * only tokens that keep the answer a valid prefix of `[0.##, 0.##, 0.##, 0.##]` (with its corners
 * in order) may be chosen; among them the most probable one is taken. The tokens are the grammar's
 * characters looked up in the model's vocabulary (each must be one token). The confidence is read
 * from the unconstrained distribution at each step: the product of the chosen tokens'
 * probabilities, and how much probability the model put on the format at all.
 */
import { Tensor } from '@huggingface/transformers';
import { conversationTurns } from '../conversation.ts';
import {
  BOX_ALPHABET,
  nextBoxCharacters,
  parseBox,
  type BoxConfidence,
  type LocatedRegion,
} from '../grounding.ts';
import { disposeKv, kvOf, type KvCache } from './prompt-caches.ts';
import { lastLogits, type QualityModel } from './quality-model.ts';

/** How a running box decode learns it was cancelled, and what tests may watch. */
export interface LocateHooks {
  isCancelled(): boolean;
  yieldToEvents?(): Promise<void>;
  /** Each chosen token id, in order. */
  onToken?(id: number): void;
}

/** Thrown when a box decode is cancelled between two tokens. */
export class LocateCancelled extends Error {
  constructor() {
    super('aborted');
  }
}

/** The decoder calls used here (public in transformers.js, though marked internal in its docs). */
interface DecoderCalls {
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

/**
 * The token id of each grammar character in this model's vocabulary. Each must be exactly one
 * token that decodes back to the character, so that the written box is also how the tokenizer
 * would split the same text.
 */
export function boxTokenIds(model: QualityModel): Map<string, number> {
  const tokenizer = model.parts.processor.tokenizer!;
  const ids = new Map<string, number>();
  for (const char of BOX_ALPHABET) {
    const encoded = tokenizer.encode(char, { add_special_tokens: false });
    if (encoded.length !== 1 || tokenizer.decode(encoded) !== char) {
      throw new Error(`"${char}" is not one token in this vocabulary: boxes cannot be asked for.`);
    }
    ids.set(char, encoded[0]!);
  }
  return ids;
}

/** log Σ exp(logits), computed stably in float64. */
export function logSumExp(logits: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return max + Math.log(sum);
}

/**
 * Asks the model where `phrase`'s region is in an encoded photo and writes its box under the
 * coordinate grammar. The prompt continues from the photo's cached prefix like every other.
 */
export async function locateRegion(
  model: QualityModel,
  photoId: string,
  question: string,
  hooks: LocateHooks,
): Promise<LocatedRegion> {
  const started = performance.now();
  const calls = model.parts.model as unknown as DecoderCalls;
  const tokenIds = boxTokenIds(model);
  const keepLast = model.parts.hasNumLogitsToKeep
    ? { num_logits_to_keep: new Tensor('int64', BigInt64Array.of(1n), []) }
    : {};

  let cache: KvCache | null = null;
  try {
    const prompt = await model.prefill(photoId, conversationTurns([], question), '', true);
    cache = prompt.kv;
    let logits = prompt.logits;
    let text = '';
    let logJoint = 0;
    let massSum = 0;
    let steps = 0;
    for (let next = nextBoxCharacters(text); next.length > 0; next = nextBoxCharacters(text)) {
      await hooks.yieldToEvents?.();
      if (hooks.isCancelled()) throw new LocateCancelled();
      const norm = logSumExp(logits);
      let best = next[0]!;
      let mass = 0;
      for (const char of next) {
        const logit = logits[tokenIds.get(char)!]!;
        mass += Math.exp(logit - norm);
        if (logit > logits[tokenIds.get(best)!]!) best = char;
      }
      const id = tokenIds.get(best)!;
      logJoint += logits[id]! - norm;
      massSum += mass;
      steps++;
      text += best;
      hooks.onToken?.(id);
      if (nextBoxCharacters(text).length === 0) break;

      const embeds = await calls.encode_text({
        input_ids: new Tensor('int64', BigInt64Array.of(BigInt(id)), [1, 1]),
      });
      const length = prompt.ids.length + steps;
      const outputs = await calls.forward({
        inputs_embeds: embeds,
        attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
        past_key_values: cache,
        ...keepLast,
      });
      embeds.dispose();
      disposeKv(cache);
      cache = kvOf(outputs);
      logits = lastLogits(outputs);
    }
    const confidence: BoxConfidence = {
      joint: Math.exp(logJoint),
      perToken: Math.exp(logJoint / steps),
      formatMass: massSum / steps,
      tokens: steps,
    };
    return { text, reading: parseBox(text), confidence, ms: performance.now() - started };
  } finally {
    disposeKv(cache);
  }
}
