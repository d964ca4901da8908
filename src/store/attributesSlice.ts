/**
 * The attribute panel of each photo: its attribute ratings and yes/no checks, computed in the
 * model worker's text lane after the score, from the photo's cached prefix (photo on screen
 * first; a new photo's score never waits: scores run in their own lane). Stoppable; removing the
 * photo stops it. Also what the worker keeps of each photo's prompts, for the debug view.
 */
import type { StateCreator } from 'zustand';
import type {
  AttributeRatingResult,
  CheckResult,
  ModelError,
  PromptCacheStatus,
} from '../model/protocol.ts';
import { ModelCallError } from '../model/client.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** Where one photo's attribute pass stands, with what it has so far. */
export interface PhotoAttributes {
  status: 'waiting' | 'running' | 'done' | 'stopped' | 'failed';
  ratings: AttributeRatingResult[];
  checks: CheckResult[];
  ms?: number;
  error?: ModelError;
}

export interface AttributesSlice {
  attributes: Record<string, PhotoAttributes>;
  /** What the worker keeps of each photo's prompts (null until first asked). */
  promptCache: PromptCacheStatus | null;
  /** Rates the attribute panel of a scored photo, unless it has one or one is under way. */
  rateAttributesWhenScored(photoId: string): void;
  /** Stops a photo's attribute pass (what it has so far stays). */
  stopAttributes(photoId: string): void;
  /** Rates a stopped or failed photo's attributes again. */
  retryAttributes(photoId: string): void;
  /** Asks the worker what it keeps of each photo's prompts. */
  refreshPromptCache(): Promise<void>;
  forgetPhotoAttributes(photoId: string): void;
}

export const createAttributesSlice =
  ({ pipeline, model: client }: StoreContext): StateCreator<AppState, [], [], AttributesSlice> =>
  (set, get) => {
    const running = new Map<string, AbortController>();
    const patch = (photoId: string, change: (now: PhotoAttributes) => Partial<PhotoAttributes>) =>
      set((s) => {
        const now = s.attributes[photoId];
        if (!now) return {};
        return { attributes: { ...s.attributes, [photoId]: { ...now, ...change(now) } } };
      });

    return {
      attributes: {},
      promptCache: null,

      rateAttributesWhenScored(photoId) {
        // A pass stopped or failed stays so until the person asks again (retryAttributes).
        if (get().attributes[photoId] || running.has(photoId)) return;
        if (get().scores[photoId]?.status !== 'done' || get().model.status !== 'ready') return;
        const controller = new AbortController();
        const signal = AbortSignal.any([controller.signal, pipeline.signal(photoId)]);
        running.set(photoId, controller);
        set((s) => ({
          attributes: {
            ...s.attributes,
            [photoId]: { status: 'waiting', ratings: [], checks: [] },
          },
        }));
        const run = async () => {
          try {
            const result = await pipeline.textQueue.run(
              photoId,
              () => {
                patch(photoId, () => ({ status: 'running' }));
                return client.rateAttributes(
                  photoId,
                  pipeline.source(photoId),
                  get().model.recipe,
                  (event) => {
                    if (signal.aborted) return;
                    patch(photoId, (a) => ({
                      ratings: event.rating ? [...a.ratings, event.rating] : a.ratings,
                      checks: event.check ? [...a.checks, event.check] : a.checks,
                    }));
                  },
                  signal,
                );
              },
              signal,
            );
            patch(photoId, () => ({
              status: result.cancelled ? 'stopped' : 'done',
              ratings: result.ratings,
              checks: result.checks,
              ms: result.ms,
            }));
          } catch (error) {
            if (!get().photos[photoId]) return;
            if (isCancelled(error)) patch(photoId, () => ({ status: 'stopped' }));
            else {
              const detail =
                error instanceof ModelCallError
                  ? error.detail
                  : { kind: 'unknown' as const, message: String(error), advice: '' };
              patch(photoId, () => ({ status: 'failed', error: detail }));
            }
          } finally {
            if (running.get(photoId) === controller) running.delete(photoId);
            void get().refreshPromptCache();
          }
        };
        void run();
      },

      stopAttributes(photoId) {
        running.get(photoId)?.abort();
      },

      retryAttributes(photoId) {
        if (running.has(photoId)) return;
        set((s) => {
          const attributes = { ...s.attributes };
          delete attributes[photoId];
          return { attributes };
        });
        get().rateAttributesWhenScored(photoId);
      },

      async refreshPromptCache() {
        if (get().model.status !== 'ready') return;
        try {
          set({ promptCache: await client.promptCacheStatus() });
        } catch {
          // A debug figure: a crashed or busy worker just leaves the last one.
        }
      },

      forgetPhotoAttributes(photoId) {
        running.get(photoId)?.abort();
        running.delete(photoId);
        set((s) => {
          const attributes = { ...s.attributes };
          delete attributes[photoId];
          return { attributes };
        });
        void get().refreshPromptCache();
      },
    };
  };
