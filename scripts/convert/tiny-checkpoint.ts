/**
 * Writes a small LLaVA-OneVision checkpoint the way transformers saves one (config.json +
 * safetensors, legacy or current parameter names), with random weights: what the converter's tests
 * and the e2e journey convert, since no real checkpoint is reachable from CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlavaOnevisionConfig } from '../model-graphs/configs.ts';
import { configJson, modelJsonFiles, tokenizerJson } from '../model-graphs/model-files.ts';
import { randomWeights } from '../model-graphs/weights.ts';
import { checkpointNames, expectedParameters } from './checkpoint.ts';
import { writeSafetensors, type FloatDtype, type TensorToWrite } from './safetensors.ts';

export interface TinyCheckpointOptions {
  config: LlavaOnevisionConfig;
  seed: number;
  /** Storage type of every tensor (real checkpoints are F16/BF16). */
  dtype?: FloatDtype;
  /** `legacy` (language_model.model.*, as llava-hf saved them) or `current` (model.*). */
  names?: 'legacy' | 'current';
  /** Give the checkpoint its own lm_head tensor (untied output head). */
  untiedHead?: boolean;
  /** Split the tensors over this many shards with a model.safetensors.index.json. */
  shards?: number;
  /** `real`: the Qwen2 vocabulary and the model's JSON files; `stub`: a minimal tokenizer.json. */
  tokenizer?: 'real' | 'stub';
}

/** A tokenizer.json transformers.js can parse, for models whose vocabulary does not matter. */
const STUB_TOKENIZER = {
  version: '1.0',
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: null,
  post_processor: null,
  decoder: null,
  model: { type: 'BPE', vocab: {}, merges: [] },
};

/**
 * Writes the checkpoint into `dir` and returns its parameters by legacy name (fp32 values as
 * generated, before any F16/BF16 rounding of the file).
 */
export function writeTinyCheckpoint(
  dir: string,
  options: TinyCheckpointOptions,
): Map<string, Float32Array> {
  const { config, seed, dtype = 'F32', names = 'legacy', shards = 1 } = options;
  mkdirSync(dir, { recursive: true });
  const random = randomWeights(seed);
  const params = new Map<string, Float32Array>();
  const tensors: [string, TensorToWrite][] = [];
  for (const [name, shape] of expectedParameters(config, options.untiedHead ?? false)) {
    const values = random(name, shape);
    params.set(name, values);
    const stored = names === 'legacy' ? name : (checkpointNames(name)[1] ?? name);
    tensors.push([stored, { shape, values, dtype }]);
  }
  if (shards <= 1) {
    writeSafetensors(join(dir, 'model.safetensors'), new Map(tensors));
  } else {
    const weightMap: Record<string, string> = {};
    const per = Math.ceil(tensors.length / shards);
    for (let s = 0; s < shards; s++) {
      const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const part = tensors.slice(s * per, (s + 1) * per);
      for (const [name] of part) weightMap[name] = file;
      writeSafetensors(join(dir, file), new Map(part));
    }
    writeFileSync(
      join(dir, 'model.safetensors.index.json'),
      `${JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2)}\n`,
    );
  }
  // An untied head is declared the way transformers does: tie_word_embeddings false.
  const configText = options.untiedHead
    ? configJson(config).replaceAll('"tie_word_embeddings": true', '"tie_word_embeddings": false')
    : configJson(config);
  if (options.tokenizer === 'real') {
    for (const [name, text] of Object.entries(modelJsonFiles(config))) {
      writeFileSync(join(dir, name), name === 'config.json' ? configText : text);
    }
    writeFileSync(join(dir, 'tokenizer.json'), tokenizerJson());
  } else {
    writeFileSync(join(dir, 'config.json'), configText);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(STUB_TOKENIZER));
  }
  return params;
}

/** Tiny sizes, but every mechanism of the real model: GQA (4 query / 2 KV heads), 2×2 patches. */
export const TINY_CONFIG: LlavaOnevisionConfig = {
  vision: {
    imageSize: 28,
    patchSize: 14,
    hidden: 32,
    intermediate: 64,
    heads: 2,
    layers: 2,
    layerNormEps: 1e-6,
  },
  text: {
    vocab: 128,
    hidden: 64,
    intermediate: 128,
    heads: 4,
    kvHeads: 2,
    layers: 2,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    maxPositions: 32768,
  },
  imageTokenIndex: 120,
  videoTokenIndex: 121,
};
