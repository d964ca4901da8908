/**
 * A loaded quality model: encodes each photo once, runs the decoder once over the part every
 * prompt about it shares and continues each prompt from there (prompt-caches.ts), and scores a
 * photo with a recipe by reading the next-token logits at the level words (Q-Align / Q-SiT).
 */
import { Tensor, type RawImage } from '@huggingface/transformers';
import {
  expandImageTokens,
  IMAGE_TOKEN,
  photoPrefix,
  renderChat,
  type ChatTurn,
} from '../prompt.ts';
import { packImageFeatures } from '../anyres.ts';
import type { ImageMode } from '../image-mode.ts';
import type { AnyresTiling, ScoreResult } from '../protocol.ts';
import { normalisePlanes, referencePixelValues } from '../reference-image.ts';
import { imageTokenCount } from '../processor-config.ts';
import type { ScoringRecipe } from '../recipes.ts';
import { scoreFromLevelLogits } from '../scoring.ts';
import { ExplainedError } from './errors.ts';
import { meanPooled, toFloat16 } from './float16.ts';
import {
  disposeKv,
  kvOf,
  PROMPT_CACHE_BYTES,
  PromptCaches,
  type CacheEntry,
  type CacheKind,
  type KvCache,
} from './prompt-caches.ts';
import type { LoadedParts } from './runtime.ts';

interface EncodedPhoto {
  /** [1, image tokens, hidden]: what replaces the prompt's image tokens. */
  features: Tensor;
  /** The features averaged over the image tokens: one small vector a photo keeps for grouping. */
  pooled: Float32Array;
  encodeMs: number;
  mode: ImageMode;
  /** Reference mode: the picture tiled and its grid. */
  anyres?: AnyresTiling;
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

/** A prompt run through the decoder: its next-token logits and, when asked for, its cache. */
export interface Prefilled {
  /** The prompt's token ids, image tokens expanded. */
  ids: number[];
  /** Logits of the token after the prompt, float32. */
  logits: Float32Array;
  /** The cache over all of `ids` (null unless asked for); the caller owns it. */
  kv: KvCache | null;
  /** Where the prompt was continued from, and how many of its tokens that covered. */
  reused: { from: CacheKind | null; tokens: number };
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
  /** Decoder caches of photos' prefixes and conversations; a budget of 0 turns reuse off. */
  readonly caches: PromptCaches;
  private readonly prefixing = new Map<string, Promise<void>>();
  /** Pictures being scored on their own (quality-map regions): they never push a photo out. */
  private transient = 0;
  /**
   * How photos are encoded from now on. A photo held in the other mode is encoded again (when its
   * pixels are given) and its prompt caches dropped.
   */
  imageMode: ImageMode = 'fast';

  constructor(
    readonly parts: LoadedParts,
    private readonly cachePhotos = FEATURE_CACHE_PHOTOS,
    cacheBytes = PROMPT_CACHE_BYTES,
  ) {
    this.internals = parts.model as unknown as ModelInternals;
    this.caches = new PromptCaches(cacheBytes);
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
    const mode = this.imageMode;
    const inFlight = this.encoding.get(photoId);
    if (inFlight) {
      const encoded = await inFlight;
      if (encoded.mode === mode) return { ...encoded, reused: true };
    }
    const known = this.photos.get(photoId);
    if (known && (known.mode === mode || !image)) {
      this.photos.delete(photoId);
      this.photos.set(photoId, known);
      return { ...known, reused: true };
    }
    if (known) this.forget(photoId);
    if (!image) throw new Error('No image was given for a photo the model has not seen.');
    const job = this.encodeImage(image, mode);
    this.encoding.set(photoId, job);
    try {
      const encoded = await job;
      this.photos.set(photoId, encoded);
      while (this.photos.size > this.cachePhotos + this.transient)
        this.forget(this.photos.keys().next().value!);
      return { ...encoded, reused: false };
    } finally {
      this.encoding.delete(photoId);
    }
  }

  private async encodeImage(image: RawImage, mode: ImageMode): Promise<EncodedPhoto> {
    if (mode === 'reference') return this.encodeReference(image);
    const started = performance.now();
    const pixel_values = await this.fastPixelValues(image);
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
    return {
      features,
      pooled: meanPooled(features),
      encodeMs: performance.now() - started,
      mode: 'fast',
    };
  }

