/**
 * Architecture sizes for the LLaVA-OneVision graphs. One builder serves the tiny test fixture and a
 * full-size model with the real shapes (shared/reference/llava-onevision-0.5b/SHAPES.md).
 */

/** SigLIP vision tower sizes (HF `SiglipVisionConfig` names in comments). */
export interface VisionConfig {
  /** `image_size`: the square input side. */
  imageSize: number;
  /** `patch_size`: the patch-embedding Conv kernel and stride. */
  patchSize: number;
  /** `hidden_size`. */
  hidden: number;
  /** `intermediate_size` of the MLP. */
  intermediate: number;
  /** `num_attention_heads`. */
  heads: number;
  /** `num_hidden_layers` actually kept (the HF conversion drops SigLIP's last layer). */
  layers: number;
  /** `layer_norm_eps`. */
  layerNormEps: number;
}

/** Qwen2 decoder sizes (HF `Qwen2Config` names in comments). */
export interface TextConfig {
  /** `vocab_size`: rows of the embedding and the LM head. */
  vocab: number;
  /** `hidden_size`. */
  hidden: number;
  /** `intermediate_size` of the SwiGLU MLP. */
  intermediate: number;
  /** `num_attention_heads`. */
  heads: number;
  /** `num_key_value_heads` (GQA). */
  kvHeads: number;
  /** `num_hidden_layers`. */
  layers: number;
  /** `rms_norm_eps`. */
  rmsNormEps: number;
  /** `rope_theta`. */
  ropeTheta: number;
  /** `max_position_embeddings` (config only; RoPE is computed from position_ids). */
  maxPositions: number;
}

/** Everything the graph builders and the config writer need. */
export interface LlavaOnevisionConfig {
  vision: VisionConfig;
  text: TextConfig;
  /** `image_token_index`. */
  imageTokenIndex: number;
  /** `video_token_index`. */
  videoTokenIndex: number;
  /**
   * Whether the decoder declares the optional `num_logits_to_keep` input (default true). false
   * writes a decoder that always returns every position's logits, as a decoder exported without
   * it would: the benchmark compares the two.
   */
  decoderNumLogitsToKeep?: boolean;
  /**
   * A constant added to the logit of one vocabulary entry (its BPE piece, e.g. `Excellent`) after
   * the LM head: a model with a known opinion, so a journey can show what the app does when the
   * model and the pixels disagree. The real architecture has no such term; only test variants set
   * it, and the model folder's config says so (`fixture_logit_bias`).
   */
  decoderLogitBias?: { piece: string; value: number };
}

/**
 * Config switches a variant of a model may change: the benchmark's decoder without
 * num_logits_to_keep, and the opinionated test decoder.
 */
export type ModelVariant = Pick<
  LlavaOnevisionConfig,
  'decoderNumLogitsToKeep' | 'decoderLogitBias'
>;

/** Derived sizes, checked once so builders can trust them. */
export function derived(config: LlavaOnevisionConfig): {
  patchesPerSide: number;
  imageTokens: number;
  visionHeadDim: number;
  headDim: number;
} {
  const { vision, text } = config;
  if (vision.hidden % vision.heads !== 0) throw new Error('vision hidden must divide by heads');
  if (text.hidden % text.heads !== 0) throw new Error('text hidden must divide by heads');
  if (text.heads % text.kvHeads !== 0)
    throw new Error('query heads must be a multiple of KV heads');
  const headDim = text.hidden / text.heads;
  if (headDim % 2 !== 0) throw new Error('RoPE needs an even head size');
  const patchesPerSide = Math.floor(vision.imageSize / vision.patchSize);
  return {
    patchesPerSide,
    imageTokens: patchesPerSide * patchesPerSide,
    visionHeadDim: vision.hidden / vision.heads,
    headDim,
  };
}

/**
 * The tiny test fixture: real image geometry (384 px, patch 14 → 729 tokens) and the real
 * vocabulary width (152000 rows), everything else small.
 */
export const FIXTURE_CONFIG: LlavaOnevisionConfig = {
  vision: {
    imageSize: 384,
    patchSize: 14,
    hidden: 32,
    intermediate: 64,
    heads: 2,
    layers: 2,
    layerNormEps: 1e-6,
  },
  text: {
    vocab: 152000,
    hidden: 64,
    intermediate: 128,
    heads: 4,
    kvHeads: 2,
    layers: 2,
    rmsNormEps: 1e-6,
    ropeTheta: 1000000,
    maxPositions: 32768,
  },
  imageTokenIndex: 151646,
  videoTokenIndex: 151647,
};

/** The real LLaVA-OneVision-0.5B shapes (SHAPES.md), for the speed benchmark and the converter. */
export const FULL_SIZE_CONFIG: LlavaOnevisionConfig = {
  vision: {
    imageSize: 384,
    patchSize: 14,
    hidden: 1152,
    intermediate: 4304,
    heads: 16,
    layers: 26,
    layerNormEps: 1e-6,
  },
  text: {
    vocab: 152000,
    hidden: 896,
    intermediate: 4864,
    heads: 14,
    kvHeads: 2,
    layers: 24,
    rmsNormEps: 1e-6,
    ropeTheta: 1000000,
    maxPositions: 32768,
  },
  imageTokenIndex: 151646,
  videoTokenIndex: 151647,
};
