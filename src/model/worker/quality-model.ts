/**
 * A loaded quality model: encodes each photo once, then scores it with a recipe by reading the
 * next-token logits at the level words (Q-Align / Q-SiT).
 */
import { Tensor, type RawImage } from '@huggingface/transformers';
import { expandImageTokens, renderChat, type ChatTurn } from '../prompt.ts';
import type { ScoreResult } from '../protocol.ts';
import { imageTokenCount } from '../processor-config.ts';
import type { ScoringRecipe } from '../recipes.ts';
import { scoreFromLevelLogits } from '../scoring.ts';
import { ExplainedError } from './errors.ts';
import { toFloat16 } from './float16.ts';
import type { LoadedParts } from './runtime.ts';

interface EncodedPhoto {
  features: Tensor;
  encodeMs: number;
}

/** The model methods used here (public in transformers.js, though marked internal in its docs). */
interface ModelInternals {
  encode_image(inputs: { pixel_values: Tensor }): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  _merge_input_ids_with_image_features(kwargs: {
    image_features: Tensor;
    inputs_embeds: Tensor;
    input_ids: Tensor;
    attention_mask: Tensor;
  }): { inputs_embeds: Tensor; attention_mask: Tensor };
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

/** A prompt ready for the decoder: merged embeddings plus its token ids. */
export interface PreparedPrompt {
  inputIds: Tensor;
  inputsEmbeds: Tensor;
  attentionMask: Tensor;
  tokens: number;
}

/**
 * Photos whose image features stay in the worker (least recently used dropped first). At the real
 * size a photo's features are 729 × 896 floats (2.6 MB at fp32); a dropped photo is encoded again
 * from its pixels when next asked about.
 */
export const FEATURE_CACHE_PHOTOS = 12;

export class QualityModel {
  /** In least-recently-used order: a use moves a photo to the end. */
  private readonly photos = new Map<string, EncodedPhoto>();
  /** Features a prompt is being built from right now: disposed only once it is done with them. */
  private readonly inUse = new Map<Tensor, number>();
  private readonly retired = new Set<Tensor>();
  private readonly encoding = new Map<string, Promise<EncodedPhoto>>();
  private readonly internals: ModelInternals;

  constructor(
    readonly parts: LoadedParts,
    private readonly cachePhotos = FEATURE_CACHE_PHOTOS,
  ) {
    this.internals = parts.model as unknown as ModelInternals;
  }

  /** Token id of each level word: the first token of the word, looked up in this vocabulary. */
  levelTokenIds(recipe: ScoringRecipe): number[] {
    return recipe.levelWords.map((word) => {
      const ids = this.parts.processor.tokenizer!.encode(word, { add_special_tokens: false });
      if (ids.length === 0) throw new Error(`Level word "${word}" has no token`);
      return ids[0]!;
    });
  }

  /**
   * Encodes a photo's image once; later calls for the same photo reuse the features, and a call
   * made while the photo is being encoded (a score and a description at once) waits for it.
   */
  async encode(
    photoId: string,
    image: RawImage | null,
  ): Promise<EncodedPhoto & { reused: boolean }> {
    const known = this.photos.get(photoId);
    if (known) {
      this.photos.delete(photoId);
      this.photos.set(photoId, known);
      return { ...known, reused: true };
    }
    const inFlight = this.encoding.get(photoId);
    if (inFlight) return { ...(await inFlight), reused: true };
    if (!image) throw new Error('No image was given for a photo the model has not seen.');
    const job = this.encodeImage(image);
    this.encoding.set(photoId, job);
    try {
      const encoded = await job;
      this.photos.set(photoId, encoded);
      while (this.photos.size > this.cachePhotos) this.forget(this.photos.keys().next().value!);
      return { ...encoded, reused: false };
    } finally {
      this.encoding.delete(photoId);
    }
  }

  private async encodeImage(image: RawImage): Promise<EncodedPhoto> {
    const started = performance.now();
    const { pixel_values } = (await this.parts.processor.image_processor!(image)) as {
      pixel_values: Tensor;
    };
    const pixels = this.parts.pixelType === 'float16' ? toFloat16(pixel_values) : pixel_values;
    const features = await this.internals.encode_image({ pixel_values: pixels });
    const [, , height = 0, width = 0] = pixel_values.dims;
    const expected = imageTokenCount(height, width, this.parts.processorFields);
    if (features.dims[1] !== expected) {
      throw new ExplainedError({
        kind: 'bad-model',
        message: `The vision encoder gave ${features.dims[1]} image features where the processor expects ${expected}.`,
        advice: 'The model files and the processor configuration do not belong together.',
      });
    }
    return { features, encodeMs: performance.now() - started };
  }