  /**
   * The fast mode's pixel_values. A picture already drawn at the processor's size (what the worker
   * draws) is only rescaled and normalised here, exactly as the processor would, without its
   * copies; any other picture goes through the processor, which resizes it first.
   */
  private async fastPixelValues(image: RawImage): Promise<Tensor> {
    const input = this.parts.fastInput;
    if (
      input &&
      image.width === input.width &&
      image.height === input.height &&
      (image.channels === 3 || image.channels === 4)
    ) {
      const pixels = image.width * image.height;
      const values = normalisePlanes(image.data, image.channels, pixels, input.normalisation);
      return new Tensor('float32', values, [1, 3, image.height, image.width]);
    }
    const { pixel_values } = (await this.parts.processor.image_processor!(image)) as {
      pixel_values: Tensor;
    };
    return pixel_values;
  }

  /**
   * The reference (anyres) encoding, as transformers' LLaVA-OneVision: the processor's base image
   * and tiles (reference-image.ts) through the vision encoder in one batch, then the tiles'
   * features laid out as one grid, unpadded, capped and given a newline row each (anyres.ts).
   */
  private async encodeReference(image: RawImage): Promise<EncodedPhoto> {
    const reference = this.parts.reference;
    if (!reference) {
      throw new ExplainedError({
        kind: 'bad-model',
        message: `The reference image mode is not available for this model: ${this.parts.referenceProblem}`,
        advice: 'Use the fast image mode, or a model folder made by the converter.',
      });
    }
    const started = performance.now();
    const { pixelValues, layout } = referencePixelValues(
      { data: image.data, width: image.width, height: image.height, channels: image.channels },
      reference.geometry,
      reference.normalisation,
    );
    const side = reference.geometry.tileSize;
    const pixels = new Tensor('float32', pixelValues, [layout.imageCount, 3, side, side]);
    const perImage = await this.internals.encode_image({
      pixel_values: this.parts.pixelType === 'float16' ? toFloat16(pixels) : pixels,
    });
    const [, rows = 0, hidden = 0] = perImage.dims;
    if (rows !== layout.baseTokens || hidden !== reference.imageNewline.length) {
      throw new ExplainedError({
        kind: 'bad-model',
        message: `The vision encoder gave ${rows} × ${hidden} features per image where anyres expects ${layout.baseTokens} × ${reference.imageNewline.length}.`,
        advice: 'The model files and their configuration do not belong together.',
      });
    }
    const asFloat32 = perImage.type === 'float32' ? perImage : perImage.to('float32');
    const packed = packImageFeatures(
      asFloat32.data as Float32Array,
      hidden,
      reference.imageNewline,
      layout,
    );
    if (asFloat32 !== perImage) asFloat32.dispose();
    const type = perImage.type;
    perImage.dispose();
    let features = new Tensor('float32', packed, [1, layout.tokens, hidden]);
    if (type !== 'float32') {
      const converted = features.to(type);
      features.dispose();
      features = converted;
    }
    return {
      features,
      pooled: meanPooled(features),
      encodeMs: performance.now() - started,
      mode: 'reference',
      anyres: {
        width: image.width,
        height: image.height,
        grid: [layout.grid[0], layout.grid[1]],
        images: layout.imageCount,
      },
    };
  }

  /**
   * Whether a photo's image features are held in the current image mode (so no image is needed
   * to use it).
   */
  isEncoded(photoId: string): boolean {
    return this.photos.get(photoId)?.mode === this.imageMode;
  }

  /** Photos whose features are held, least recently used first (debug view, tests). */
  encodedPhotos(): string[] {
    return [...this.photos.keys()];
  }

  forget(photoId: string) {
    this.caches.forgetPhoto(photoId);
    const features = this.photos.get(photoId)?.features;
    this.photos.delete(photoId);
    if (!features) return;
    if (this.inUse.has(features)) this.retired.add(features);
    else features.dispose();
  }

  /** Builds the prompt's embeddings with the photo's features in place of the image tokens. */
  prepare(photoId: string, turns: ChatTurn[], assistantPrefix: string): Promise<PreparedPrompt> {
    return this.prepareText(photoId, renderChat(turns, assistantPrefix));
  }

  private async prepareText(photoId: string, rendered: string): Promise<PreparedPrompt> {
    const encoded = this.photos.get(photoId);
    if (!encoded) throw new Error('The photo must be encoded before a prompt is built.');
    const features = encoded.features;
    this.inUse.set(features, (this.inUse.get(features) ?? 0) + 1);
    try {
      return await this.mergePrompt(features, rendered);
    } finally {
      const users = this.inUse.get(features)! - 1;
      if (users > 0) this.inUse.set(features, users);
      else {
        this.inUse.delete(features);
        if (this.retired.delete(features)) features.dispose();
      }
    }
  }

