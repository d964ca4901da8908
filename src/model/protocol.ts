/**
 * Messages between the UI (model/client.ts) and the model worker (model/worker/). Requests and
 * events are discriminated unions on `type`; a request that expects an answer carries `id`, and its
 * answer or failure carries the same `id`.
 */
import type { ImageMode } from './image-mode.ts';
import type { LocatedRegion } from './grounding.ts';
import type { AttributeRating, YesNoCheck } from './attribute-recipes.ts';
import type { CompareAspect, PairPreference } from './compare.ts';
import type { Capabilities, Device, DtypeMap } from './precision.ts';
import type { ChatTurn } from './prompt.ts';
import type { AnswerConfidence } from './questions.ts';
import type { ScoringRecipe } from './recipes.ts';
import type { QualityScore } from './scoring.ts';
import type { ModelSource } from './source.ts';
import type { QualityMapResult, RegionScore } from './quality-map.ts';
import type { RegionGrid } from '../lib/region-grid.ts';

/** Everything the worker needs to load a model. */
export interface LoadSettings {
  source: ModelSource;
  device: Device;
  dtypes: DtypeMap;
  /** Absolute URL of the app's base, for models/<id>/ and the onnxruntime files under ort/. */
  appBase: string;
  /** Hub host for `hub` sources (a mirror, or the tests' stand-in). */
  hubHost: string;
  /** Fall back to WASM by itself when WebGPU fails. */
  allowFallback: boolean;
}

/** What was actually loaded. */
export interface LoadedModel {
  source: ModelSource;
  device: Device;
  dtypes: DtypeMap;
  /** Set when the requested device failed and the worker fell back. */
  fallbackReason?: string;
  /** Image tokens the vision encoder produces per image. */
  imageTokens: number;
  /** Whether the decoder can return only the last position's logits (cheap scoring). */
  hasNumLogitsToKeep: boolean;
  loadMs: number;
  /** Bytes read for model files, and how many came from the browser cache. */
  bytes: number;
  fromCache: boolean;
  /** Threads onnxruntime-web's WASM backend runs with (1 unless the page is cross-origin isolated). */
  wasmThreads: number;
  /** Model files the browser refused to keep (storage full): they run from memory this visit only. */
  notStored?: NotStoredFiles;
  /** Times a dropped connection was continued where it stopped (HTTP Range) during the download. */
  resumedDownloads?: number;
}

/** Downloaded files the browser cache would not take, and its reason (e.g. QuotaExceededError). */
export interface NotStoredFiles {
  files: string[];
  reason: string;
}

/** An RGBA image handed to the worker (its buffer is transferred, not copied). */
export interface ImagePixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export type ModelRequest =
  | { type: 'probe'; id: number }
  | { type: 'inspect'; id: number; settings: LoadSettings }
  | { type: 'load'; id: number; settings: LoadSettings }
  | {
      type: 'score';
      id: number;
      photoId: string;
      image: ImageBitmap;
      recipe: ScoringRecipe;
      /** How the photo is encoded (fast when absent); later prompts about it use the same. */
      imageMode?: ImageMode;
      /** The photo's own file: the reference mode decodes it again at full size (not copied: a Blob). */
      original?: Blob;
    }
  | { type: 'forget-photo'; photoId: string }
  | { type: 'cancel'; id: number }
  /** Rates the attribute panel's attributes and checks from the photo's cached prefix. */
  | {
      type: 'rate-attributes';
      id: number;
      photoId: string;
      image?: ImageBitmap;
      recipe: ScoringRecipe;
      /** The photo's own file, for the reference mode's full-size decode. */
      original?: Blob;
    }
  /** What the worker keeps of each photo's prompts (the debug view). */
  | { type: 'cache-status'; id: number }
  /** `image` may be left out when the worker is likely to hold the photo's features; it answers `needs-image` if not. */
  | {
      type: 'generate';
      id: number;
      image?: ImageBitmap;
      request: GenerationRequest;
      /** The photo's own file, for the reference mode's full-size decode. */
      original?: Blob;
    }
  /** Asks where a region is and writes its box under the coordinate grammar (grounding.ts). */
  | {
      type: 'locate';
      id: number;
      photoId: string;
      image?: ImageBitmap;
      question: string;
      /** The photo's own file, for the reference mode's full-size decode. */
      original?: Blob;
    }
  /** Compares two photos in one prompt, both orders; `images` only when the worker asked for them. */
  | { type: 'compare'; id: number; request: CompareRequest; images?: [ImageBitmap, ImageBitmap] }
  /** Scores each region of the photo on `grid` as a photo of its own (the quality map). */
  | {
      type: 'quality-map';
      id: number;
      photoId: string;
      image: ImageBitmap;
      grid: RegionGrid;
      recipe: ScoringRecipe;
      imageMode?: ImageMode;
    };

