/**
 * Types shared by the eval page (src/eval/) and its Node runner (scripts/eval/, `npm run eval`).
 * Nothing in the app imports this folder.
 */
import type { ImageMode } from '../model/image-mode.ts';
import type { Device, PresetName } from '../model/precision.ts';

/** What to load: a model (`org/name` on the Hub or `local:<folder>`), a device and a precision. */
export interface EvalLoadSpec {
  model: string;
  /** `auto`: WebGPU when the browser offers it, else WASM (the app's own choice). */
  device: Device | 'auto';
  /** Omitted: the app's default for the device (q4f16 / q4 on WebGPU, q8 on WASM). */
  precision?: PresetName;
  /** Hub host for Hub models (https://huggingface.co/ or a mirror). */
  hubHost: string;
}

/** The device and precision a load would use (found without loading anything). */
export interface EvalRuntime {
  device: Device;
  precision: PresetName;
  /** The WebGPU adapter, when there is one (used or not). */
  adapter: string | null;
}

/** What was loaded. */
export interface EvalLoaded extends EvalRuntime {
  fallbackReason: string | null;
  loadMs: number;
}

/** One photo scored. */
export interface EvalScore {
  score: number;
  /** Excellent, Good, Fair, Poor, Bad. */
  probabilities: number[];
  /** The five level words' raw logits and their token ids (for the browser numerics test). */
  levelLogits: number[];
  levelTokenIds: number[];
  imageMode: ImageMode;
  imageTokens: number;
  width: number;
  height: number;
  /** From fetching the photo to the score back on the page (decode, encode, prefill). */
  ms: number;
}

/** One multiple-choice question answered. */
export interface EvalAnswer {
  /** The letters asked (A, B, …) with the probability of each as the first answer token. */
  options: { word: string; probability: number }[];
  top: string;
  ms: number;
}

/** What the page exposes on `window.qualityLensEval`. */
export interface EvalPageApi {
  /** The device and precision `load` would use: results already made with them can be skipped. */
  runtime(spec: EvalLoadSpec): Promise<EvalRuntime>;
  load(spec: EvalLoadSpec): Promise<EvalLoaded>;
  /** Scores the photo at `url` (served by the runner from the photos folder). */
  score(url: string, mode: ImageMode): Promise<EvalScore>;
  /** Asks a lettered multiple-choice question about the photo at `url`. */
  answer(url: string, mode: ImageMode, question: string, letters: string[]): Promise<EvalAnswer>;
}