  private async mergePrompt(features: Tensor, rendered: string): Promise<PreparedPrompt> {
    const encoded = { features };
    const text = expandImageTokens(rendered, encoded.features.dims[1]!);
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
    const prefillStart = performance.now();
    const prompt = await this.prefill(
      photoId,
      [{ role: 'user', text: recipe.question, withImage: true }],
      recipe.assistantPrefix,
      false,
    );
    const prefillMs = performance.now() - prefillStart;
    const levelTokenIds = this.levelTokenIds(recipe);
    const levelLogits = levelTokenIds.map((id) => prompt.logits[id]!);
    return {
      ...scoreFromLevelLogits(levelLogits),
      levelLogits,
      levelTokenIds,
      promptTokens: prompt.ids.length,
      reusedTokens: prompt.reused.tokens,
      timings: {
        encodeMs: encoded.reused ? 0 : encoded.encodeMs,
        prefillMs,
        totalMs: performance.now() - started,
      },
      recipe: recipe.name,
      imageMode: encoded.mode,
      imageTokens: encoded.features.dims[1]!,
      ...(encoded.anyres ? { anyres: encoded.anyres } : {}),
      imageFeatures: encoded.pooled,
    };
  }

  /**
   * Scores a picture that is not one of the photos (a region cut from one) exactly as a photo is
   * scored, under `key`, then drops everything it made: the photos' features and caches stay.
   */
  async scoreTransient(key: string, image: RawImage, recipe: ScoringRecipe): Promise<ScoreResult> {
    this.transient += 1;
    try {
      return await this.score(key, image, recipe);
    } finally {
      this.forget(key);
      this.transient -= 1;
    }
  }

  /**
   * Runs a prompt about an encoded photo through the decoder, continuing from the longest cache
   * the photo has whose tokens begin the prompt: a conversation's last turn, or the photo's shared
   * prefix (made here on first use). Only the tokens after it are embedded and run. `keep` returns
   * the cache over the whole prompt for the caller to continue (and own).
   */
  async prefill(
    photoId: string,
    turns: ChatTurn[],
    assistantPrefix: string,
    keep: boolean,
  ): Promise<Prefilled> {
    const rendered = renderChat(turns, assistantPrefix);
    const ids = this.tokenIds(rendered, photoId);
    let entry: CacheEntry | null = null;
    if (this.caches.budgetBytes > 0) {
      entry = this.caches.acquire(photoId, ids);
      if (!entry && !this.caches.hasPrefix(photoId)) {
        await this.makePrefix(photoId);
        entry = this.caches.acquire(photoId, ids);
      }
    }
    if (entry && ids.slice(entry.ids.length).includes(this.imageTokenId())) {
      this.caches.release(entry);
      entry = null;
    }
    let outputs: Record<string, Tensor>;
    if (!entry) {
      const prompt = await this.prepareText(photoId, rendered);
      outputs = await this.internals.forward({
        inputs_embeds: prompt.inputsEmbeds,
        attention_mask: prompt.attentionMask,
        ...this.lastOnly(),
      });
    } else {
      try {
        outputs = await this.continueFrom(entry, ids);
      } finally {
        this.caches.release(entry);
      }
    }
    const logits = lastLogits(outputs);
    const kv = kvOf(outputs);
    if (!keep) disposeKv(kv);
    return {
      ids,
      logits,
      kv: keep ? kv : null,
      reused: { from: entry?.kind ?? null, tokens: entry?.ids.length ?? 0 },
    };
  }

  /** Runs the decoder over the tokens of `ids` after those `entry` covers, from its cache. */
  private async continueFrom(entry: CacheEntry, ids: readonly number[]) {
    const rest = ids.slice(entry.ids.length);
    const embeds = await this.internals.encode_text({
      input_ids: new Tensor('int64', BigInt64Array.from(rest, BigInt), [1, rest.length]),
    });
    const outputs = await this.internals.forward({
      inputs_embeds: embeds,
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      past_key_values: entry.kv,
      ...this.lastOnly(),
    });
    embeds.dispose();
    return outputs;
  }

