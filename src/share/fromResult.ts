/** Builds the shared result from what the app knows about a photo and what the person ticked. */
import type { Device, DtypeMap } from '../model/precision.ts';
import type { AnswerConfidence } from '../model/questions.ts';
import type { ScoreResult } from '../model/protocol.ts';
import type { PixelAnalysis } from '../pixels/protocol.ts';
import {
  LIMITS,
  MEASURE_KEYS,
  SHARE_FORMAT,
  type SharedExchange,
  type SharedMeasure,
  type SharedResult,
} from './payload.ts';

// The parts of the store's PhotoScore, PhotoChat and PixelAnalysisState that sharing reads,
// spelled out so this module does not depend on how the store is built.

/** A photo's score as the store holds it (PhotoScore). */
export interface ScoreInput {
  status: string;
  result?: Pick<ScoreResult, 'score' | 'probabilities' | 'recipe'>;
  by?: { modelId: string; device: Device; dtypes: DtypeMap };
}

interface TextInput {
  status: string;
  text: string;
}

/** A photo's description and chat as the store holds them (PhotoChat). */
export interface ChatInput {
  description: TextInput | null;
  exchanges: readonly {
    id: string;
    question: string;
    answer: TextInput & { confidence?: AnswerConfidence };
  }[];
}

/** A photo's pixel analysis as the store holds it (PixelAnalysisState). */
export type PixelsInput =
  | { status: 'ready'; analysis: Pick<PixelAnalysis, 'measures'> }
  | { status: 'measuring' | 'failed' };

/** What the person chose to include besides the score. */
export interface ShareChoices {
  description: boolean;
  /** Ids of the chat exchanges ticked for sharing. */
  exchangeIds: ReadonlySet<string>;
  measures: boolean;
  /** A JPEG data URL made by `shareThumbnail`, or null to leave the photo out entirely. */
  thumbnail: string | null;
}

/** Shortens text to the format's cap, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const finished = (status: string) => status === 'done' || status === 'stopped';

/** The exchanges that can be shared: finished answers (a stopped one keeps what it said). */
export function shareableExchanges(chat: ChatInput) {
  return chat.exchanges.filter((e) => finished(e.answer.status) && e.question.trim() !== '');
}

/** The description text if it is finished, else null (a half-written one is not shared). */
export function shareableDescription(chat: ChatInput): string | null {
  const d = chat.description;
  return d && finished(d.status) && d.text.trim() !== '' ? d.text : null;
}

/** The shared result for a scored photo, or null while it has no score. */
export function sharedResultFrom(
  score: ScoreInput | null,
  chat: ChatInput,
  pixels: PixelsInput | undefined,
  choices: ShareChoices,
): SharedResult | null {
  if (score?.status !== 'done' || !score.result || !score.by) return null;
  const r = score.result;
  const description = choices.description ? shareableDescription(chat) : null;
  const exchanges: SharedExchange[] = shareableExchanges(chat)
    .filter((e) => choices.exchangeIds.has(e.id))
    .slice(0, LIMITS.exchanges)
    .map((e) => ({
      question: clip(e.question, LIMITS.question),
      answer: clip(e.answer.text, LIMITS.answer),
      ...(e.answer.confidence && {
        confidence: e.answer.confidence.options.map((o) => ({
          word: clip(o.word, LIMITS.confidenceWord),
          probability: o.probability,
        })),
      }),
    }));
  const measures: SharedMeasure[] =
    choices.measures && pixels?.status === 'ready'
      ? MEASURE_KEYS.map((key) => {
          const m = pixels.analysis.measures[key];
          return {
            key,
            value: Number.isFinite(m.value) ? m.value : null,
            unit: clip(m.unit, LIMITS.unit),
            verdict: m.verdict,
            reading: clip(m.reading, LIMITS.reading),
          };
        })
      : [];
  return {
    v: SHARE_FORMAT,
    score: r.score,
    probabilities: [...r.probabilities],
    model: clip(score.by.modelId, LIMITS.model),
    device: score.by.device,
    dtypes: { ...score.by.dtypes },
    mode: 'single-crop',
    recipe: clip(r.recipe, LIMITS.recipe),
    ...(description !== null && { description: clip(description, LIMITS.description) }),
    exchanges,
    measures,
    ...(choices.thumbnail && { thumbnail: choices.thumbnail }),
  };
}
