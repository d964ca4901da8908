/**
 * A Hugging Face LLaVA-OneVision checkpoint folder (config.json + safetensors), checked and turned
 * into what the graph builder needs: a {@link LlavaOnevisionConfig} and a {@link WeightSource}.
 *
 * The authority for names, layouts and defaults is the Hugging Face transformers source:
 * - models/llava_onevision/modeling_llava_onevision.py: `LlavaOnevisionForConditionalGeneration.
 *   _checkpoint_conversion_mapping` maps the legacy names (`language_model.model.*`, `vision_tower.*`,
 *   `multi_modal_projector.*`, `image_newline`, `language_model.lm_head`) to the newer `model.*`
 *   ones (`model.language_model.*`, `model.vision_tower.*`, …, `lm_head`); both are accepted here.
 *   `_tied_weights_keys` ties `lm_head.weight` to the token embedding. transformers ties them when
 *   the text config's `tie_word_embeddings` is true (Qwen2-0.5B: true), ignoring any lm_head tensor
 *   in the file; the converter does the same, and uses a checkpoint's own lm_head only when the
 *   text config says `tie_word_embeddings: false` (the Qwen2Config default when the key is absent).
 * - `LlavaOnevisionMultiModalProjector`: linear_1 (vision hidden → text hidden), act, linear_2.
 * - models/llava_onevision/configuration_llava_onevision.py: sub-configs default to SigLIP and
 *   Qwen2, `image_token_index` 151646 (newer files call it `image_token_id`).
 * - models/siglip/configuration_siglip.py `SiglipVisionConfig` and models/qwen2/
 *   configuration_qwen2.py `Qwen2Config`: class defaults for values config.json leaves out
 *   (transformers writes only values that differ from the class defaults).
 * - nn.Linear stores weight as [out, in]; the builder takes exactly that layout (it transposes for
 *   MatMul itself, layers.ts `linear`), so weights pass through unchanged. The q/k/v projections keep
 *   HF's head order ([heads · head_dim, hidden], head-major), which the builder's splitHeads expects,
 *   and Qwen2's k/v have num_key_value_heads heads (grouped-query attention, repeat_kv in
 *   modeling_qwen2.py). HF Qwen2 weights are already in the rotate_half RoPE convention
 *   (`apply_rotary_pos_emb`), so q/k rows are not permuted (unlike the interleaved-to-halves permute
 *   of LLaMA's original conversion script).
 * - Norms: SigLIP LayerNorm has weight and bias; Qwen2RMSNorm has a weight only, used as is
 *   (no 1 + w offset). Both pass through unchanged.
 * - models/llava_onevision/convert_llava_onevision_weights_to_hf.py produced the legacy names
 *   (mm_projector.0/2 → multi_modal_projector.linear_1/2, image_newline at the top level) and kept
 *   26 SigLIP layers. `image_newline` is only used by anyres packing (anyres.ts), not by the graphs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphName } from '../model-graphs/build.ts';
import type { LlavaOnevisionConfig } from '../model-graphs/configs.ts';
import type { WeightSource } from '../model-graphs/weights.ts';
import { readSafetensorsHeader, readTensor, type SafetensorsFile } from './safetensors.ts';

/** A problem with the model being converted, worded for the person running the converter. */
export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

/** The architecture the converter handles. */
export const SUPPORTED_ARCHITECTURE = 'LlavaOnevisionForConditionalGeneration';

type Json = Record<string, unknown>;

