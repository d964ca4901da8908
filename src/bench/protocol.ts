/**
 * Types shared by the benchmark page (src/bench/), its timed model worker and the Node runner
 * (scripts/bench/). Nothing in the app imports this folder.
 */
import type { CompareAspect } from '../model/compare.ts';
import type { ImageMode } from '../model/image-mode.ts';
import type { AnyresTiling, CompareResult } from '../model/protocol.ts';

/**
 * One onnxruntime `session.run` call seen inside the model worker (`kind: 'run'`), or one call of
 * transformers.js's image processor (`kind: 'stage'`, session `image_processor`).
 */
export interface SessionRun {
  kind: 'run' | 'stage';
  /** vision_encoder, embed_tokens or decoder_model_merged (from the session's input names). */
  session: string;
  /** Epoch milliseconds (performance.timeOrigin + now), comparable across page and worker. */
  start: number;
  ms: number;
}

/** Sent by the page to the timed worker, with a MessagePort for the answer. */
export interface TakeRunsRequest {
  type: 'bench-take-runs';
}

/** What to load: a served model folder, a device and one precision for all three graphs. */
export interface LoadSpec {
  modelId: string;
  device: 'wasm' | 'webgpu';
  precision: 'fp32' | 'fp16' | 'q4' | 'q4f16' | 'q8';
  /** How long one model call may stay silent (the app's default when absent). */
  hangMs?: number;
}

/** One model load as the page saw it. */
export interface LoadFigures {
  /** From the load call until the model answered, worker start-up included. */
  ms: number;
  /** The worker's own load time (files, sessions). */
  workerMs: number;
  fromCache: boolean;
  hasNumLogitsToKeep: boolean;
  device: string;
  bytes: number;
  crossOriginIsolated: boolean;
  threads: number;
}

/** One scoring of a photo not encoded before (vision encoding + prefill). */
export interface ScoreFigures {
  /** App end to end: bitmap copy, client.score, result back on the page. */
  endToEndMs: number;
  /** The worker's own timings from ScoreResult. */
  encodeMs: number;
  prefillMs: number;
  totalMs: number;
  promptTokens: number;
  /** Image tokens in the prompt, the image mode, and (reference mode) how the photo was tiled. */
  imageTokens: number;
  imageMode: ImageMode;
  anyres?: AnyresTiling;
  /** Level probabilities (for the WebGPU/WASM agreement check). */
  probabilities: number[];
  score: number;
  runs: SessionRun[];
  /** Epoch milliseconds when the page started and finished the call. */
  pageStart: number;
  pageEnd: number;
}

/** One greedy generation on an encoded photo. */
export interface DecodeFigures {
  tokens: number;
  /** Generation's own figure: generated tokens per second, prefill excluded. */
  tokensPerSecond: number;
  decodeMs: number;
  endToEndMs: number;
  stopReason: string;
  runs: SessionRun[];
}

/** Decoding and measuring one photo with the app's pixels worker. */
export interface PixelFigures {
  width: number;
  height: number;
  decodeMs: number;
  analyseMs: number;
  totalMs: number;
}

/** One comparison of two photos (model/worker/compare.ts): the worker's times and the page's. */
export interface CompareFigures {
  endToEndMs: number;
  timings: CompareResult['timings'];
  questions: number;
  promptTokens: number;
  reusedTokens: number;
  imageTokensPerPhoto: number;
  reasonChars: number;
}

/** What the page exposes on `window.qualityLensBench`. */
export interface BenchPageApi {
  load(spec: LoadSpec): Promise<LoadFigures>;
  /** Scores a photo not encoded before, in `imageMode` (fast when absent). */
  score(photoUrl: string, photoId: string, imageMode?: ImageMode): Promise<ScoreFigures>;
  /** Lets the model worker drop a photo's features and prompt caches. */
  forget(photoId: string): void;
  decode(photoUrl: string, photoId: string, maxNewTokens: number): Promise<DecodeFigures>;
  pixels(photoUrl: string): Promise<PixelFigures>;
  /** Compares two photos (already scored, so encoded) with the app's two-image prompts. */
  compare(
    photos: [{ url: string; id: string }, { url: string; id: string }],
    aspects: CompareAspect[],
    reasonTokens: number,
  ): Promise<CompareFigures>;
  /** Terminates the model worker (the next load starts a fresh one, reading the browser cache). */
  unload(): void;
  /** Deletes the model files transformers.js cached, so the next load reads the server. */
  clearModelCache(): Promise<void>;
}
