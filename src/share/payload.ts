/**
 * What a shared link carries: a result, never the photo (a tiny thumbnail only when the person
 * chooses). The validator is the only way into the shared view: a fragment anyone can craft is
 * checked field by field and either becomes a typed `SharedResult` or a sentence saying what is
 * wrong. Unknown fields are refused rather than ignored, so a link always means exactly what this
 * version shows; a new field means a new format version.
 */
import { SESSIONS, type Device, type Dtype, type DtypeMap } from '../model/precision.ts';
import { LEVELS } from '../model/recipes.ts';
import type { PixelAnalysis, Verdict } from '../pixels/protocol.ts';

/** The format this version writes. Every earlier version stays readable (see link.ts). */
export const SHARE_FORMAT = 1;

/** How the photo was shown to the model. The app scores one 384 px crop (729 image tokens). */
export type ImageMode = 'single-crop';

export type MeasureKey = keyof PixelAnalysis['measures'];

/** One question the person chose to share, and the model's answer. */
export interface SharedExchange {
  question: string;
  answer: string;
  /** For closed questions: the answer words' probabilities (sum 1). */
  confidence?: { word: string; probability: number }[];
}

/** One pixel measure as the app showed it. */
export interface SharedMeasure {
  key: MeasureKey;
  /** null when it could not be measured (NaN in the app). */
  value: number | null;
  unit: string;
  verdict: Verdict;
  reading: string;
}

/** Format 1 of a shared result. */
export interface SharedResult {
  v: typeof SHARE_FORMAT;
  /** S = Σ p_i · G(l_i), 1 (bad) … 5 (excellent); 0–100 is derived from it. */
  score: number;
  /** Level probabilities, LEVELS order (excellent … bad). */
  probabilities: [number, number, number, number, number];
  model: string;
  device: Device;
  dtypes: DtypeMap;
  mode: ImageMode;
  /** Scoring recipe name (Q-SiT, Q-Align). */
  recipe: string;
  description?: string;
  exchanges: SharedExchange[];
  measures: SharedMeasure[];
  /** data:image/jpeg;base64,… only when the person chose to include it. */
  thumbnail?: string;
}

/** Caps that keep a link small and a crafted one harmless; the encoder trims to them. */
export const LIMITS = {
  model: 200,
  recipe: 60,
  description: 6000,
  exchanges: 20,
  question: 1000,
  answer: 6000,
  confidenceWord: 20,
  unit: 20,
  reading: 300,
  /** Characters of the whole data: URL (≈ 6 KB of JPEG). */
  thumbnail: 8192,
} as const;

export const THUMBNAIL_PREFIX = 'data:image/jpeg;base64,';

export const MEASURE_KEYS: readonly MeasureKey[] = [
  'exposure',
  'highlightClipping',
  'shadowClipping',
  'contrast',
  'colourfulness',
  'sharpness',
  'noise',
  'blockiness',
  'resolution',
];

const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];
const VERDICTS: readonly Verdict[] = ['good', 'fair', 'poor', 'unknown'];
const RESULT_KEYS = [
  'v',
  'score',
  'probabilities',
  'model',
  'device',
  'dtypes',
  'mode',
  'recipe',
  'description',
  'exchanges',
  'measures',
  'thumbnail',
] as const;

/** The validator's answer: a typed result, or why the data cannot be shown. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Thrown inside the validator with the sentence to show; caught in `checkSharedResult`. */
class Invalid extends Error {}

type Json = Record<string, unknown>;

function record(value: unknown, what: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(`${what} is not an object.`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new Invalid(`${what} has a field this version does not know.`);
  }
  return value as Json;
}

function text(value: unknown, what: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw new Invalid(`${what} is not text.`);
  if (!allowEmpty && value.trim() === '') throw new Invalid(`${what} is empty.`);
  if (value.length > max) throw new Invalid(`${what} is longer than ${max} characters.`);
  return value;
}

function finite(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Invalid(`${what} is not a number.`);
  }
  if (value < min || value > max) throw new Invalid(`${what} is outside ${min}–${max}.`);
  return value;
}