  /** Whether a photo's image features are held (so no image is needed to use it). */
  isEncoded(photoId: string): boolean {
    return this.photos.has(photoId);
  }

  /** Photos whose features are held, least recently used first (debug view, tests). */
  encodedPhotos(): string[] {
    return [...this.photos.keys()];
  }

  forget(photoId: string) {
    const features = this.photos.get(photoId)?.features;
    this.photos.delete(photoId);
    if (!features) return;
    if (this.inUse.has(features)) this.retired.add(features);
    else features.dispose();
  }

  /** Builds the prompt's embeddings with the photo's features in place of the image tokens. */
  async prepare(
    photoId: string,
    turns: ChatTurn[],
    assistantPrefix: string,
  ): Promise<PreparedPrompt> {
    const encoded = this.photos.get(photoId);
    if (!encoded) throw new Error('The photo must be encoded before a prompt is built.');
    const features = encoded.features;
    this.inUse.set(features, (this.inUse.get(features) ?? 0) + 1);
    try {
      return await this.mergePrompt(features, turns, assistantPrefix);
    } finally {
      const users = this.inUse.get(features)! - 1;
      if (users > 0) this.inUse.set(features, users);
      else {
        this.inUse.delete(features);
        if (this.retired.delete(features)) features.dispose();
      }
    }
  }

  private async mergePrompt(
    features: Tensor,
    turns: ChatTurn[],
    assistantPrefix: string,
  ): Promise<PreparedPrompt> {
    const encoded = { features };
    const text = expandImageTokens(renderChat(turns, assistantPrefix), encoded.features.dims[1]!);
    const tokenizer = this.parts.processor.tokenizer!;
    const { input_ids, attention_mask } = tokenizer(text, { add_special_tokens: false }) as {
      input_ids: Tensor;
      attention_mask: Tensor;
    };
    const embeds = await this.internals.encode_text({ input_ids });
    const merged = this.internals._merge_input_ids_with_image_features({
      image_features: encoded.features,
      inputs_embeds: embeds,
      input_ids,
      attention_mask,
    });
    return {
      inputIds: input_ids,
      inputsEmbeds: merged.inputs_embeds,
      attentionMask: merged.attention_mask,
      tokens: input_ids.dims[1]!,
    };
  }

  /** Scores an encoded photo: one decoder pass, logits of the next token at the level words. */
  async score(
    photoId: string,
    image: RawImage | null,
    recipe: ScoringRecipe,
  ): Promise<ScoreResult> {
    const started = performance.now();
    const encoded = await this.encode(photoId, image);
    const prompt = await this.prepare(
      photoId,
      [{ role: 'user', text: recipe.question, withImage: true }],
      recipe.assistantPrefix,
    );
    const prefillStart = performance.now();
    const lastLogits = await this.nextTokenLogits(prompt);
    const prefillMs = performance.now() - prefillStart;
    const levelTokenIds = this.levelTokenIds(recipe);
    const levelLogits = levelTokenIds.map((id) => lastLogits[id]!);
    return {
      ...scoreFromLevelLogits(levelLogits),
      levelLogits,
      levelTokenIds,
      promptTokens: prompt.tokens,
      timings: {
        encodeMs: encoded.reused ? 0 : encoded.encodeMs,
        prefillMs,
        totalMs: performance.now() - started,
      },
      recipe: recipe.name,
    };
  }

  /**
   * One decoder pass over a prompt; returns the last position's logits as float32. Asks the
   * decoder for the last position only when it declares num_logits_to_keep (otherwise the full
   * [sequence × vocabulary] logits are materialised: ≈ 465 MB at the real vocabulary).
   */
  async nextTokenLogits(prompt: PreparedPrompt): Promise<Float32Array> {
    const inputs: Record<string, unknown> = {
      inputs_embeds: prompt.inputsEmbeds,
      attention_mask: prompt.attentionMask,
    };
    if (this.parts.hasNumLogitsToKeep) inputs.num_logits_to_keep = new Tensor('int64', [1n], []);
    const outputs = await this.internals.forward(inputs);
    try {
      const logits = outputs.logits!;
      const [, positions = 1, vocab = 0] = logits.dims;
      const last = logits.slice(null, [positions - 1, positions], null).to('float32');
      return new Float32Array(last.data as Float32Array).subarray(0, vocab);
    } finally {
      disposeAll(outputs);
    }
  }
}

/** Frees every tensor in a model output (GPU buffers on WebGPU). */
export function disposeAll(outputs: Record<string, unknown>) {
  for (const value of Object.values(outputs)) {
    if (value instanceof Tensor) value.dispose();
    else if (
      value &&
      typeof value === 'object' &&
      'dispose' in value &&
      typeof value.dispose === 'function'
    ) {
      value.dispose();
    }
  }
}
