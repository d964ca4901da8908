/** Pixel analysis per photo (measures and maps from the pixels worker) and the overlay toggles. */
import type { StateCreator } from 'zustand';
import type { DecodedPhoto, PixelAnalysis } from '../pixels/client.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** The overlays a person can lay over the photo. */
export type OverlayKind = 'sharpness' | 'clipping' | 'noise';

/** Where one photo's pixel analysis stands. */
export type PixelAnalysisState =
  | { status: 'measuring' }
  | { status: 'ready'; analysis: PixelAnalysis }
  | { status: 'failed'; error: string };

export interface PixelsSlice {
  pixelAnalyses: Record<string, PixelAnalysisState>;
  /** Which overlays are on; they stay on from photo to photo, as in a camera. */
  overlays: Record<OverlayKind, boolean>;
  /** Photos whose GPS position the person chose to see (hidden by default). */
  gpsRevealed: Record<string, boolean>;
  /** Measures a freshly decoded photo in the pixels worker (its pipeline calls this after decoding). */
  measurePhoto(photoId: string, photo: DecodedPhoto): Promise<void>;
  toggleOverlay(kind: OverlayKind): void;
  revealGps(photoId: string, shown: boolean): void;
  /** Drops a removed photo's measures (its pipeline has already stopped the work). */
  forgetPhotoPixels(photoId: string): void;
}

export const createPixelsSlice =
  ({ services, pipeline }: StoreContext): StateCreator<AppState, [], [], PixelsSlice> =>
  (set, get) => {
    const put = (photoId: string, state: PixelAnalysisState | null) =>
      set((s) => {
        const pixelAnalyses = { ...s.pixelAnalyses };
        if (state) pixelAnalyses[photoId] = state;
        else delete pixelAnalyses[photoId];
        return { pixelAnalyses };
      });

    return {
      pixelAnalyses: {},
      overlays: { sharpness: false, clipping: false, noise: false },
      gpsRevealed: {},

      async measurePhoto(photoId, photo) {
        const signal = pipeline.signal(photoId);
        if (signal.aborted) return;
        put(photoId, { status: 'measuring' });
        try {
          const analysis = await services.pixels.analyse(photo, signal);
          if (!signal.aborted && get().photos[photoId]) put(photoId, { status: 'ready', analysis });
        } catch (error) {
          if (signal.aborted || isCancelled(error) || !get().photos[photoId]) return;
          put(photoId, {
            status: 'failed',
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },

      toggleOverlay(kind) {
        set((s) => ({ overlays: { ...s.overlays, [kind]: !s.overlays[kind] } }));
      },

      revealGps(photoId, shown) {
        set((s) => ({ gpsRevealed: { ...s.gpsRevealed, [photoId]: shown } }));
      },

      forgetPhotoPixels(photoId) {
        put(photoId, null);
        set((s) => {
          const gpsRevealed = { ...s.gpsRevealed };
          delete gpsRevealed[photoId];
          return { gpsRevealed };
        });
      },
    };
  };
