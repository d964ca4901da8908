/**
 * The transformers.js / onnxruntime-web runtime inside the model worker: environment set-up (all
 * runtime files served by the app itself), capability probing and loading a model with progress.
 */
import {
  env,
  LlavaOnevisionForConditionalGeneration,
  LlavaProcessor,
  type ProgressInfo,
} from '@huggingface/transformers';
import {
  checkBoundaryTypes,
  DTYPE_SUFFIX,
  KNOWN_SIZES,
  SESSIONS,
  type Capabilities,
  type Device,
  type DtypeMap,
  type SessionName,
  type TensorInfo,
} from '../precision.ts';
import { maxTilesOf, type AnyresGeometry, type Size } from '../anyres.ts';
import { IMAGE_NEWLINE_FILE, parseImageNewline } from '../image-newline.ts';
import { missingProcessorFields, type ProcessorFields } from '../processor-config.ts';
import { SIGLIP_NORMALISATION, type PixelNormalisation } from '../reference-image.ts';
import type { FileProgress, LoadSettings, ModelFileInfo } from '../protocol.ts';
import { DEFAULT_MODEL_ID, modelFileUrl, type ModelSource } from '../source.ts';
import { fetchWithAnswerTimeout } from './answer-timeout.ts';
import { ExplainedError } from './errors.ts';
import { MODEL_CACHE, RecordingCache } from './model-cache.ts';
import { fetchWithResume, type ResumeInfo } from './resumable-fetch.ts';

/** onnxruntime-web files the app serves under ort/ (see vite.config.ts). */
const ORT_MJS = 'ort/ort-wasm-simd-threaded.asyncify.mjs';
const ORT_WASM = 'ort/ort-wasm-simd-threaded.asyncify.wasm';

/** How long a model host may take to start answering a download (see answer-timeout.ts). */
const ANSWER_TIMEOUT_MS = 30_000;
/** How long the size check before the download prompt waits for each answer. */
const INSPECT_TIMEOUT_MS = 10_000;

/** The cache transformers.js reads and writes model files through; it records failed writes. */
export const modelCache = new RecordingCache(() => caches.open(MODEL_CACHE));

const answerTimedFetch = fetchWithAnswerTimeout(
  (input, init) => fetch(input, init),
  ANSWER_TIMEOUT_MS,
);

/**
 * Points transformers.js at the model source and at the app's own copy of the WASM runtime; a
 * download whose connection drops is continued where it stopped, and `onResume` told.
 */
export function configureRuntime(
  settings: Pick<LoadSettings, 'source' | 'appBase' | 'hubHost'>,
  onResume?: (info: ResumeInfo) => void,
) {
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.wasmPaths = {
      mjs: new URL(ORT_MJS, settings.appBase).href,
      wasm: new URL(ORT_WASM, settings.appBase).href,
    };
    // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP/COEP headers).
    wasm.numThreads = self.crossOriginIsolated
      ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1))
      : 1;
  }
  env.useBrowserCache = true;
  // The same bucket transformers.js would open itself, through a wrapper that notices failed writes.
  env.useCustomCache = true;
  env.customCache = modelCache;
  // Off: with it on, transformers.js re-imports the runtime's .mjs from a blob: URL, which the
  // Content Security Policy does not allow (script-src 'self'); the model then never loads. The
  // service worker keeps ort/ for offline use instead.
  env.useWasmCache = false;
  const local = settings.source.kind === 'local';
  env.allowLocalModels = local;
  env.allowRemoteModels = !local;
  // A path, not a URL: transformers.js 4.3.1 only checks that local files exist (the tokenizer
  // files, for one) when localModelPath is not an http(s) URL.
  env.localModelPath = new URL('models/', settings.appBase).pathname;
  env.remoteHost = settings.hubHost.endsWith('/') ? settings.hubHost : `${settings.hubHost}/`;
  env.fetch = fetchWithResume(answerTimedFetch, { onResume });
}

/**
 * The GPU device onnxruntime-web runs the model on: its WebGPU backend records it in its
 * environment (`env.webgpu.device`, reached through transformers.js's `env.backends.onnx`) once
 * its first WebGPU session exists. Null before that, or when the model runs on WASM.
 */
export async function gpuDeviceInUse(): Promise<GPUDevice | null> {
  const ort = env.backends.onnx as { webgpu?: { device?: GPUDevice | Promise<GPUDevice> } };
  try {
    return (await ort.webgpu?.device) ?? null;
  } catch {
    return null;
  }
}

