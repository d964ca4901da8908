/**
 * Text generation about a photo with our own decode loop: prefill the conversation (continued from
 * the photo's cached prefix or this conversation's last turn by QualityModel.prefill), then one
 * token at a time through the KV cache. Each step embeds the new token, runs the decoder with the
 * previous step's cache and an attention mask over the whole sequence so far, and frees the cache
 * it replaced (GPU buffers on WebGPU). The last cache is kept for the conversation's next turn.
 * Text streams out in whole characters; a cancel is seen between two tokens.
 */
import { Tensor, type RawImage } from '@huggingface/transformers';
import { collapseImageTokens, ConversationTooLongError, fitConversation } from '../conversation.ts';
import { expandImageTokens, renderChat, type ChatTurn } from '../prompt.ts';
import type { GenerationRequest, GenerationResult, PromptInfo, StopReason } from '../protocol.ts';
import { answerConfidence, type AnswerConfidence } from '../questions.ts';
import { ExplainedError } from './errors.ts';
import { disposeKv, kvOf, type KvCache } from './prompt-caches.ts';
import { lastLogits, type QualityModel } from './quality-model.ts';
import { TokenChooser } from './sampling.ts';
import { TextStream } from './text-stream.ts';

/** What a running generation reports, and how it learns it was cancelled. */
export interface GenerationHooks {
  /** Polled between tokens. */
  isCancelled(): boolean;
  onStart?(prompt: PromptInfo, confidence?: AnswerConfidence): void;
  onDelta?(step: { delta: string; text: string; tokens: number; tokensPerSecond: number }): void;
  /** Each generated token id, in order (tests compare them). */
  onToken?(id: number): void;
  /**
   * Lets pending events (a cancel message) run between tokens. An onnxruntime run may resolve
   * through microtasks only, which would starve the worker's message queue.
   */
  yieldToEvents?(): Promise<void>;
}

