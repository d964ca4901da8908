/** The photos the person added, in order, and which one is selected. */
import type { StateCreator } from 'zustand';
import { dropBitmap, keepBitmap } from '../photos/bitmaps.ts';
import { makeThumbnail } from '../photos/thumbnail.ts';
import type { PhotoRecord } from '../photos/types.ts';
import { decodePhoto, PhotoDecodeError } from '../pixels/client.ts';
import type { AppState } from './index.ts';

export interface PhotosSlice {
  photos: Record<string, PhotoRecord>;
  photoOrder: string[];
  selectedPhotoId: string | null;
  /** Photos dropped, picked or pasted: decode each (in the pixels worker), then score it. */
  addFiles(files: readonly File[]): void;
  selectPhoto(photoId: string): void;
  removePhoto(photoId: string): void;
}

let counter = 0;
const newPhotoId = () => `p${Date.now().toString(36)}${(counter++).toString(36)}`;

export const createPhotosSlice: StateCreator<AppState, [], [], PhotosSlice> = (set, get) => {
  const update = (id: string, change: Partial<PhotoRecord>) =>
    set((s) => {
      const prev = s.photos[id];
      return prev ? { photos: { ...s.photos, [id]: { ...prev, ...change } } } : {};
    });

  const intake = async (id: string, file: File) => {
    try {
      const decoded = await decodePhoto(file);
      if (!get().photos[id]) {
        decoded.bitmap.close();
        return;
      }
      keepBitmap(id, decoded.bitmap);
      get().measurePhoto(id, decoded);
      const thumbUrl = await makeThumbnail(decoded.bitmap);
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
    } catch (error) {
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
        selectedPhotoId: added[0]!.id,
      }));
      added.forEach((photo, i) => void intake(photo.id, files[i]!));
    },

    selectPhoto(photoId) {
      if (get().photos[photoId]) set({ selectedPhotoId: photoId });
    },

    removePhoto(photoId) {
      const photo = get().photos[photoId];
      if (!photo) return;
      if (photo.thumbUrl) URL.revokeObjectURL(photo.thumbUrl);
      dropBitmap(photoId);
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
    },
  };
};
