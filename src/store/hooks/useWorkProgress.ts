import { useShallow } from 'zustand/react/shallow';
import { photosPerMinute, timeLeftMs } from '../../lib/throughput.ts';
import { useAppStore } from '../index.ts';
import { photoDone } from '../queueSlice.ts';

/** How far the photos are through the pipeline (counts for the progress line). */
export interface WorkProgress {
  total: number;
  /** Decoded (or failed to decode). */
  opened: number;
  measured: number;
  scored: number;
  failed: number;
  /** Measured and scored, or failed: nothing more to do. */
  done: number;
  /** Photos whose results came back from storage (no measure or score needed). */
  restored: number;
  /** Photos whose score waits for the model to be loaded. */
  waitingForModel: number;
  paused: boolean;
  /** Photos per minute over the last minute of work (null until known). */
  perMinute: number | null;
  /** Milliseconds until all are done at that rate (null until known). */
  timeLeftMs: number | null;
  /** Measures and scores computed this visit. */
  measuresRun: number;
  scoresRun: number;
  /** Each photo's name and exact score, in order (the e2e checks restored scores equal the first). */
  scoreList: string;
}

/** Counts of photos at each stage, and the queue's pace. */
export function useWorkProgress(): WorkProgress {
  return useAppStore(
    useShallow((s) => {
      let opened = 0;
      let measured = 0;
      let scored = 0;
      let failed = 0;
      let waiting = 0;
      let done = 0;
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
        if (photoDone(s, id)) done += 1;
      }
      const perMinute = s.queuePaused ? null : photosPerMinute(s.queueSamples);
      return {
        total: s.photoOrder.length,
        opened,
        measured,
        scored,
        failed,
        done,
        restored: Object.keys(s.restored).length,
        waitingForModel: s.model.status === 'ready' ? 0 : waiting,
        paused: s.queuePaused,
        perMinute,
        timeLeftMs: timeLeftMs(s.photoOrder.length - done, perMinute),
        measuresRun: s.workCounts.measures,
        scoresRun: s.workCounts.scores,
        scoreList: s.photoOrder
          .map((id) => `${s.photos[id]?.name}=${s.scores[id]?.result?.score ?? ''}`)
          .join(';'),
      };
    }),
  );
}

/** Pause and resume the queue. */
export function useQueueActions() {
  return useAppStore(useShallow((s) => ({ pauseQueue: s.pauseQueue, resumeQueue: s.resumeQueue })));
}
