/** Pixel analysis per photo (measures and maps from the pixels worker) and the overlay toggles. */
import type { StateCreator } from 'zustand';
import type { DecodedPhoto, PixelAnalysis } from '../pixels/client.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** The overlays a person can lay over the photo. */
export type OverlayKind = 'sharpness' | 'clipping' | 'noise';

/**
 * A photo's measures as the store keeps them. The overlay maps (three pictures of up to
 * 1024 px, ~9 MB a photo) are kept only for the photos seen last (`MAPS_KEPT`); the others'
 * are dropped and measured again when the photo is shown.
 */
export type StoredAnalysis = Omit<PixelAnalysis, 'maps'> & { maps: PixelAnalysis['maps'] | null };

/** Where one photo's pixel analysis stands. */
export type PixelAnalysisState =
  | { status: 'measuring' }
  | { status: 'ready'; analysis: StoredAnalysis }
  | { status: 'failed'; error: string };

/** Photos whose overlay maps stay in memory (the one on screen and those just measured or seen). */
export const MAPS_KEPT = 12;

export interface PixelsSlice {
  pixelAnalyses: Record<string, PixelAnalysisState>;
  /** Which overlays are on; they stay on from photo to photo, as in a camera. */
  overlays: Record<OverlayKind, boolean>;
  /** Photos whose GPS position the person chose to see (hidden by default). */
  gpsRevealed: Record<string, boolean>;
  /** Measures a freshly decoded photo in the pixels worker (its pipeline calls this after decoding). */
  measurePhoto(photoId: string, photo: DecodedPhoto): Promise<void>;
  /** Brings back the overlay maps of a photo shown again after they were dropped for memory. */
  restorePhotoMaps(photoId: string): Promise<void>;
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

    /** Photos holding maps, least recently used first. */
    const withMaps: string[] = [];
    const restoring = new Set<string>();

    /** Notes that a photo holds maps, and drops the maps of the least recently used beyond the budget. */
    const touchMaps = (photoId: string) => {
      const at = withMaps.indexOf(photoId);
      if (at >= 0) withMaps.splice(at, 1);
      withMaps.push(photoId);
      while (withMaps.length > MAPS_KEPT) {
        const selected = get().selectedPhotoId;
        const victim = withMaps.find((id) => id !== selected);
        if (!victim) return;
        withMaps.splice(withMaps.indexOf(victim), 1);
        const state = get().pixelAnalyses[victim];
        if (state?.status === 'ready' && state.analysis.maps) {
          put(victim, { status: 'ready', analysis: { ...state.analysis, maps: null } });
        }
      }
    };

    const measure = async (photoId: string, photo: DecodedPhoto, signal: AbortSignal) => {
      const analysis = await services.pixels.analyse(photo, signal);
      if (signal.aborted || !get().photos[photoId]) return null;
      return analysis;
    };

    return {
      pixelAnalyses: {},
      overlays: { sharpness: false, clipping: false, noise: false },
      gpsRevealed: {},

      async measurePhoto(photoId, photo) {
        const signal = pipeline.signal(photoId);
        if (signal.aborted) return;
        put(photoId, { status: 'measuring' });
        try {
          const analysis = await measure(photoId, photo, signal);
          if (!analysis) return;
          get().countWork('measures');
          put(photoId, { status: 'ready', analysis });
          touchMaps(photoId);
        } catch (error) {
          if (signal.aborted || isCancelled(error) || !get().photos[photoId]) return;
          put(photoId, {
            status: 'failed',
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },

      async restorePhotoMaps(photoId) {
        const state = get().pixelAnalyses[photoId];
        if (state?.status !== 'ready' || state.analysis.maps || restoring.has(photoId)) return;
        const signal = pipeline.signal(photoId);
        restoring.add(photoId);
        try {
          // The bitmap comes back first (decoded again if it was evicted), so the worker has the
          // pixels and the decode record is current.
          await pipeline.bitmap(photoId);
          const decoded = pipeline.work.get(photoId)?.decoded;
          if (!decoded || signal.aborted) return;
          const analysis = await pipeline.pixelsQueue.run(
            photoId,
            () => measure(photoId, decoded, signal),
            signal,
          );
          const now = get().pixelAnalyses[photoId];
          if (!analysis || now?.status !== 'ready') return;
          put(photoId, { status: 'ready', analysis: { ...now.analysis, maps: analysis.maps } });
          touchMaps(photoId);
        } catch {
          // Removed meanwhile, or the file can no longer be read: the measures stay, without maps.
        } finally {
          restoring.delete(photoId);
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
        if (withMaps.includes(photoId)) withMaps.splice(withMaps.indexOf(photoId), 1);
        set((s) => {
          const gpsRevealed = { ...s.gpsRevealed };
          delete gpsRevealed[photoId];
          return { gpsRevealed };
        });
      },
    };
  };
