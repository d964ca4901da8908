/**
 * The quality map of each photo ("Show where"): the model's score of each region of the photo's
 * grid (model worker, its own lane, so scores and descriptions never wait for it) beside the same
 * regions' pixel measures (pixels worker). Asked for by the person, one photo at a time; kept per
 * photo, so showing it again is instant; stoppable (Stop, switching photo, removing the photo).
 */
import type { StateCreator } from 'zustand';
import { regionGridFor, type RegionGrid } from '../lib/region-grid.ts';
import { ModelCallError } from '../model/client.ts';
import type { RegionScore } from '../model/quality-map.ts';
import type { RegionMeasures } from '../pixels/protocol.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** Where one photo's quality map stands, with what it has so far. */
export interface PhotoQualityMap {
  status: 'running' | 'done' | 'stopped' | 'failed';
  /** Whether the map is drawn over the photo. */
  shown: boolean;
  grid: RegionGrid;
  /** The model's region scores, in the order they came (reading order). */
  regions: RegionScore[];
  /** The same regions' pixel measures (null until measured, or if they could not be). */
  pixels: RegionMeasures[] | null;
  /** Milliseconds the model took for the whole map. */
  ms?: number;
  error?: string;
}

export interface QualityMapSlice {
  qualityMaps: Record<string, PhotoQualityMap>;
  /** Shows the photo's map: at once when it was made before, else made now. */
  showQualityMap(photoId: string): void;
  /** Takes the map off the photo (what it has stays, for showing again). */
  hideQualityMap(photoId: string): void;
  /** Stops a map being made (the regions it has stay; Show where starts it again). */
  stopQualityMap(photoId: string): void;
  forgetPhotoQualityMap(photoId: string): void;
}

export const createQualityMapSlice =
  ({
    pipeline,
    model: client,
    services,
  }: StoreContext): StateCreator<AppState, [], [], QualityMapSlice> =>
  (set, get) => {
    const running = new Map<string, AbortController>();
    const patch = (photoId: string, change: (now: PhotoQualityMap) => Partial<PhotoQualityMap>) =>
      set((s) => {
        const now = s.qualityMaps[photoId];
        if (!now) return {};
        return { qualityMaps: { ...s.qualityMaps, [photoId]: { ...now, ...change(now) } } };
      });

    const make = async (photoId: string) => {
      const controller = new AbortController();
      const signal = AbortSignal.any([controller.signal, pipeline.signal(photoId)]);
      running.set(photoId, controller);
      try {
        const bitmap = await pipeline.bitmap(photoId);
        const grid = regionGridFor(bitmap.width, bitmap.height);
        const decoded = pipeline.work.get(photoId)?.decoded;
        set((s) => ({
          qualityMaps: {
            ...s.qualityMaps,
            [photoId]: { status: 'running', shown: true, grid, regions: [], pixels: null },
          },
        }));
        // The pixel measures take a fraction of a second: they run beside the model's regions.
        const pixels = decoded
          ? services.pixels.measureRegions(decoded, grid, signal).then(
              (measures) => {
                if (!signal.aborted) patch(photoId, () => ({ pixels: measures }));
              },
              () => {}, // The legend then shows the model's scores only.
            )
          : Promise.resolve();
        const result = await client.qualityMap(
          photoId,
          () => pipeline.copy(photoId),
          grid,
          get().model.recipe,
          (event) => {
            if (!signal.aborted) patch(photoId, (m) => ({ regions: [...m.regions, event.region] }));
          },
          signal,
          get().model.imageMode,
        );
        await pixels;
        patch(photoId, () => ({
          status: result.cancelled ? 'stopped' : 'done',
          regions: result.regions,
          ms: result.ms,
        }));
      } catch (error) {
        if (!get().photos[photoId]) return;
        if (isCancelled(error)) patch(photoId, () => ({ status: 'stopped' }));
        else {
          const message =
            error instanceof ModelCallError
              ? `${error.detail.message} ${error.detail.advice}`.trim()
              : error instanceof Error
                ? error.message
                : String(error);
          patch(photoId, () => ({ status: 'failed', error: message }));
        }
      } finally {
        if (running.get(photoId) === controller) running.delete(photoId);
      }
    };

    return {
      qualityMaps: {},

      showQualityMap(photoId) {
        const now = get().qualityMaps[photoId];
        if (now?.status === 'done' || running.has(photoId)) {
          patch(photoId, () => ({ shown: true }));
          return;
        }
        if (!get().photos[photoId] || get().model.status !== 'ready') return;
        void make(photoId);
      },

      hideQualityMap(photoId) {
        patch(photoId, () => ({ shown: false }));
      },

      stopQualityMap(photoId) {
        running.get(photoId)?.abort();
      },

      forgetPhotoQualityMap(photoId) {
        running.get(photoId)?.abort();
        running.delete(photoId);
        set((s) => {
          const qualityMaps = { ...s.qualityMaps };
          delete qualityMaps[photoId];
          return { qualityMaps };
        });
      },
    };
  };