function readJson(path: string, what: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConvertError(`missing ${what}: ${path}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    return value as Json;
  } catch {
    throw new ConvertError(`${what} is not a JSON object: ${path}`);
  }
}

const num = (section: Json, key: string, fallback: number): number => {
  const v = section[key];
  return typeof v === 'number' ? v : fallback;
};

/**
 * Checks config.json describes LLaVA-OneVision with a SigLIP tower and a Qwen2 decoder, as the
 * graphs are built, and returns the sizes. Anything the graphs cannot represent is refused by name.
 */
export function checkpointConfig(config: Json): LlavaOnevisionConfig {
  const architectures = Array.isArray(config.architectures) ? config.architectures : [];
  const modelType = config.model_type;
  if (!architectures.includes(SUPPORTED_ARCHITECTURE) && modelType !== 'llava_onevision') {
    const found = architectures.length ? architectures.join(', ') : `model_type ${modelType}`;
    throw new ConvertError(
      `this is a ${found} checkpoint; the converter handles ${SUPPORTED_ARCHITECTURE} ` +
        '(llava_onevision: SigLIP vision tower + Qwen2 decoder) only. Original LLaVA-NeXT/lmms-lab ' +
        'checkpoints (LlavaQwenForCausalLM) must first be converted to the Hugging Face format.',
    );
  }
  const vision = (config.vision_config ?? {}) as Json;
  const text = (config.text_config ?? {}) as Json;
  const visionType = vision.model_type ?? 'siglip_vision_model';
  const textType = text.model_type ?? 'qwen2';
  if (visionType !== 'siglip_vision_model') {
    throw new ConvertError(
      `vision tower is ${String(visionType)}; only siglip_vision_model is supported`,
    );
  }
  if (textType !== 'qwen2') {
    throw new ConvertError(
      `language model is ${String(textType)}; only qwen2 is supported (Qwen2 decoder)`,
    );
  }
  const refuse = (what: string, value: unknown, want: string): void => {
    throw new ConvertError(`${what} is ${JSON.stringify(value)}; the graphs implement ${want}`);
  };
  const featureLayer = config.vision_feature_layer ?? -1;
  if (featureLayer !== -1) refuse('vision_feature_layer', featureLayer, '-1 (last layer)');
  const strategy = config.vision_feature_select_strategy ?? 'full';
  if (strategy !== 'full') refuse('vision_feature_select_strategy', strategy, '"full"');
  const projectorAct = config.projector_hidden_act ?? 'gelu';
  if (projectorAct !== 'gelu') refuse('projector_hidden_act', projectorAct, '"gelu"');
  if (config.multimodal_projector_bias === false) {
    refuse('multimodal_projector_bias', false, 'a projector with biases');
  }
  const visionAct = vision.hidden_act ?? 'gelu_pytorch_tanh';
  if (visionAct !== 'gelu_pytorch_tanh') refuse('vision hidden_act', visionAct, 'gelu (tanh)');
  const textAct = text.hidden_act ?? 'silu';
  if (textAct !== 'silu') refuse('text hidden_act', textAct, 'SiLU (SwiGLU MLP)');
  if (text.rope_scaling != null) refuse('rope_scaling', text.rope_scaling, 'plain RoPE');

  // SiglipVisionConfig / Qwen2Config class defaults (see the file comment).
  const heads = num(text, 'num_attention_heads', 32);
  return {
    vision: {
      imageSize: num(vision, 'image_size', 224),
      patchSize: num(vision, 'patch_size', 16),
      hidden: num(vision, 'hidden_size', 768),
      intermediate: num(vision, 'intermediate_size', 3072),
      heads: num(vision, 'num_attention_heads', 12),
      layers: num(vision, 'num_hidden_layers', 12),
      layerNormEps: num(vision, 'layer_norm_eps', 1e-6),
    },
    text: {
      vocab: num(text, 'vocab_size', 151936),
      hidden: num(text, 'hidden_size', 4096),
      intermediate: num(text, 'intermediate_size', 22016),
      heads,
      kvHeads: num(text, 'num_key_value_heads', heads),
      layers: num(text, 'num_hidden_layers', 32),
      rmsNormEps: num(text, 'rms_norm_eps', 1e-6),
      ropeTheta: num(text, 'rope_theta', 10000),
      maxPositions: num(text, 'max_position_embeddings', 32768),
    },
    imageTokenIndex: num(config, 'image_token_index', num(config, 'image_token_id', 151646)),
    videoTokenIndex: num(config, 'video_token_index', num(config, 'video_token_id', 151647)),
  };
}

/**
 * Checkpoint names a builder (legacy-style) name may have, in the order tried: the legacy name
 * itself, then the `model.*` form of newer transformers releases (see the file comment).
 */
export function checkpointNames(builderName: string): string[] {
  const names = [builderName];
  const renames: [string, string][] = [
    ['language_model.model.', 'model.language_model.'],
    ['vision_tower.', 'model.vision_tower.'],
    ['multi_modal_projector.', 'model.multi_modal_projector.'],
    ['language_model.lm_head.', 'lm_head.'],
  ];
  for (const [legacy, current] of renames) {
    if (builderName.startsWith(legacy)) names.push(current + builderName.slice(legacy.length));
  }
  if (builderName === 'image_newline') names.push('model.image_newline');
  return names;
}

/** The safetensors files of a checkpoint folder and which file holds each tensor. */
export interface Checkpoint {
  dir: string;
  /** config.json as written by the model's authors. */
  configJson: Json;
  config: LlavaOnevisionConfig;
  files: SafetensorsFile[];
  /** Tensor name → file. */
  where: Map<string, SafetensorsFile>;
  /** The decoder uses the checkpoint's own lm_head (untied); otherwise the embedding is the head. */
  hasLmHead: boolean;
}

/** Names of the safetensors files: `model.safetensors`, or the shards an index lists. */
function safetensorsFiles(dir: string): string[] {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (existsSync(indexPath)) {
    const index = readJson(indexPath, 'model.safetensors.index.json');
    const map = index.weight_map as Record<string, string> | undefined;
    if (!map || typeof map !== 'object') {
      throw new ConvertError('model.safetensors.index.json has no weight_map');
    }
    const shards = [...new Set(Object.values(map))].sort();
    const missing = shards.filter((s) => !existsSync(join(dir, s)));
    if (missing.length) {
      throw new ConvertError(
        `missing checkpoint shard(s) listed in model.safetensors.index.json: ${missing.join(', ')}`,
      );
    }
    return shards;
  }
  if (existsSync(join(dir, 'model.safetensors'))) return ['model.safetensors'];
  if (existsSync(join(dir, 'pytorch_model.bin'))) {
    throw new ConvertError(
      'only pytorch_model.bin found; convert it to safetensors first (pickle files are not read)',
    );
  }
  throw new ConvertError(
    `missing weights: no model.safetensors or model.safetensors.index.json in ${dir}`,
  );
}

/** Opens and checks a checkpoint folder (headers only; tensors are read on demand). */
export function openCheckpoint(dir: string): Checkpoint {
  const configJson = readJson(join(dir, 'config.json'), 'config.json');
  const config = checkpointConfig(configJson);
  const files = safetensorsFiles(dir).map((name) => readSafetensorsHeader(join(dir, name)));
  const where = new Map<string, SafetensorsFile>();
  for (const file of files) for (const name of file.tensors.keys()) where.set(name, file);
  const lmHeadInFile = checkpointNames('language_model.lm_head.weight').some((n) => where.has(n));
  const text = (configJson.text_config ?? {}) as Json;
  const tied = text.tie_word_embeddings ?? false;
  if (!lmHeadInFile && tied === false && text.tie_word_embeddings === false) {
    throw new ConvertError(
      'text_config says tie_word_embeddings: false but the checkpoint has no lm_head tensor',
    );
  }
  const hasLmHead = lmHeadInFile && tied === false;
  const checkpoint: Checkpoint = { dir, configJson, config, files, where, hasLmHead };
  checkShapes(checkpoint);
  return checkpoint;
}

/** Where a builder name lives in the checkpoint, or null. */
function locate(checkpoint: Checkpoint, builderName: string): string | null {
  return checkpointNames(builderName).find((n) => checkpoint.where.has(n)) ?? null;
}

/** Every parameter the graphs read, with the shape the config implies (PyTorch layout). */
export function expectedParameters(
  config: LlavaOnevisionConfig,
  hasLmHead: boolean,
): Map<string, number[]> {
  const { vision: v, text: t } = config;
  const patches = Math.floor(v.imageSize / v.patchSize) ** 2;
  const headDim = t.hidden / t.heads;
  const out = new Map<string, number[]>();
  const vt = 'vision_tower.vision_model';
  out.set(`${vt}.embeddings.patch_embedding.weight`, [v.hidden, 3, v.patchSize, v.patchSize]);
  out.set(`${vt}.embeddings.patch_embedding.bias`, [v.hidden]);
  out.set(`${vt}.embeddings.position_embedding.weight`, [patches, v.hidden]);
  for (let i = 0; i < v.layers; i++) {
    const l = `${vt}.encoder.layers.${i}`;
    for (const n of ['layer_norm1', 'layer_norm2']) {
      out.set(`${l}.${n}.weight`, [v.hidden]);
      out.set(`${l}.${n}.bias`, [v.hidden]);
    }
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      out.set(`${l}.self_attn.${p}.weight`, [v.hidden, v.hidden]);
      out.set(`${l}.self_attn.${p}.bias`, [v.hidden]);
    }
    out.set(`${l}.mlp.fc1.weight`, [v.intermediate, v.hidden]);
    out.set(`${l}.mlp.fc1.bias`, [v.intermediate]);
    out.set(`${l}.mlp.fc2.weight`, [v.hidden, v.intermediate]);
    out.set(`${l}.mlp.fc2.bias`, [v.hidden]);
  }
  out.set('multi_modal_projector.linear_1.weight', [t.hidden, v.hidden]);
  out.set('multi_modal_projector.linear_1.bias', [t.hidden]);
  out.set('multi_modal_projector.linear_2.weight', [t.hidden, t.hidden]);
  out.set('multi_modal_projector.linear_2.bias', [t.hidden]);
  out.set('image_newline', [t.hidden]);
  const lm = 'language_model.model';
  out.set(`${lm}.embed_tokens.weight`, [t.vocab, t.hidden]);
  for (let i = 0; i < t.layers; i++) {
    const l = `${lm}.layers.${i}`;
    out.set(`${l}.input_layernorm.weight`, [t.hidden]);
    out.set(`${l}.post_attention_layernorm.weight`, [t.hidden]);
    out.set(`${l}.self_attn.q_proj.weight`, [t.heads * headDim, t.hidden]);
    out.set(`${l}.self_attn.q_proj.bias`, [t.heads * headDim]);
    out.set(`${l}.self_attn.k_proj.weight`, [t.kvHeads * headDim, t.hidden]);
    out.set(`${l}.self_attn.k_proj.bias`, [t.kvHeads * headDim]);
    out.set(`${l}.self_attn.v_proj.weight`, [t.kvHeads * headDim, t.hidden]);
    out.set(`${l}.self_attn.v_proj.bias`, [t.kvHeads * headDim]);
    out.set(`${l}.self_attn.o_proj.weight`, [t.hidden, t.heads * headDim]);
    out.set(`${l}.mlp.gate_proj.weight`, [t.intermediate, t.hidden]);
    out.set(`${l}.mlp.up_proj.weight`, [t.intermediate, t.hidden]);
    out.set(`${l}.mlp.down_proj.weight`, [t.hidden, t.intermediate]);
  }
  out.set(`${lm}.norm.weight`, [t.hidden]);
  if (hasLmHead) out.set('language_model.lm_head.weight', [t.vocab, t.hidden]);
  return out;
}

/** Every parameter present with the right shape, before any graph is built (fail fast, by name). */
function checkShapes(checkpoint: Checkpoint): void {
  const missing: string[] = [];
  for (const [name, shape] of expectedParameters(checkpoint.config, checkpoint.hasLmHead)) {
    const found = locate(checkpoint, name);
    if (!found) {
      missing.push(name);
      continue;
    }
    const entry = checkpoint.where.get(found)!.tensors.get(found)!;
    if (entry.shape.join('x') !== shape.join('x')) {
      throw new ConvertError(
        `tensor ${found} has shape [${entry.shape.join(', ')}] but config.json implies ` +
          `[${shape.join(', ')}]`,
      );
    }
  }
  if (missing.length) {
    const shown = missing.slice(0, 5).join(', ');
    throw new ConvertError(
      `checkpoint lacks ${missing.length} tensor(s) the model needs, e.g. ${shown}` +
        (missing.length > 5 ? ', …' : ''),
    );
  }
}

/**
 * The builder's {@link WeightSource} over a checkpoint, for one graph. Builder names are the legacy
 * HF names. The decoder's LM head asks for the token embedding (decoder.ts, tied head); when the
 * checkpoint has its own `lm_head.weight` (untied), the decoder graph gets that tensor instead. The
 * decoder reads the embedding for nothing else (it takes inputs_embeds), so the swap is exact.
 */
export function checkpointWeights(checkpoint: Checkpoint, graph?: GraphName): WeightSource {
  const untiedHead = graph === 'decoder_model_merged' && checkpoint.hasLmHead;
  return (requested, shape) => {
    const name =
      untiedHead && requested === 'language_model.model.embed_tokens.weight'
        ? 'language_model.lm_head.weight'
        : requested;
    const found = locate(checkpoint, name);
    if (!found) throw new ConvertError(`checkpoint has no tensor for ${name}`);
    const file = checkpoint.where.get(found)!;
    const entry = file.tensors.get(found)!;
    if (entry.shape.join('x') !== shape.join('x')) {
      throw new ConvertError(
        `tensor ${found} has shape [${entry.shape.join(', ')}], the graph needs [${shape.join(', ')}]`,
      );
    }
    return readTensor(file, found);
  };
}
