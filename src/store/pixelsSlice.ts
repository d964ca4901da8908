/** Pixel analysis per photo (measures and maps from the pixels worker) and the overlay toggles. */
import type { StateCreator } from 'zustand';
import {
  analysePhoto,
  forgetPhoto,
  warmUpPixels,
  type DecodedPhoto,
  type PixelAnalysis,
} from '../pixels/client.ts';
import type { AppState } from './index.ts';

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
  /** Measure a freshly decoded photo in the pixels worker (intake calls this after decoding). */
  measurePhoto(photoId: string, photo: DecodedPhoto): void;
  toggleOverlay(kind: OverlayKind): void;
  revealGps(photoId: string, shown: boolean): void;
  /** Stop measuring a removed photo and let the worker drop its pixels. */
  forgetPhotoPixels(photoId: string): void;
}

/** Work under way per photo, outside the store (controllers and bitmaps are not state). */
const inFlight = new Map<string, { controller: AbortController; photo: DecodedPhoto }>();

export const createPixelsSlice: StateCreator<AppState, [], [], PixelsSlice> = (set) => {
  // Once the page has settled, get the pixels worker ready for the first drop.
  if (typeof window !== 'undefined') window.setTimeout(warmUpPixels, 1500);

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

    measurePhoto(photoId, photo) {
      inFlight.get(photoId)?.controller.abort();
      const controller = new AbortController();
      inFlight.set(photoId, { controller, photo });
      put(photoId, { status: 'measuring' });
      analysePhoto(photo, controller.signal).then(
        (analysis) => {
          if (controller.signal.aborted) return;
          put(photoId, { status: 'ready', analysis });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          put(photoId, {
            status: 'failed',
            error: error instanceof Error ? error.message : String(error),
          });
        },
      );
    },

    toggleOverlay(kind) {
      set((s) => ({ overlays: { ...s.overlays, [kind]: !s.overlays[kind] } }));
    },

    revealGps(photoId, shown) {
      set((s) => ({ gpsRevealed: { ...s.gpsRevealed, [photoId]: shown } }));
    },

    forgetPhotoPixels(photoId) {
      const work = inFlight.get(photoId);
      if (work) {
        work.controller.abort();
        forgetPhoto(work.photo);
        inFlight.delete(photoId);
      }
      put(photoId, null);
      set((s) => {
        const gpsRevealed = { ...s.gpsRevealed };
        delete gpsRevealed[photoId];
        return { gpsRevealed };
      });
    },
  };
};