/** How the next token is chosen: the most probable one, or drawn (temperature, nucleus). */
export type Sampling =
  | { kind: 'greedy' }
  | { kind: 'sample'; temperature: number; topP: number; topK: number; seed: number };

/** Text generation about a photo: a description or an answer in a conversation. */
export interface GenerationRequest {
  photoId: string;
  /** The whole conversation so far, ending with the user's current request. */
  turns: ChatTurn[];
  maxNewTokens: number;
  sampling: Sampling;
  /** 1 = none; above 1 discourages repeating generated tokens. */
  repetitionPenalty: number;
  /** Tokens prompt plus answer may use; older exchanges are dropped to fit (conversation.ts). */
  contextTokens: number;
  /** Answer words whose first-step probabilities give a confidence (Yes/No, A/B/C/D). */
  answerWords?: string[];
}

/** The prompt a generation actually ran on, for the debug view and the "turns dropped" notice. */
export interface PromptInfo {
  tokens: number;
  /** The rendered prompt with each run of image tokens shown once with its count. */
  text: string;
  /** Earlier exchanges left out to fit the context. */
  droppedExchanges: number;
  contextTokens: number;
  /** Milliseconds: vision encoding (0 when the photo was already encoded) and prefill. */
  encodeMs: number;
  prefillMs: number;
  /** Where the prompt was continued from (the photo's prefix or this conversation), if anywhere. */
  reusedFrom: 'photo' | 'conversation' | 'questions' | null;
  /** Prompt tokens the reused cache covered: only the rest were prefilled. */
  reusedTokens: number;
}

/** Why a generation ended. */
export type StopReason = 'end' | 'max-tokens' | 'cancelled';

/** A finished (or stopped) generation. */
export interface GenerationResult {
  text: string;
  tokens: number;
  stopReason: StopReason;
  /** Generated tokens per second, prefill excluded. */
  tokensPerSecond: number;
  decodeMs: number;
}

/**
 * How the reference mode cut a photo: the picture's size (the original's when it was decoded again
 * at full size; the working copy's, at most 2048 px, when it could not be), the tile grid and the
 * images through the vision encoder (the whole picture plus each tile).
 */
export interface AnyresTiling {
  width: number;
  height: number;
  /** Tiles (rows, columns). */
  grid: [number, number];
  images: number;
}

/** A scoring result with how it was obtained. */
export interface ScoreResult extends QualityScore {
  /** Raw logits of the five level words, LEVELS order. */
  levelLogits: number[];
  /** Token ids the level words map to in this model's vocabulary. */
  levelTokenIds: number[];
  promptTokens: number;
  /** Prompt tokens continued from the photo's cached prefix instead of run again (0: none). */
  reusedTokens: number;
  /** Milliseconds: vision encoding (0 when reused), prefill and total. */
  timings: { encodeMs: number; prefillMs: number; totalMs: number };
  recipe: string;
  /** How the photo was encoded, and into how many image tokens. */
  imageMode: ImageMode;
  imageTokens: number;
  /** Reference mode only: the picture it tiled and how (see AnyresTiling). */
  anyres?: AnyresTiling;
  /**
   * The model's image features (projector output) averaged over the image tokens: one vector of
   * the text model's width (896 for the 0.5B model) that a photo keeps for grouping bursts.
   */
  imageFeatures?: Float32Array;
}

/** The prompt caches the model worker holds, for the debug view. */
export interface PromptCacheStatus {
  budgetBytes: number;
  usedBytes: number;
  entries: {
    photoId: string;
    kind: 'photo' | 'conversation' | 'questions';
    tokens: number;
    bytes: number;
  }[];
}

/** One attribute of the panel rated on the five levels, read as the overall score is. */
export interface AttributeRatingResult extends QualityScore {
  key: AttributeRating['key'];
  /** Raw logits of the five level words, LEVELS order. */
  levelLogits: number[];
  /** Prompt tokens continued from the photo's cached prefix (0: prefilled in full). */
  reusedTokens: number;
  promptTokens: number;
}

/** One yes/no check with the probability of Yes (against No). */
export interface CheckResult {
  key: YesNoCheck['key'];
  yes: number;
  reusedTokens: number;
}

/** The attribute panel's figures for a photo (partial when cancelled). */
export interface AttributesResult {
  ratings: AttributeRatingResult[];
  checks: CheckResult[];
  ms: number;
  cancelled: boolean;
}

