/**
 * Precisions: which ONNX variant of each of the three graphs to load. Variants are named by the
 * transformers.js `dtype` (file suffix in onnx/). A preset keeps the graphs' inputs and outputs
 * consistent (all float32 or all float16 at the boundaries); hand-made mixes are checked after
 * loading by `checkBoundaryTypes`.
 */

export const SESSIONS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type SessionName = (typeof SESSIONS)[number];

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
export type DtypeMap = Record<SessionName, Dtype>;

/** The precision presets offered in the UI. */
export const PRESETS = {
  q4f16: { label: '4-bit weights, fp16 (WebGPU with shader-f16)', dtype: 'q4f16', needsF16: true },
  q4: { label: '4-bit weights, fp32 activations', dtype: 'q4', needsF16: false },
  q8: { label: '8-bit weights (good on CPU/WASM)', dtype: 'q8', needsF16: false },
  fp16: { label: 'fp16 (large)', dtype: 'fp16', needsF16: true },
  fp32: { label: 'fp32 (largest, reference)', dtype: 'fp32', needsF16: false },
} as const satisfies Record<string, { label: string; dtype: Dtype; needsF16: boolean }>;

export type PresetName = keyof typeof PRESETS;

/** transformers.js file suffix for each dtype. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/**
 * Known sizes (bytes) of the default model's files on the Hub (shared/reference NOTES.md), used
 * when the host cannot be asked (HEAD) before a download. Missing entries were not confirmed.
 */
export const KNOWN_SIZES: Partial<Record<SessionName, Partial<Record<Dtype, number>>>> = {
  decoder_model_merged: {
    fp32: 1.99e9,
    fp16: 997e6,
    int8: 512e6,
    uint8: 512e6,
    q8: 512e6,
    q4: 327e6,
    q4f16: 287e6,
    bnb4: 296e6,
  },
  embed_tokens: {
    fp32: 545e6,
    fp16: 272e6,
    uint8: 136e6,
    q8: 136e6,
    q4: 545e6,
    q4f16: 272e6,
    bnb4: 545e6,
  },
  vision_encoder: { fp16: 800e6, int8: 404e6, q4: 257e6, q4f16: 228e6, bnb4: 232e6 },
};

/** What the device can do, probed in the model worker. */
export interface Capabilities {
  webgpu: boolean;
  shaderF16: boolean;
  adapterName?: string;
  /** Why WebGPU is unavailable, when it is. */
  webgpuProblem?: string;
  crossOriginIsolated: boolean;
  threads: number;
}

export type Device = 'webgpu' | 'wasm';

/** The device and preset chosen by default for these capabilities. */
export function defaultRuntime(caps: Capabilities): { device: Device; preset: PresetName } {
  if (caps.webgpu && caps.shaderF16) return { device: 'webgpu', preset: 'q4f16' };
  if (caps.webgpu) return { device: 'webgpu', preset: 'q4' };
  // On the CPU, 8-bit beats 4-bit: onnxruntime-web's MatMulInteger is fast in WASM while its 4-bit
  // MatMulNBits is not (docs/BENCHMARKS.md: full-size score 12.9 s vs 27.4 s, decode 11 vs 0.9
  // tokens/s), for about the same download.
  return { device: 'wasm', preset: 'q8' };
}

/** A preset as a per-session dtype map. */
export function presetDtypes(preset: PresetName): DtypeMap {
  const d = PRESETS[preset].dtype;
  return { vision_encoder: d, embed_tokens: d, decoder_model_merged: d };
}

/** Why a preset cannot run with these capabilities, or null when it can. */
export function presetProblem(
  preset: PresetName,
  device: Device,
  caps: Capabilities,
): string | null {
  if (device === 'webgpu' && !caps.webgpu) return 'WebGPU is not available in this browser.';
  if (device === 'webgpu' && PRESETS[preset].needsF16 && !caps.shaderF16) {
    return `${preset} needs the WebGPU 'shader-f16' feature, which this GPU does not offer. Choose q4 or fp32.`;
  }
  return null;
}

/**
 * Parses a per-session dtype map from a URL value such as
 * `vision_encoder:fp16,embed_tokens:fp16,decoder_model_merged:q4`, or a single preset name.
 */
export function parseDtypeSetting(value: string): DtypeMap | null {
  if (value in PRESETS) return presetDtypes(value as PresetName);
  const map: Partial<DtypeMap> = {};
  for (const part of value.split(',')) {
    const [session, dtype] = part.split(':');
    if (!session || !dtype) return null;
    if (!(SESSIONS as readonly string[]).includes(session)) return null;
    if (!(dtype in DTYPE_SUFFIX)) return null;
    map[session as SessionName] = dtype as Dtype;
  }
  return SESSIONS.every((s) => map[s]) ? (map as DtypeMap) : null;
}

/** Short human name of a dtype map: the preset name when uniform, else each session's dtype. */
export function describeDtypes(map: DtypeMap): string {
  const values = SESSIONS.map((s) => map[s]);
  return values.every((v) => v === values[0])
    ? String(values[0])
    : SESSIONS.map((s) => `${s.split('_')[0]} ${map[s]}`).join(', ');
}

/** One graph input or output as onnxruntime reports it. */
export interface TensorInfo {
  name: string;
  type: string;
}

/** The boundary types that must agree between the three graphs. */
export interface BoundaryTypes {
  visionInput: TensorInfo | undefined;
  visionOutput: TensorInfo | undefined;
  embedOutput: TensorInfo | undefined;
  decoderEmbedsInput: TensorInfo | undefined;
}

/**
 * Refuses a combination whose graphs disagree at their boundaries: image features and token
 * embeddings are written into the same decoder input, so both must have the decoder's element
 * type. (A silent mismatch was seen to produce garbage, not an error.)
 */
export function checkBoundaryTypes(t: BoundaryTypes): string | null {
  const want = t.decoderEmbedsInput?.type;
  if (!want)
    return 'The decoder declares no inputs_embeds input; this is not a LLaVA-OneVision export.';
  if (!t.visionOutput) return 'The vision encoder declares no image_features output.';
  if (!t.embedOutput) return 'The token-embedding graph declares no inputs_embeds output.';
  const bad: string[] = [];
  if (t.visionOutput.type !== want) bad.push(`the vision encoder outputs ${t.visionOutput.type}`);
  if (t.embedOutput.type !== want) bad.push(`the token embedding outputs ${t.embedOutput.type}`);
  if (bad.length === 0) return null;
  return `These precisions do not fit together: the decoder expects ${want} embeddings but ${bad.join(' and ')}. Choose one preset for all three parts.`;
}
