import { useShallow } from 'zustand/react/shallow';
import type { PhotoQualityMap } from '../qualityMapSlice.ts';
import { useAppStore } from '../index.ts';

/** A photo's quality map (undefined until asked for). */
export function usePhotoQualityMap(photoId: string): PhotoQualityMap | undefined {
  return useAppStore((s) => s.qualityMaps[photoId]);
}

/** Whether the model is ready to make a map. */
export function useCanMapQuality(): boolean {
  return useAppStore((s) => s.model.status === 'ready');
}

/** The quality map's actions. */
export function useQualityMapActions() {
  return useAppStore(
    useShallow((s) => ({
      showQualityMap: s.showQualityMap,
      hideQualityMap: s.hideQualityMap,
      stopQualityMap: s.stopQualityMap,
    })),
  );
}