/** Threads onnxruntime-web's WASM backend runs with (it drops to 1 when the page is not isolated). */
export function wasmThreadsInUse(): number {
  return env.backends.onnx.wasm?.numThreads ?? 1;
}

/** What this device offers: WebGPU, the shader-f16 feature, threads. */
export async function probeCapabilities(): Promise<Capabilities> {
  const caps: Capabilities = {
    webgpu: false,
    shaderF16: false,
    crossOriginIsolated: self.crossOriginIsolated,
    threads: navigator.hardwareConcurrency || 1,
  };
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    caps.webgpuProblem = self.isSecureContext
      ? 'This browser has no WebGPU.'
      : 'WebGPU needs a secure context (https or localhost).';
    return caps;
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      caps.webgpuProblem = 'No WebGPU adapter is available (GPU blocked or unsupported).';
      return caps;
    }
    caps.webgpu = true;
    caps.shaderF16 = adapter.features.has('shader-f16');
    const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
    caps.adapterName =
      [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || undefined;
  } catch (error) {
    caps.webgpuProblem = `WebGPU adapter request failed: ${String(error)}`;
  }
  return caps;
}

/** The ONNX file of one graph at its precision, relative to the model folder. */
export function onnxFile(session: SessionName, dtypes: DtypeMap): string {
  return `onnx/${session}${DTYPE_SUFFIX[dtypes[session]]}.onnx`;
}

/** Size and cache state of each ONNX file, asked before any download starts. */
export async function inspectFiles(
  source: ModelSource,
  dtypes: DtypeMap,
  appBase: string,
  hubHost: string,
): Promise<ModelFileInfo[]> {
  const cache = await caches.open(MODEL_CACHE).catch(() => null);
  const known = (session: SessionName) =>
    source.kind === 'hub' && source.id === DEFAULT_MODEL_ID
      ? (KNOWN_SIZES[session]?.[dtypes[session]] ?? null)
      : null;
  return Promise.all(
    SESSIONS.map(async (session) => {
      const file = onnxFile(session, dtypes);
      const url = modelFileUrl(source, file, appBase, hubHost);
      const hit = await cache?.match(url);
      if (hit) {
        const length = Number(hit.headers.get('content-length'));
        return { file, bytes: Number.isFinite(length) && length > 0 ? length : null, cached: true };
      }
      let unreachable = false;
      try {
        const head = await fetch(url, {
          method: 'HEAD',
          signal: AbortSignal.timeout(INSPECT_TIMEOUT_MS),
        });
        const length = Number(
          head.headers.get('x-linked-size') ?? head.headers.get('content-length'),
        );
        if (head.ok && length > 0) return { file, bytes: length, cached: false };
      } catch {
        // Offline, refused, unknown name or no answer in time: the prompt says so and falls back
        // to the known size, if any; the download itself then fails with an explanation.
        unreachable = true;
      }
      const bytes = known(session);
      return {
        file,
        bytes,
        estimated: bytes !== null,
        cached: false,
        ...(unreachable ? { unreachable } : {}),
      };
    }),
  );
}

/** Tracks bytes and download rate per file from transformers.js progress events. */
export class ProgressTracker {
  private readonly started = new Map<string, number>();
  bytes = 0;
  constructor(private readonly onProgress: (p: FileProgress) => void) {}

  handle = (info: ProgressInfo) => {
    if (!('file' in info)) return;
    const now = performance.now();
    if (!this.started.has(info.file)) this.started.set(info.file, now);
    if (info.status === 'progress') {
      const seconds = Math.max(1e-3, (now - this.started.get(info.file)!) / 1000);
      this.onProgress({
        file: info.file,
        loaded: info.loaded,
        total: info.total,
        rate: info.loaded / seconds,
        done: false,
      });
    } else if (info.status === 'done') {
      this.onProgress({ file: info.file, loaded: -1, total: -1, rate: 0, done: true });
    }
  };
}

/** The pieces of a loaded LLaVA-OneVision model the worker uses. */
export interface LoadedParts {
  model: LlavaOnevisionForConditionalGeneration;
  processor: LlavaProcessor;
  processorFields: ProcessorFields;
  imageTokenId: number;
  hasNumLogitsToKeep: boolean;
  /** Element type the vision encoder wants for pixel_values. */
  pixelType: string;
  /** The size the fast image mode draws photos at, and their normalisation (fastInputOf). */
  fastInput: FastInput | null;
  /** What the reference (anyres) image mode needs; null when this model folder lacks it. */
  reference: ReferenceParts | null;
  /** Why the reference image mode cannot run with this model (null when it can). */
  referenceProblem: string | null;
}