/** The decoder calls used here (public in transformers.js, though marked internal in its docs). */
interface DecoderCalls {
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

/**
 * Tokens that end an answer when the vocabulary has them as single tokens: the end of a ChatML
 * turn, and Qwen2's end of text (LLaVA-OneVision's generation_config lists only the first, but the
 * Qwen2 chat models stop at both, and nothing useful follows either).
 */
const END_TOKENS = ['<|im_end|>', '<|endoftext|>'];

/** Token ids that end an answer: the end tokens above and the model's end-of-sequence ids. */
export function stopTokenIds(model: QualityModel): Set<number> {
  const tokenizer = model.parts.processor.tokenizer!;
  const ids = new Set<number>();
  for (const token of END_TOKENS) {
    const encoded = tokenizer.encode(token, { add_special_tokens: false });
    if (encoded.length === 1) ids.add(encoded[0]!);
  }
  const generationConfig = (
    model.parts.model as unknown as { generation_config?: { eos_token_id?: number | number[] } }
  ).generation_config;
  const configured = [
    generationConfig?.eos_token_id,
    (model.parts.model.config as unknown as { eos_token_id?: number | number[] }).eos_token_id,
  ];
  for (const value of configured.flat()) if (typeof value === 'number') ids.add(value);
  if (ids.size === 0)
    throw new Error('The tokenizer has no <|im_end|> and the model names no eos.');
  return ids;
}

/** The first token of each answer word (no leading space: the answer starts the assistant turn). */
export function answerTokenIds(model: QualityModel, words: readonly string[]): number[] {
  const tokenizer = model.parts.processor.tokenizer!;
  const ids = words.map((word) => {
    const tokens = tokenizer.encode(word, { add_special_tokens: false });
    if (tokens.length === 0) throw new Error(`Answer word "${word}" has no token`);
    return tokens[0]!;
  });
  if (new Set(ids).size !== ids.length) throw new Error('Two answer words share a first token.');
  return ids;
}

/** Prompt tokens a conversation needs once the photo's image tokens are expanded. */
export function promptTokenCount(
  model: QualityModel,
  turns: readonly ChatTurn[],
  imageTokens: number,
): number {
  const text = expandImageTokens(renderChat(turns), imageTokens);
  return model.parts.processor.tokenizer!.encode(text, { add_special_tokens: false }).length;
}

function ones(length: number): Tensor {
  return new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Generates an answer to the conversation in `request` about an encoded (or given) photo. The
 * conversation is trimmed to fit `contextTokens − maxNewTokens` (conversation.ts), prefilled
 * once, then decoded token by token until `<|im_end|>`/eos, `maxNewTokens`, or a cancel.
 */
export async function generateText(
  model: QualityModel,
  image: RawImage | null,
  request: GenerationRequest,
  hooks: GenerationHooks,
): Promise<GenerationResult> {
  const calls = model.parts.model as unknown as DecoderCalls;
  const tokenizer = model.parts.processor.tokenizer!;
  const encoded = await model.encode(request.photoId, image);
  const imageTokens = encoded.features.dims[1]!;

  let fitted;
  try {
    fitted = fitConversation(
      request.turns,
      (turns) => promptTokenCount(model, turns, imageTokens),
      request.contextTokens - request.maxNewTokens,
    );
  } catch (error) {
    if (!(error instanceof ConversationTooLongError)) throw error;
    throw new ExplainedError({
      kind: 'context-full',
      message: `This question is too long: with the photo it needs ${error.tokens} tokens, and ${error.budget} are available before the answer.`,
      advice: 'Ask a shorter question.',
    });
  }

  const keepLast = model.parts.hasNumLogitsToKeep
    ? { num_logits_to_keep: new Tensor('int64', BigInt64Array.of(1n), []) }
    : {};
  const yieldToEvents = hooks.yieldToEvents ?? defaultYield;
  const stopIds = stopTokenIds(model);
  const chooser = new TokenChooser(request.sampling, request.repetitionPenalty);
  const stream = new TextStream(tokenizer);
  const generated: number[] = [];
  /** Generated tokens the decoder has run (so the cache covers them). */
  let ran = 0;

  const prefillStart = performance.now();
  let cache: KvCache | null = null;
  try {
    const prompt = await model.prefill(request.photoId, fitted.turns, '', true);
    let logits = prompt.logits;
    cache = prompt.kv;
    const prefillMs = performance.now() - prefillStart;

    const confidence =
      request.answerWords && request.answerWords.length >= 2
        ? answerConfidence(logits, answerTokenIds(model, request.answerWords), request.answerWords)
        : undefined;
    hooks.onStart?.(
      {
        tokens: prompt.ids.length,
        text: collapseImageTokens(expandImageTokens(renderChat(fitted.turns), imageTokens)),
        droppedExchanges: fitted.droppedExchanges,
        contextTokens: request.contextTokens,
        encodeMs: encoded.reused ? 0 : encoded.encodeMs,
        prefillMs,
        reusedFrom: prompt.reused.from,
        reusedTokens: prompt.reused.tokens,
      },
      confidence,
    );

    const decodeStart = performance.now();
    let stepMs = 0;
    let steps = 0;
    const rate = () => (steps > 0 ? steps / (stepMs / 1000) : 0);
    let stopReason: StopReason | null = null;
    await yieldToEvents();
    if (hooks.isCancelled()) stopReason = 'cancelled';
    while (!stopReason) {
      const token = chooser.choose(logits, generated);
      if (stopIds.has(token)) {
        stopReason = 'end';
        break;
      }
      generated.push(token);
      hooks.onToken?.(token);
      const delta = stream.push(token);
      if (delta) {
        hooks.onDelta?.({
          delta,
          text: stream.text,
          tokens: generated.length,
          tokensPerSecond: rate(),
        });
      }
      if (generated.length >= request.maxNewTokens) {
        stopReason = 'max-tokens';
        break;
      }
      await yieldToEvents();
      if (hooks.isCancelled()) {
        stopReason = 'cancelled';
        break;
      }

      const stepStart = performance.now();
      const embeds = await calls.encode_text({
        input_ids: new Tensor('int64', BigInt64Array.of(BigInt(token)), [1, 1]),
      });
      const outputs = await calls.forward({
        inputs_embeds: embeds,
        attention_mask: ones(prompt.ids.length + generated.length),
        past_key_values: cache,
        ...keepLast,
      });
      embeds.dispose();
      disposeKv(cache);
      cache = kvOf(outputs);
      logits = lastLogits(outputs);
      ran++;
      stepMs += performance.now() - stepStart;
      steps++;
    }
    const text = stream.finish();
    // The next turn of this conversation continues from here (its prompt repeats these tokens).
    if (cache)
      model.keepConversation(request.photoId, [...prompt.ids, ...generated.slice(0, ran)], cache);
    cache = null;
    return {
      text,
      tokens: generated.length,
      stopReason: stopReason ?? 'end',
      tokensPerSecond: rate(),
      decodeMs: performance.now() - decodeStart,
    };
  } finally {
    disposeKv(cache);
  }
}
