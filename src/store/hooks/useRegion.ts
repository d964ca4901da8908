import { useShallow } from 'zustand/react/shallow';
import type { RegionAsk } from '../groundingSlice.ts';
import { useAppStore } from '../index.ts';

/** The box asked for on a photo (undefined when none). */
export function usePhotoRegion(photoId: string): RegionAsk | undefined {
  return useAppStore((s) => s.regions[photoId]);
}

/** The grounded-answer actions a component may call. */
export function useRegionActions() {
  return useAppStore(
    useShallow((s) => ({
      showOnPhoto: s.showOnPhoto,
      locateQuestion: s.locateQuestion,
      hideRegion: s.hideRegion,
    })),
  );
}
