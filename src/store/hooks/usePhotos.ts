import { useShallow } from 'zustand/react/shallow';
import type { PhotoRecord } from '../../photos/types.ts';
import { useAppStore } from '../index.ts';

/** The photos in the order they were added. */
export function usePhotoList(): PhotoRecord[] {
  return useAppStore(useShallow((s) => s.photoOrder.map((id) => s.photos[id]!).filter(Boolean)));
}

/** The photo shown in the main view, if any. */
export function useSelectedPhoto(): PhotoRecord | null {
  return useAppStore((s) => (s.selectedPhotoId ? (s.photos[s.selectedPhotoId] ?? null) : null));
}

/** A word about the last files added ("Already added: x.jpg."), or null. */
export function usePhotoNotice(): string | null {
  return useAppStore((s) => s.photoNotice);
}

/** How many files in the list could not be opened. */
export function useFailedPhotoCount(): number {
  return useAppStore((s) => s.photoOrder.filter((id) => s.photos[id]?.status === 'failed').length);
}

/** The photo actions a component may call. */
export function usePhotoActions() {
  return useAppStore(
    useShallow((s) => ({
      addFiles: s.addFiles,
      addShoot: s.addShoot,
      selectPhoto: s.selectPhoto,
      removePhoto: s.removePhoto,
      clearFailedPhotos: s.clearFailedPhotos,
      removeAllPhotos: s.removeAllPhotos,
      photoBitmap: s.photoBitmap,
    })),
  );
}

/** One photo's record, or null once it is removed. */
export function usePhoto(photoId: string | null): PhotoRecord | null {
  return useAppStore((s) => (photoId ? (s.photos[photoId] ?? null) : null));
}