function list(value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${what} is not a list.`);
  if (value.length > max) throw new Invalid(`${what} has more than ${max} entries.`);
  return value;
}

function oneOf<T extends string>(value: unknown, what: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Invalid(`${what} is not one this version knows.`);
  }
  return value as T;
}

/** Probabilities must be a distribution: each 0–1 and summing to 1 (within rounding). */
function distribution(values: unknown[], what: string): number[] {
  const p = values.map((x, i) => finite(x, `${what} ${i + 1}`, 0, 1));
  const sum = p.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-3) {
    throw new Invalid(`${what} add up to ${sum.toFixed(3)}, not 1.`);
  }
  return p;
}

/** The thumbnail must be a small JPEG data URL whose bytes start and end like a JPEG. */
export function checkThumbnail(value: unknown): string {
  const url = text(value, 'The thumbnail', LIMITS.thumbnail);
  if (!url.startsWith(THUMBNAIL_PREFIX)) throw new Invalid('The thumbnail is not a JPEG data URL.');
  const base64 = url.slice(THUMBNAIL_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new Invalid('The thumbnail’s data are damaged.');
  }
  const bytes = atob(base64);
  const soi = bytes.charCodeAt(0) === 0xff && bytes.charCodeAt(1) === 0xd8;
  const eoi =
    bytes.charCodeAt(bytes.length - 2) === 0xff && bytes.charCodeAt(bytes.length - 1) === 0xd9;
  if (!soi || !eoi) throw new Invalid('The thumbnail is not a complete JPEG image.');
  return url;
}

function checkExchange(value: unknown, i: number): SharedExchange {
  const what = `Shared question ${i + 1}`;
  const e = record(value, what, ['question', 'answer', 'confidence']);
  const exchange: SharedExchange = {
    question: text(e.question, `${what}`, LIMITS.question),
    answer: text(e.answer, `The answer to question ${i + 1}`, LIMITS.answer, true),
  };
  if (e.confidence !== undefined) {
    const options = list(e.confidence, `The confidence of answer ${i + 1}`, 8).map((o, j) => {
      const option = record(o, `Confidence option ${j + 1} of answer ${i + 1}`, [
        'word',
        'probability',
      ]);
      return {
        word: text(option.word, `Confidence word ${j + 1}`, LIMITS.confidenceWord),
        probability: option.probability,
      };
    });
    if (options.length < 2) throw new Invalid(`The confidence of answer ${i + 1} is incomplete.`);
    const p = distribution(
      options.map((o) => o.probability),
      `The confidence probabilities of answer ${i + 1}`,
    );
    exchange.confidence = options.map((o, j) => ({ word: o.word, probability: p[j]! }));
  }
  return exchange;
}

function checkMeasure(value: unknown, i: number, seen: Set<string>): SharedMeasure {
  const what = `Measure ${i + 1}`;
  const m = record(value, what, ['key', 'value', 'unit', 'verdict', 'reading']);
  const key = oneOf(m.key, `${what}’s name`, MEASURE_KEYS);
  if (seen.has(key)) throw new Invalid(`${what} repeats “${key}”.`);
  seen.add(key);
  return {
    key,
    value: m.value === null ? null : finite(m.value, `${what}’s value`, -1e9, 1e9),
    unit: text(m.unit, `${what}’s unit`, LIMITS.unit, true),
    verdict: oneOf(m.verdict, `${what}’s verdict`, VERDICTS),
    reading: text(m.reading, `${what}’s reading`, LIMITS.reading, true),
  };
}

function checkFormat1(data: unknown): SharedResult {
  const r = record(data, 'The shared result', RESULT_KEYS);
  if (r.v !== SHARE_FORMAT) throw new Invalid('The shared result has the wrong format number.');
  const levels = list(r.probabilities, 'The level probabilities', LEVELS.length);
  if (levels.length !== LEVELS.length) {
    throw new Invalid(`The level probabilities are not ${LEVELS.length} numbers.`);
  }
  const probabilities = distribution(
    levels,
    'The level probabilities',
  ) as SharedResult['probabilities'];
  const score = finite(r.score, 'The score', 1, 5);
  const implied = probabilities.reduce((s, p, i) => s + p * LEVELS[i]!.weight, 0);
  if (Math.abs(implied - score) > 1e-3) {
    throw new Invalid(
      `The score ${score.toFixed(2)} does not follow from the level probabilities (${implied.toFixed(2)}).`,
    );
  }
  const d = record(r.dtypes, 'The precision', SESSIONS);
  const dtypes = Object.fromEntries(
    SESSIONS.map((s) => [s, oneOf(d[s], `The precision of ${s}`, DTYPES)]),
  ) as DtypeMap;
  const seen = new Set<string>();
  const result: SharedResult = {
    v: SHARE_FORMAT,
    score,
    probabilities,
    model: text(r.model, 'The model name', LIMITS.model),
    device: oneOf(r.device, 'The backend', ['webgpu', 'wasm'] as const),
    dtypes,
    mode: oneOf(r.mode, 'The image mode', ['single-crop'] as const),
    recipe: text(r.recipe, 'The scoring recipe', LIMITS.recipe),
    exchanges: list(r.exchanges, 'The shared questions', LIMITS.exchanges).map(checkExchange),
    measures: list(r.measures, 'The measures', MEASURE_KEYS.length).map((m, i) =>
      checkMeasure(m, i, seen),
    ),
  };
  if (r.description !== undefined) {
    result.description = text(r.description, 'The description', LIMITS.description);
  }
  if (r.thumbnail !== undefined) result.thumbnail = checkThumbnail(r.thumbnail);
  return result;
}

/**
 * Checks untrusted data (parsed JSON of format `format`) and returns a typed result or a sentence
 * for the person. Format 1 is read by `checkFormat1` forever; later formats add their own reader.
 */
export function checkSharedResult(data: unknown, format: number): Checked<SharedResult> {
  try {
    if (format !== SHARE_FORMAT)
      throw new Invalid(`Format ${format} is not one this version reads.`);
    return { ok: true, value: checkFormat1(data) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, problem: error.message };
    // Anything else is a case the checks above missed; still refuse rather than show it.
    return { ok: false, problem: 'The shared result could not be read.' };
  }
}

/** The 0–100 form of a 1–5 score, as the score card shows it. */
export function score100(score: number): number {
  return ((score - 1) / 4) * 100;
}
