import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../index.ts';
import type { OverlayKind } from '../pixelsSlice.ts';

/** Which overlays are switched on. */
export function useOverlays(): Record<OverlayKind, boolean> {
  return useAppStore(useShallow((s) => s.overlays));
}

/** The pixel-analysis actions a component may call. */
export function usePixelActions() {
  return useAppStore(
    useShallow((s) => ({
      toggleOverlay: s.toggleOverlay,
      revealGps: s.revealGps,
      restorePhotoMaps: s.restorePhotoMaps,
    })),
  );
}