/** One ONNX file of the chosen precision: its size (when the host says) and cache state. */
export interface ModelFileInfo {
  file: string;
  bytes: number | null;
  /** True when the size is the known size of the default model's file, not the host's answer. */
  estimated?: boolean;
  cached: boolean;
  /** True when the host did not answer the size request (refused, unknown name, or no answer in time). */
  unreachable?: boolean;
}

/** Progress of one model file. */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  /** Bytes per second over the download so far. */
  rate: number;
  done: boolean;
}

export type ModelEvent =
  /** The worker began a call (hang timeouts count from here, not from when it was queued). */
  | { type: 'started'; id: number }
  | { type: 'probed'; id: number; caps: Capabilities }
  | { type: 'inspected'; id: number; files: ModelFileInfo[] }
  | { type: 'load-stage'; stage: string }
  | { type: 'file-progress'; progress: FileProgress }
  | { type: 'loaded'; id: number; model: LoadedModel }
  | { type: 'scored'; id: number; photoId: string; result: ScoreResult }
  /** A generation's prompt is prefilled; closed questions also carry the answer's confidence. */
  | { type: 'generation-started'; id: number; prompt: PromptInfo; confidence?: AnswerConfidence }
  /** The text so far (`text`) and what this step added (`delta`), whole characters only. */
  | {
      type: 'generation-delta';
      id: number;
      delta: string;
      text: string;
      tokens: number;
      tokensPerSecond: number;
    }
  | { type: 'generated'; id: number; result: GenerationResult }
  /** One attribute rated or one check answered, while the pass goes on. */
  | { type: 'attribute-rated'; id: number; rating?: AttributeRatingResult; check?: CheckResult }
  | { type: 'attributes-rated'; id: number; result: AttributesResult }
  | { type: 'cache-status'; id: number; status: PromptCacheStatus }
  /** The GPU device the model ran on was lost; the worker's model is unusable (the page replaces it). */
  | { type: 'device-lost'; reason: string; message: string }
  /** A generation was asked without pixels for a photo whose features the worker no longer holds. */
  | { type: 'needs-image'; id: number }
  | { type: 'failed'; id: number; error: ModelError }
  /** A box asked for with `locate`. */
  | { type: 'located'; id: number; result: LocatedRegion }
  /** One aspect of a comparison judged in both orders, while the comparison goes on. */
  | { type: 'compare-judged'; id: number; preference: PairPreference }
  /** The comparison's reason so far (`text`) and what this step added (`delta`). */
  | { type: 'compare-reason'; id: number; delta: string; text: string }
  | { type: 'compared'; id: number; result: CompareResult }
  /** One region of a quality map scored, while the map goes on. */
  | { type: 'region-scored'; id: number; region: RegionScore }
  | { type: 'quality-mapped'; id: number; result: QualityMapResult }
  /**
   * A run ran out of memory: the WASM heap (or the GPU) may be left too fragmented or full for the
   * next run, so the worker asks to be replaced (after its failed call is answered).
   */
  | { type: 'worker-spent'; message: string };

/** A failure the UI can explain: what happened and what to do. */
export interface ModelError {
  kind:
    | 'offline'
    | 'not-found'
    | 'download-interrupted'
    | 'host-unreachable'
    | 'out-of-memory'
    | 'webgpu'
    | 'precision-mismatch'
    | 'not-loaded'
    | 'cancelled'
    | 'context-full'
    | 'bad-model'
    /** The worker died or stopped answering while it ran the call (a fresh one was started). */
    | 'crashed'
    | 'unknown';
  message: string;
  /** What the person can do about it. */
  advice: string;
}

/** Two photos compared in one prompt (model/compare.ts): A is shown first, then the order swapped. */
export interface CompareRequest {
  /** Photo A (the left pane) and photo B. */
  photoIds: [string, string];
  /** What to ask, in order; the first also gets a streamed reason. */
  aspects: CompareAspect[];
  /** Most tokens of the reason (0: none). */
  reasonTokens: number;
}

/** A finished (or stopped) comparison. */
export interface CompareResult {
  preferences: PairPreference[];
  /** Why, in the model's words, for the first aspect with A shown first (its answer word forced). */
  reason: string;
  reasonStop: StopReason;
  /** Image tokens each photo takes in the prompt (base crop, plus the image_newline row if any). */
  imageTokensPerPhoto: number;
  newlineRow: boolean;
  /** Tokens of the first aspect's prompt, and how many the pair's cached prefix covered. */
  promptTokens: number;
  reusedTokens: number;
  /** Milliseconds: encoding photos not held, each order's prompts, the reason, all of it. */
  timings: {
    encodeMs: number;
    forwardMs: number;
    swappedMs: number;
    reasonMs: number;
    totalMs: number;
  };
  cancelled: boolean;
}