  /**
   * Runs once the opening a batch of prompts about a photo shares beyond its prefix (the attribute
   * questions' common instruction, found from their token ids, never written down) and keeps it,
   * so each prompt of the batch prefills only its own end. Returns the entry, to be given back to
   * `dropShared` when the batch is done; null when the prompts share nothing worth a run (fewer
   * than `least` tokens past the best cache) or caching is off.
   */
  async keepShared(
    photoId: string,
    prompts: { turns: ChatTurn[]; assistantPrefix: string }[],
    least = 8,
  ): Promise<CacheEntry | null> {
    if (this.caches.budgetBytes === 0 || prompts.length < 2) return null;
    const all = prompts.map((p) => this.tokenIds(renderChat(p.turns, p.assistantPrefix), photoId));
    let common = Math.min(...all.map((ids) => ids.length)) - 1;
    for (const ids of all.slice(1)) {
      let i = 0;
      while (i < common && ids[i] === all[0]![i]) i++;
      common = i;
    }
    const shared = all[0]!.slice(0, common);
    if (!this.caches.hasPrefix(photoId)) await this.makePrefix(photoId);
    const from = this.caches.acquire(photoId, shared);
    if (!from) return null;
    try {
      if (shared.length - from.ids.length < least) return null;
      if (shared.slice(from.ids.length).includes(this.imageTokenId())) return null;
      const outputs = await this.continueFrom(from, shared);
      outputs.logits?.dispose();
      return this.caches.add(photoId, 'questions', shared, kvOf(outputs));
    } finally {
      this.caches.release(from);
    }
  }

  /** Frees a batch's shared opening (keepShared). */
  dropShared(entry: CacheEntry | null) {
    if (entry) this.caches.remove(entry);
  }

  /**
   * Keeps a finished conversation's cache (covering `ids`) so its next turn continues from it;
   * the caches own `kv` from now on.
   */
  keepConversation(photoId: string, ids: number[], kv: KvCache) {
    if (this.caches.budgetBytes > 0) this.caches.add(photoId, 'conversation', ids, kv);
    else disposeKv(kv);
  }

  /** Runs the photo's shared prefix once (concurrent callers wait for the same run) and keeps it. */
  private makePrefix(photoId: string): Promise<void> {
    const inFlight = this.prefixing.get(photoId);
    if (inFlight) return inFlight;
    const job = (async () => {
      const prompt = await this.prepareText(photoId, photoPrefix());
      const outputs = await this.internals.forward({
        inputs_embeds: prompt.inputsEmbeds,
        attention_mask: prompt.attentionMask,
        ...this.lastOnly(),
      });
      outputs.logits?.dispose();
      const ids = Array.from(prompt.inputIds.data as BigInt64Array, Number);
      // A photo forgotten meanwhile keeps nothing.
      if (this.photos.has(photoId)) this.caches.add(photoId, 'photo', ids, kvOf(outputs));
      else disposeKv(kvOf(outputs));
    })();
    this.prefixing.set(photoId, job);
    return job.finally(() => this.prefixing.delete(photoId));
  }

  /** Token ids of a rendered prompt with the photo's image tokens expanded. */
  private tokenIds(rendered: string, photoId: string): number[] {
    const features = this.photos.get(photoId)?.features;
    if (!features) throw new Error('The photo must be encoded before a prompt is built.');
    const text = expandImageTokens(rendered, features.dims[1]!);
    return this.parts.processor.tokenizer!.encode(text, { add_special_tokens: false });
  }

  private imageTokenId(): number {
    return this.parts.processor.tokenizer!.encode(IMAGE_TOKEN, { add_special_tokens: false })[0]!;
  }

  private lastOnly(): Record<string, Tensor> {
    return this.parts.hasNumLogitsToKeep
      ? { num_logits_to_keep: new Tensor('int64', BigInt64Array.of(1n), []) }
      : {};
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
    const { logits, ...rest } = await this.internals.forward(inputs);
    try {
      return lastLogits({ logits: logits! });
    } finally {
      disposeAll(rest);
    }
  }
}

/** The last position's logits of a decoder output as float32 (the logits tensor is freed). */
export function lastLogits(outputs: Record<string, Tensor>): Float32Array {
  const logits = outputs.logits!;
  try {
    const [, positions = 1, vocab = 0] = logits.dims;
    const last = logits.slice(null, [positions - 1, positions], null).to('float32');
    return new Float32Array(last.data as Float32Array).subarray(0, vocab);
  } finally {
    logits.dispose();
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
