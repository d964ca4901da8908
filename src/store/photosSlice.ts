/**
 * The photos the person added, in order, and which one is on screen. Adding a photo starts its
 * pipeline (store/pipeline.ts): decode, thumbnail and measure in the pixels queue, then its score.
 * Removing one aborts all of its work; nothing of it comes back.
 */
import type { StateCreator } from 'zustand';
import type { PhotoRecord } from '../photos/types.ts';
import { PhotoDecodeError } from '../pixels/client.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

export interface PhotosSlice {
  photos: Record<string, PhotoRecord>;
  photoOrder: string[];
  selectedPhotoId: string | null;
  /** Photos dropped, picked or pasted: each goes through the pipeline (decode, measure, score). */
  addFiles(files: readonly File[]): void;
  selectPhoto(photoId: string): void;
  removePhoto(photoId: string): void;
  /**
   * The photo's working bitmap for drawing: kept, or decoded again if it was evicted for memory.
   * Valid until the next await (draw it at once).
   */
  photoBitmap(photoId: string): Promise<ImageBitmap>;
}

export const createPhotosSlice =
  ({ services, pipeline }: StoreContext): StateCreator<AppState, [], [], PhotosSlice> =>
  (set, get) => {
    let counter = 0;
    const newPhotoId = () => `p${Date.now().toString(36)}${(counter++).toString(36)}`;

    const update = (id: string, change: Partial<PhotoRecord>) =>
      set((s) => {
        const prev = s.photos[id];
        return prev ? { photos: { ...s.photos, [id]: { ...prev, ...change } } } : {};
      });

    /** Decode → thumbnail → measure, in one slot of the pixels queue; then the score is queued. */
    const intake = async (id: string) => {
      const work = pipeline.work.get(id);
      if (!work) return;
      const signal = work.controller.signal;
      try {
        await pipeline.pixelsQueue.run(
          id,
          async () => {
            const decoded = await services.pixels.decode(work.file, signal);
            pipeline.keep(id, decoded);
            pipeline.bitmaps.hold(id);
            try {
              const thumbUrl = await services.images.thumbnail(decoded.bitmap);
              if (signal.aborted) {
                services.images.revoke(thumbUrl);
                return;
              }
              work.thumbUrl = thumbUrl;
              update(id, {
                status: 'ready',
                width: decoded.sourceWidth,
                height: decoded.sourceHeight,
                format: decoded.format,
                exif: decoded.exif,
                notes: decoded.notes,
                thumbUrl,
              });
              get().scorePhoto(id);
              await get().measurePhoto(id, decoded);
            } finally {
              pipeline.bitmaps.release(id);
            }
          },
          signal,
        );
      } catch (error) {
        if (signal.aborted || isCancelled(error)) return;
        const message =
          error instanceof PhotoDecodeError
            ? error.message
            : `This file could not be opened as a photo (${error instanceof Error ? error.message : String(error)}).`;
        update(id, { status: 'failed', error: message });
      }
    };

    return {
      photos: {},
      photoOrder: [],
      selectedPhotoId: null,

      addFiles(files) {
        const added: PhotoRecord[] = files.map((file) => ({
          id: newPhotoId(),
          name: file.name || 'Pasted image',
          bytes: file.size,
          addedAt: Date.now(),
          status: 'decoding',
          notes: [],
        }));
        if (added.length === 0) return;
        set((s) => ({
          photos: { ...s.photos, ...Object.fromEntries(added.map((p) => [p.id, p])) },
          photoOrder: [...s.photoOrder, ...added.map((p) => p.id)],
        }));
        get().selectPhoto(added[0]!.id);
        added.forEach((photo, i) => {
          pipeline.add(photo.id, files[i]!);
          void intake(photo.id);
        });
      },

      selectPhoto(photoId) {
        if (!get().photos[photoId] || get().selectedPhotoId === photoId) return;
        set({ selectedPhotoId: photoId });
        pipeline.bitmaps.pin(photoId);
        // The photo on screen goes first in every queue; text for photos off screen stops.
        get().pauseTextOffScreen(photoId);
        pipeline.scoreQueue.pump();
      },

      removePhoto(photoId) {
        if (!get().photos[photoId]) return;
        pipeline.remove(photoId);
        get().forgetPhotoPixels(photoId);
        get().forgetPhotoChat(photoId);
        get().forgetPhotoModelState(photoId);
        set((s) => {
          const photos = { ...s.photos };
          delete photos[photoId];
          const photoOrder = s.photoOrder.filter((id) => id !== photoId);
          const selectedPhotoId =
            s.selectedPhotoId === photoId
              ? (photoOrder[photoOrder.length - 1] ?? null)
              : s.selectedPhotoId;
          return { photos, photoOrder, selectedPhotoId };
        });
        pipeline.bitmaps.pin(get().selectedPhotoId);
      },

      photoBitmap(photoId) {
        return pipeline.bitmap(photoId);
      },
    };
  };
