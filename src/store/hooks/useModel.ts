import { useShallow } from 'zustand/react/shallow';
import type { ModelState, PhotoScore } from '../modelSlice.ts';
import { useAppStore } from '../index.ts';

/** Model status, settings and download progress. */
export function useModelState(): ModelState {
  return useAppStore((s) => s.model);
}

/** A photo's score (or its progress towards one). */
export function usePhotoScore(photoId: string | null): PhotoScore | null {
  return useAppStore((s) => (photoId ? (s.scores[photoId] ?? null) : null));
}

/** Every photo's score state, by photo id. */
export function usePhotoScores(): Record<string, PhotoScore> {
  return useAppStore((s) => s.scores);
}

/** The model actions a component may call. */
export function useModelActions() {
  return useAppStore(
    useShallow((s) => ({
      initModel: s.initModel,
      startModel: s.startModel,
      cancelModelDownload: s.cancelModelDownload,
      changeModelSettings: s.changeModelSettings,
      scorePhoto: s.scorePhoto,
      setImageMode: s.setImageMode,
    })),
  );
}
