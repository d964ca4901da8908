/**
 * Grounded answers: the box drawn on each photo and where it came from. "Show on photo" on an
 * attribute row asks the model with constrained decoding (the box always parses; its confidence
 * is the model's own probability of it); a "where is…?" question in the chat is answered in free
 * text and drawn only when that text reads as exactly one valid box. One box per photo: the
 * latest ask replaces the one before.
 */
import type { StateCreator } from 'zustand';
import type { AttributeRating } from '../model/attribute-recipes.ts';
import { ATTRIBUTE_RATINGS } from '../model/attribute-recipes.ts';
import { ModelCallError } from '../model/client.ts';
import {
  ATTRIBUTE_REGIONS,
  parseBox,
  regionPrompt,
  whereQuestionPrompt,
  type BoxConfidence,
  type BoxReading,
} from '../model/grounding.ts';
import type { ModelError } from '../model/protocol.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** The box asked for on one photo. */
export interface RegionAsk {
  status: 'running' | 'done' | 'stopped' | 'failed';
  /** Constrained decoding (an attribute row, or a chat question asked again) or free text. */
  source: 'constrained' | 'free-text';
  /** What the box shows, for its label ("Sharpness / focus"). */
  label: string;
  /** What the model was asked to find. */
  asked: string;
  /** The model's answer text the box was read from. */
  answer?: string;
  reading?: BoxReading;
  /** Only for constrained boxes: free text gives no comparable figure. */
  confidence?: BoxConfidence;
  error?: ModelError;
}

export interface GroundingSlice {
  regions: Record<string, RegionAsk>;
  /** Asks the model where an attribute's worst region is and draws its box. */
  showOnPhoto(photoId: string, attribute: AttributeRating['key']): void;
  /** Asks a chat "where" question again under the coordinate grammar (a box with confidence). */
  locateQuestion(photoId: string, question: string): void;
  /** Reads a chat answer to a "where" question; draws its box if it names exactly one. */
  showAnswerRegion(photoId: string, question: string, answer: string): BoxReading;
  /** Takes the box off the photo (and stops asking for one). */
  hideRegion(photoId: string): void;
  forgetPhotoRegion(photoId: string): void;
}

export const createGroundingSlice =
  ({ model: client, pipeline }: StoreContext): StateCreator<AppState, [], [], GroundingSlice> =>
  (set, get) => {
    const running = new Map<string, AbortController>();
    const put = (photoId: string, ask: RegionAsk | null) =>
      set((s) => {
        const regions = { ...s.regions };
        if (ask) regions[photoId] = ask;
        else delete regions[photoId];
        return { regions };
      });
    const stop = (photoId: string) => {
      running.get(photoId)?.abort();
      running.delete(photoId);
    };

    /** Asks for a constrained box and keeps it as the photo's region. */
    const locate = (
      photoId: string,
      base: Pick<RegionAsk, 'source' | 'label' | 'asked'>,
      prompt: string,
    ) => {
      stop(photoId);
      put(photoId, { ...base, status: 'running' });
      const controller = new AbortController();
      running.set(photoId, controller);
      const signal = AbortSignal.any([controller.signal, pipeline.signal(photoId)]);
      const mine = () => running.get(photoId) === controller;
      void pipeline.textQueue
        .run(
          photoId,
          () => client.locate(photoId, prompt, pipeline.source(photoId), signal),
          signal,
        )
        .then(
          (located) => {
            if (!mine() || !get().photos[photoId]) return;
            put(photoId, {
              ...base,
              status: 'done',
              answer: located.text,
              reading: located.reading,
              confidence: located.confidence,
            });
          },
          (error: unknown) => {
            if (!mine() || !get().photos[photoId]) return;
            const detail =
              error instanceof ModelCallError
                ? error.detail
                : { kind: 'unknown' as const, message: String(error), advice: '' };
            put(
              photoId,
              isCancelled(error) || detail.kind === 'cancelled'
                ? { ...base, status: 'stopped' }
                : { ...base, status: 'failed', error: detail },
            );
          },
        )
        .finally(() => {
          if (mine()) running.delete(photoId);
        });
    };

    return {
      regions: {},

      showOnPhoto(photoId, attribute) {
        const label = ATTRIBUTE_RATINGS.find((r) => r.key === attribute)?.label ?? attribute;
        const asked = ATTRIBUTE_REGIONS[attribute];
        locate(photoId, { source: 'constrained', label, asked }, regionPrompt(asked));
      },

      locateQuestion(photoId, question) {
        const label = question.trim().replace(/\?$/, '');
        locate(
          photoId,
          { source: 'constrained', label, asked: `the region “${question.trim()}” asks about` },
          whereQuestionPrompt(question),
        );
      },

      showAnswerRegion(photoId, question, answer) {
        stop(photoId);
        const reading = parseBox(answer);
        put(photoId, {
          status: 'done',
          source: 'free-text',
          label: question.trim().replace(/\?$/, ''),
          asked: question,
          answer,
          reading,
        });
        return reading;
      },

      hideRegion(photoId) {
        stop(photoId);
        put(photoId, null);
      },

      forgetPhotoRegion(photoId) {
        stop(photoId);
        put(photoId, null);
      },
    };
  };
