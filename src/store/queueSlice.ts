/**
 * The work queue as the person sees it: pause and resume (new pixel and score work waits; work
 * under way finishes; the photo on screen still goes), samples of how many photos are done for
 * photos per minute and time left (lib/throughput.ts), and counts of the measures and scores
 * actually computed this visit (results restored from an earlier visit are not work).
 */
import type { StateCreator } from 'zustand';
import { addSample, type ProgressSample } from '../lib/throughput.ts';
import type { AppState, StoreContext } from './index.ts';

export interface QueueSlice {
  queuePaused: boolean;
  /** Photos done that needed work this visit, sampled when it changes (restored ones left out). */
  queueSamples: ProgressSample[];
  /** Measures and scores computed this visit (the e2e and the debug line read them). */
  workCounts: { measures: number; scores: number };
  pauseQueue(): void;
  resumeQueue(): void;
  /** Called by the stages when they compute a result. */
  countWork(kind: 'measures' | 'scores'): void;
}

/**
 * Whether a photo needs nothing more from the queue: opened, measured and scored, or failed. (A
 * photo whose results came back from storage is still opened for its thumbnail and view.)
 */
export function photoDone(s: AppState, id: string): boolean {
  const status = s.photos[id]?.status;
  if (status === 'failed') return true;
  if (status !== 'ready') return false;
  const pixels = s.pixelAnalyses[id]?.status;
  const score = s.scores[id]?.status;
  return (pixels === 'ready' || pixels === 'failed') && (score === 'done' || score === 'failed');
}

/** Photos done whose results were computed here, not restored (what the rate is made of). */
export function workedDone(s: AppState): number {
  let done = 0;
  for (const id of s.photoOrder) {
    const restored = s.restored[id];
    if (restored?.score && restored.measures) continue;
    if (photoDone(s, id)) done += 1;
  }
  return done;
}

export const createQueueSlice =
  ({ pipeline }: StoreContext): StateCreator<AppState, [], [], QueueSlice> =>
  (set, get, api) => {
    // Sample progress whenever results or the photo list change.
    let lastDone = -1;
    api.subscribe((s, prev) => {
      if (
        s.scores === prev.scores &&
        s.pixelAnalyses === prev.pixelAnalyses &&
        s.photos === prev.photos &&
        s.restored === prev.restored
      ) {
        return;
      }
      if (s.photoOrder.length === 0) {
        lastDone = -1;
        if (s.queueSamples.length > 0) set({ queueSamples: [] });
        return;
      }
      const done = workedDone(s);
      if (done === lastDone || s.queuePaused) return;
      lastDone = done;
      set({ queueSamples: addSample(s.queueSamples, { at: Date.now(), done }) });
    });

    return {
      queuePaused: false,
      queueSamples: [],
      workCounts: { measures: 0, scores: 0 },

      pauseQueue() {
        if (get().queuePaused) return;
        pipeline.pause();
        set({ queuePaused: true });
      },

      resumeQueue() {
        if (!get().queuePaused) return;
        // The pause is not work time: the rate starts again from now.
        lastDone = workedDone(get());
        set({ queuePaused: false, queueSamples: [{ at: Date.now(), done: lastDone }] });
        pipeline.resume();
      },

      countWork(kind) {
        set((s) => ({ workCounts: { ...s.workCounts, [kind]: s.workCounts[kind] + 1 } }));
      },
    };
  };
