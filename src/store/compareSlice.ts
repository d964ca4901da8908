/**
 * Two photos compared by the model (compare view): both orders of each aspect's two-image prompt
 * and the streamed reason, run in the model worker's text lane. One comparison per ordered pair
 * is kept while the app runs; asking again replaces it. Removing either photo stops it.
 */
import type { StateCreator } from 'zustand';
import { COMPARE_QUESTIONS, type PairPreference } from '../model/compare.ts';
import { ModelCallError } from '../model/client.ts';
import type { CompareResult, ModelError } from '../model/protocol.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** Most tokens of a comparison's reason (a link's `?maxTokens` sets it, as for answers). */
export const COMPARE_REASON_TOKENS = 48;

/** Where one pair's comparison stands, with what it has so far. */
export interface PairComparison {
  photoIds: [string, string];
  status: 'waiting' | 'running' | 'done' | 'stopped' | 'failed';
  preferences: PairPreference[];
  reason: string;
  result?: CompareResult;
  error?: ModelError;
}

/** The key of an ordered pair (A is the left pane). */
export const pairKey = (a: string, b: string) => `${a}|${b}`;

export interface CompareSlice {
  comparisons: Record<string, PairComparison>;
  /** Asks the model which of A and B is better (overall and per attribute), both orders. */
  compareWithModel(a: string, b: string): void;
  /** Stops a pair's comparison (what it has so far stays). */
  stopComparison(a: string, b: string): void;
}

export const createCompareSlice =
  ({ pipeline, model: client }: StoreContext): StateCreator<AppState, [], [], CompareSlice> =>
  (set, get) => {
    const running = new Map<string, AbortController>();
    const patch = (key: string, change: (now: PairComparison) => Partial<PairComparison>) =>
      set((s) => {
        const now = s.comparisons[key];
        if (!now) return {};
        return { comparisons: { ...s.comparisons, [key]: { ...now, ...change(now) } } };
      });

    return {
      comparisons: {},

      compareWithModel(a, b) {
        const key = pairKey(a, b);
        if (running.has(key) || a === b) return;
        if (!get().photos[a] || !get().photos[b] || get().model.status !== 'ready') return;
        const controller = new AbortController();
        const signal = AbortSignal.any([controller.signal, pipeline.signal(a), pipeline.signal(b)]);
        running.set(key, controller);
        set((s) => ({
          comparisons: {
            ...s.comparisons,
            [key]: { photoIds: [a, b], status: 'waiting', preferences: [], reason: '' },
          },
        }));
        const run = async () => {
          try {
            const result = await pipeline.textQueue.run(
              a,
              () => {
                patch(key, () => ({ status: 'running' }));
                return client.compare(
                  {
                    photoIds: [a, b],
                    aspects: COMPARE_QUESTIONS.map((q) => q.aspect),
                    reasonTokens: get().chatSettings.maxTokens ?? COMPARE_REASON_TOKENS,
                  },
                  [() => pipeline.copy(a), () => pipeline.copy(b)],
                  (event) => {
                    if (signal.aborted) return;
                    if (event.type === 'compare-judged') {
                      patch(key, (c) => ({ preferences: [...c.preferences, event.preference] }));
                    } else patch(key, () => ({ reason: event.text }));
                  },
                  signal,
                );
              },
              signal,
            );
            patch(key, () => ({
              status: result.cancelled ? 'stopped' : 'done',
              preferences: result.preferences,
              reason: result.reason,
              result,
            }));
          } catch (error) {
            if (isCancelled(error)) patch(key, () => ({ status: 'stopped' }));
            else {
              const detail =
                error instanceof ModelCallError
                  ? error.detail
                  : { kind: 'unknown' as const, message: String(error), advice: '' };
              patch(key, () => ({ status: 'failed', error: detail }));
            }
          } finally {
            if (running.get(key) === controller) running.delete(key);
          }
        };
        void run();
      },

      stopComparison(a, b) {
        running.get(pairKey(a, b))?.abort();
      },
    };
  };