/** The processor's input size for the fast mode and the normalisation it applies. */
export interface FastInput {
  width: number;
  height: number;
  normalisation: PixelNormalisation;
}

/** The model's anyres geometry, image_newline and pixel normalisation. */
export interface ReferenceParts {
  geometry: AnyresGeometry;
  imageNewline: Float32Array;
  normalisation: PixelNormalisation;
}

/** Reads a file of the model folder as text (null when it is not there). */
export type ReadModelFile = (file: string) => Promise<string | null>;

interface AnyresConfigLike {
  image_grid_pinpoints?: number[][];
  vision_aspect_ratio?: string;
  vision_config?: { image_size?: number; patch_size?: number };
  text_config?: { hidden_size?: number };
}

/** The reference mode's parts from the model's config and image_newline.json, or why not. */
async function referenceParts(
  config: AnyresConfigLike,
  processorConfig: Record<string, unknown>,
  readModelFile: ReadModelFile | undefined,
): Promise<ReferenceParts | string> {
  const pinpoints = config.image_grid_pinpoints;
  const tileSize = config.vision_config?.image_size;
  const hidden = config.text_config?.hidden_size;
  if (!pinpoints?.length || !tileSize || !hidden || !config.vision_aspect_ratio) {
    return 'config.json has no anyres geometry (image_grid_pinpoints, vision_aspect_ratio).';
  }
  let text: string | null;
  try {
    text = readModelFile ? await readModelFile(IMAGE_NEWLINE_FILE) : null;
  } catch (error) {
    // Loading goes on without it (offline, say): only the reference mode is unavailable.
    return `${IMAGE_NEWLINE_FILE} could not be read (${String(error)}).`;
  }
  if (text === null) {
    return `This model folder has no ${IMAGE_NEWLINE_FILE}; convert the checkpoint with npm run convert to get it.`;
  }
  return {
    geometry: {
      tileSize,
      patchSize: config.vision_config?.patch_size ?? 14,
      pinpoints: pinpoints.map((p): Size => [p[0]!, p[1]!]),
      maxTiles: maxTilesOf(config.vision_aspect_ratio),
    },
    imageNewline: parseImageNewline(text, hidden),
    normalisation: processorNormalisation(processorConfig),
  };
}

/** The image processor's rescale and normalisation (SigLIP's where the config names none). */
function processorNormalisation(processorConfig: Record<string, unknown>): PixelNormalisation {
  const mean = processorConfig.image_mean as number[] | undefined;
  const std = processorConfig.image_std as number[] | undefined;
  const rescale = processorConfig.rescale_factor as number | undefined;
  return mean?.length === 3 && std?.length === 3
    ? {
        rescaleFactor: rescale ?? 1 / 255,
        mean: [mean[0]!, mean[1]!, mean[2]!],
        std: [std[0]!, std[1]!, std[2]!],
      }
    : SIGLIP_NORMALISATION;
}

/**
 * The fast image mode's input when the image processor does nothing to a picture already at its
 * size but rescale and normalise (LLaVA-OneVision's single crop: resize to size × size, aspect not
 * kept): the worker then draws the photo straight at that size and normalises it itself, instead
 * of drawing it at 1024 px for the processor to resize again. Null (the processor does it all)
 * for a processor that crops, keeps the aspect or skips a step.
 */
export function fastInputOf(processorConfig: Record<string, unknown>): FastInput | null {
  const size = processorConfig.size as { height?: unknown; width?: unknown } | undefined;
  const { height, width } = size ?? {};
  const plain =
    processorConfig.do_resize !== false &&
    processorConfig.do_rescale !== false &&
    processorConfig.do_normalize !== false &&
    !processorConfig.do_center_crop &&
    !processorConfig.crop_size &&
    typeof height === 'number' &&
    typeof width === 'number' &&
    height > 0 &&
    width > 0;
  return plain ? { width, height, normalisation: processorNormalisation(processorConfig) } : null;
}

/**
 * Reads model files the way transformers.js reads the rest of the model: from the browser's model
 * cache when there, else over the network, kept in that cache (so the file works offline, is
 * counted with the model's storage and deleted with it). 404: not there.
 */
