import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../index.ts';

/** How far the photos are through the pipeline (counts for the progress line). */
export interface WorkProgress {
  total: number;
  /** Decoded (or failed to decode). */
  opened: number;
  measured: number;
  scored: number;
  failed: number;
  /** Photos whose score waits for the model to be loaded. */
  waitingForModel: number;
}

/** Counts of photos at each stage. */
export function useWorkProgress(): WorkProgress {
  return useAppStore(
    useShallow((s) => {
      let opened = 0;
      let measured = 0;
      let scored = 0;
      let failed = 0;
      let waiting = 0;
      for (const id of s.photoOrder) {
        const photo = s.photos[id];
        if (!photo) continue;
        if (photo.status !== 'decoding') opened += 1;
        if (photo.status === 'failed') failed += 1;
        const pixels = s.pixelAnalyses[id]?.status;
        if (pixels === 'ready' || pixels === 'failed') measured += 1;
        const score = s.scores[id]?.status;
        if (score === 'done' || score === 'failed') scored += 1;
        if (score === 'waiting') waiting += 1;
      }
      return {
        total: s.photoOrder.length,
        opened,
        measured,
        scored,
        failed,
        waitingForModel: s.model.status === 'ready' ? 0 : waiting,
      };
    }),
  );
}
