/**
 * The photos the person added, in order, and which one is on screen. Adding a photo starts its
 * pipeline (store/pipeline.ts): decode, thumbnail and measure in the pixels queue, then its score.
 * Removing one aborts all of its work; nothing of it comes back.
 */
import type { StateCreator } from 'zustand';
import { planShoot, shootNote, shootSummary, type IncomingFile } from '../cull/intake.ts';
import type { ShootFiles } from '../cull/shoot-files.ts';
import type { PhotoRecord } from '../photos/types.ts';
import { PhotoDecodeError } from '../pixels/client.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

export interface PhotosSlice {
  photos: Record<string, PhotoRecord>;
  photoOrder: string[];
  selectedPhotoId: string | null;
  /** A word about the last files added, e.g. "Already added: x.jpg." (null when there is none). */
  photoNotice: string | null;
  /**
   * Photos dropped, picked or pasted: each goes through the pipeline (decode, measure, score).
   * A file already in the list is not added again: the existing entry is selected and
   * `photoNotice` says so.
   */
  addFiles(files: readonly File[]): void;
  /**
   * A folder or many files: RAW+JPEG pairs become one photo, `.xmp` sidecars are kept with their
   * photo, files that are not photos are skipped, and `photoNotice` sums it up in one line.
   */
  addShoot(files: readonly IncomingFile[]): void;
  selectPhoto(photoId: string): void;
  removePhoto(photoId: string): void;
  /** Removes every file that could not be opened. */
  clearFailedPhotos(): void;
  /** Removes every photo and all of its work, results and chat (the kiosk's fresh start). */
  removeAllPhotos(): void;
  /**
   * The photo's working bitmap for drawing: kept, or decoded again if it was evicted for memory.
   * Valid until the next await (draw it at once).
   */
  photoBitmap(photoId: string): Promise<ImageBitmap>;
  /** The file the photo was shown from (for the hand-back's tagged JPEG copies); null when gone. */
  photoFile(photoId: string): Blob | null;
}

/**
 * What makes two added files "the same file": name, size and last-modified time, as the file
 * manager, picker and drop all report them. It is known at once, so addFiles stays synchronous and
 * a duplicate never flashes into the list; reading and hashing bytes first would delay every photo
 * to catch the rarer case of one file saved under two names (which then simply shows twice).
 * Pasted images carry the paste time, so pasting twice adds twice, as asked.
 */
export function fileFingerprint(file: File): string {
  return `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
}

/** "Already added: a.jpg." or, for many, the first few names and how many more. */
export function alreadyAddedNotice(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const shown = names.slice(0, 3).join(', ');
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  return `Already added: ${shown}${more}.`;
}

/** What a photo's shoot files add to its notes (which file of a RAW+JPEG pair was measured). */
const notesOfShoot = (shoot: ShootFiles | undefined): string[] => {
  const note = shoot ? shootNote(shoot) : null;
  return note ? [note] : [];
};

export const createPhotosSlice =
  ({ services, pipeline }: StoreContext): StateCreator<AppState, [], [], PhotosSlice> =>
  (set, get) => {
    let counter = 0;
    /** Fingerprint → photo id of every file in the list (see fileFingerprint). */
    const byFingerprint = new Map<string, string>();
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
                notes: [...notesOfShoot(get().photos[id]?.shoot), ...decoded.notes],
                reader: decoded.reader,
                thumbUrl,
              });
              // Results saved from an earlier drop or visit spare the photo its measure and score.
              const saved = await get().savedResults(id);
              if (signal.aborted) return;
              if (!saved.score) get().scorePhoto(id);
              if (!saved.measures) await get().measurePhoto(id, decoded);
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
      photoNotice: null,

      addFiles(files) {
        const fresh: { file: File; photo: PhotoRecord }[] = [];
        const repeated: { name: string; id: string }[] = [];
        for (const file of files) {
          const fingerprint = fileFingerprint(file);
          const existing = byFingerprint.get(fingerprint);
          if (existing !== undefined) {
            repeated.push({ name: file.name, id: existing });
            continue;
          }
          const photo: PhotoRecord = {
            id: newPhotoId(),
            name: file.name || 'Pasted image',
            bytes: file.size,
            addedAt: Date.now(),
            status: 'decoding',
            notes: [],
          };
          byFingerprint.set(fingerprint, photo.id);
          fresh.push({ file, photo });
        }
        if (fresh.length === 0 && repeated.length === 0) return;
        set((s) => ({
          photos: {
            ...s.photos,
            ...Object.fromEntries(fresh.map(({ photo }) => [photo.id, photo])),
          },
          photoOrder: [...s.photoOrder, ...fresh.map(({ photo }) => photo.id)],
          photoNotice: alreadyAddedNotice(repeated.map((r) => r.name)),
        }));
        // The first new photo goes on screen; with none, the one the person tried to add again.
        get().selectPhoto(fresh[0]?.photo.id ?? repeated[0]!.id);
        if (fresh.length > 0) {
          get().lookUpSaved(
            fresh.map(({ file, photo }) => ({ id: photo.id, file, folder: photo.shoot?.folder })),
          );
        }
        for (const { file, photo } of fresh) {
          pipeline.add(photo.id, file);
          void intake(photo.id);
        }
      },

      addShoot(files) {
        const plan = planShoot(files);
        // A folder names its shoot (what persist saves it as, and offers to carry on); with several
        // folders at once, the first names it.
        const folder = plan.folder ?? files.find((f) => f.path.includes('/'))?.path.split('/')[0];
        if (folder) get().noteShootFolder(folder);
        get().addFiles(plan.photos.map((p) => p.file));
        // addFiles made the records at once (decoding starts later): give each its files.
        set((s) => {
          const photos = { ...s.photos };
          for (const { file, shoot } of plan.photos) {
            const id = byFingerprint.get(fileFingerprint(file));
            const photo = id === undefined ? undefined : photos[id];
            if (photo && !photo.shoot) photos[photo.id] = { ...photo, shoot };
          }
          const notice = [shootSummary(plan), s.photoNotice].filter(Boolean).join('. ');
          return { photos, photoNotice: notice };
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
        for (const [fingerprint, id] of byFingerprint) {
          if (id === photoId) byFingerprint.delete(fingerprint);
        }
        pipeline.remove(photoId);
        get().forgetPhotoPixels(photoId);
        get().forgetPhotoChat(photoId);
        get().forgetPhotoModelState(photoId);
        get().forgetPhotoAttributes(photoId);
        get().forgetPhotoRegion(photoId);
        get().forgetPhotoQualityMap(photoId);
        get().forgetPhotoMarks(photoId);
        get().forgetPhotoSaved(photoId);
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

      clearFailedPhotos() {
        const failed = get().photoOrder.filter((id) => get().photos[id]?.status === 'failed');
        for (const id of failed) get().removePhoto(id);
      },

      removeAllPhotos() {
        get().endShoot();
        for (const id of [...get().photoOrder]) get().removePhoto(id);
        set({ selectedPhotoId: null, photoNotice: null });
      },

      photoFile: (photoId) => pipeline.work.get(photoId)?.file ?? null,
      photoBitmap(photoId) {
        return pipeline.bitmap(photoId);
      },
    };
  };