export function fetchModelFile(
  settings: Pick<LoadSettings, 'source' | 'appBase' | 'hubHost'>,
): ReadModelFile {
  return async (file) => {
    const url = modelFileUrl(settings.source, file, settings.appBase, settings.hubHost);
    const cached = await modelCache.match(url);
    if (cached) return cached.text();
    const response = await fetch(url);
    if (response.status === 404 || response.status === 401) return null;
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    // Kept as transformers.js keeps the other files; a failed write is recorded with theirs.
    await modelCache.put(url, response.clone());
    return response.text();
  };
}

interface SessionLike {
  inputNames: string[];
  inputMetadata?: { name: string; type?: string }[];
  outputMetadata?: { name: string; type?: string }[];
}

function sessionsOf(
  model: LlavaOnevisionForConditionalGeneration,
): Partial<Record<SessionName, SessionLike>> {
  return (model as unknown as { sessions: Partial<Record<SessionName, SessionLike>> }).sessions;
}

function findInfo(
  list: { name: string; type?: string }[] | undefined,
  name: string,
): TensorInfo | undefined {
  const m = list?.find((x) => x.name === name);
  return m ? { name: m.name, type: m.type ?? 'unknown' } : undefined;
}

/** Loads processor and model in the browser, with the runtime pointed at the settings' source. */
export async function loadParts(
  settings: LoadSettings,
  onProgress: (info: ProgressInfo) => void,
  onResume?: (info: ResumeInfo) => void,
): Promise<LoadedParts> {
  configureRuntime(settings, onResume);
  return loadModelParts(
    settings.source.id,
    settings.dtypes,
    settings.device,
    onProgress,
    fetchModelFile(settings),
  );
}

/**
 * Loads processor and model from wherever transformers.js's env points (browser or Node), supplies
 * the processor fields the real repository lacks, and refuses precision mixes whose graph
 * boundaries disagree.
 */
export async function loadModelParts(
  id: string,
  dtypes: DtypeMap,
  device: Device | 'cpu',
  onProgress?: (info: ProgressInfo) => void,
  readModelFile?: ReadModelFile,
): Promise<LoadedParts> {
  const processor = await LlavaProcessor.from_pretrained(id, { progress_callback: onProgress });
  const model = (await LlavaOnevisionForConditionalGeneration.from_pretrained(id, {
    dtype: dtypes,
    device,
    progress_callback: onProgress,
  })) as LlavaOnevisionForConditionalGeneration;
  const sessions = sessionsOf(model);
  const problem = checkBoundaryTypes({
    visionInput: findInfo(sessions.vision_encoder?.inputMetadata, 'pixel_values'),
    visionOutput: findInfo(sessions.vision_encoder?.outputMetadata, 'image_features'),
    embedOutput: findInfo(sessions.embed_tokens?.outputMetadata, 'inputs_embeds'),
    decoderEmbedsInput: findInfo(sessions.decoder_model_merged?.inputMetadata, 'inputs_embeds'),
  });
  if (problem) {
    await model.dispose();
    throw new ExplainedError({
      kind: 'precision-mismatch',
      message: problem,
      advice: 'Pick a single precision preset (for example q4 everywhere) and load again.',
    });
  }
  const config = model.config as unknown as {
    image_token_index?: number;
    image_token_id?: number;
    vision_config?: { patch_size?: number; model_type?: string };
    vision_feature_select_strategy?: string;
  };
  const processorConfig = (processor as unknown as { config: Record<string, unknown> }).config;
  const processorFields = missingProcessorFields(processorConfig, config);
  Object.assign(processorConfig, processorFields);
  const imageTokenId = config.image_token_index ?? config.image_token_id;
  if (typeof imageTokenId !== 'number') {
    throw new ExplainedError({
      kind: 'bad-model',
      message: 'config.json names no image token (image_token_index).',
      advice: 'This does not look like a LLaVA-OneVision model folder.',
    });
  }
  const imageProcessorConfig =
    (processor.image_processor as unknown as { config?: Record<string, unknown> } | undefined)
      ?.config ?? {};
  const reference = await referenceParts(
    config as AnyresConfigLike,
    imageProcessorConfig,
    readModelFile,
  );
  return {
    model,
    processor,
    processorFields,
    imageTokenId,
    reference: typeof reference === 'string' ? null : reference,
    referenceProblem: typeof reference === 'string' ? reference : null,
    hasNumLogitsToKeep:
      sessions.decoder_model_merged?.inputNames.includes('num_logits_to_keep') ?? false,
    pixelType: findInfo(sessions.vision_encoder?.inputMetadata, 'pixel_values')?.type ?? 'float32',
    fastInput: fastInputOf(imageProcessorConfig),
  };
}
