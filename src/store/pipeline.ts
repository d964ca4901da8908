/**
 * The work behind each photo, outside the store's state (controllers, files and bitmaps are not
 * state): one AbortController per photo that every stage of its work listens to, one queue per
 * stage with its own concurrency limit, and the main-thread bitmaps within a memory budget.
 *
 *   drop → [pixels: decode → thumbnail → measure]  (limit `decodes`)
 *        → [score]                                 (one at a time: one model lane)
 *        → [text: description, answers]           (one at a time: the other lane)
 *
 * Every queue starts the photo on screen first. A bitmap evicted for the budget is decoded again
 * from the photo's file when a stage needs it.
 */
import { BitmapCache } from '../photos/bitmap-cache.ts';
import { TaskQueue } from '../lib/task-queue.ts';
import type { ImageSource } from '../model/client.ts';
import type { DecodedPhoto } from '../pixels/client.ts';
import type { AppServices } from './services.ts';

/** Everything the pipeline holds for one photo. */
export interface PhotoWork {
  file: Blob;
  controller: AbortController;
  /** The latest decode (its bitmap may since have been evicted and closed). */
  decoded: DecodedPhoto | null;
  /** A decode under way to bring an evicted bitmap back, shared by whoever needs it. */
  redecoding: Promise<ImageBitmap> | null;
  thumbUrl: string | null;
}

export class Pipeline {
  readonly work = new Map<string, PhotoWork>();
  readonly bitmaps: BitmapCache;
  readonly pixelsQueue: TaskQueue;
  readonly scoreQueue: TaskQueue;
  readonly textQueue: TaskQueue;
  /** Photos that had to be decoded again after their bitmap was evicted (bench and tests read it). */
  redecodes = 0;
  private readonly selected: () => string | null;

  constructor(
    private readonly services: AppServices,
    /** The photo on screen, which every queue serves first. */
    selected: () => string | null,
  ) {
    this.selected = selected;
    this.bitmaps = new BitmapCache(services.limits.bitmapBudgetBytes, services.limits.bitmapsKept);
    const onScreenFirst = (id: string) => (id === selected() ? 0 : 1);
    this.pixelsQueue = new TaskQueue(services.limits.decodes, onScreenFirst);
    // Among the rest, photos whose bitmap is still at hand score first: no decode again.
    this.scoreQueue = new TaskQueue(1, (id) =>
      id === selected() ? 0 : this.bitmaps.has(id) ? 1 : 2,
    );
    this.textQueue = new TaskQueue(1, onScreenFirst);
  }

  /**
   * Stops starting new pixel and score work (work under way finishes); the photo on screen is
   * still decoded, measured and scored. Text (descriptions, answers) is the person's own asking
   * and is not held.
   */
  pause(): void {
    const onScreen = (id: string) => id === this.selected();
    this.pixelsQueue.pause(onScreen);
    this.scoreQueue.pause(onScreen);
  }

  resume(): void {
    this.pixelsQueue.resume();
    this.scoreQueue.resume();
  }

  /** Starts tracking a new photo. */
  add(photoId: string, file: Blob): PhotoWork {
    const work: PhotoWork = {
      file,
      controller: new AbortController(),
      decoded: null,
      redecoding: null,
      thumbUrl: null,
    };
    this.work.set(photoId, work);
    return work;
  }

  /** The photo's abort signal (already aborted for a photo that is gone). */
  signal(photoId: string): AbortSignal {
    return this.work.get(photoId)?.controller.signal ?? AbortSignal.abort();
  }

  /** Keeps a fresh decode. */
  keep(photoId: string, decoded: DecodedPhoto): void {
    const work = this.work.get(photoId);
    if (!work) {
      decoded.bitmap.close();
      return;
    }
    if (work.decoded && work.decoded.bitmap !== decoded.bitmap)
      this.services.pixels.forget(work.decoded);
    work.decoded = decoded;
    this.bitmaps.put(photoId, decoded.bitmap);
  }

  /**
   * The photo's working bitmap: kept, or decoded again from its file (through the pixels queue,
   * so the decode limit holds). Valid until the next await; copy it to keep it longer.
   */
  async bitmap(photoId: string): Promise<ImageBitmap> {
    const kept = this.bitmaps.get(photoId);
    if (kept) return kept;
    const work = this.work.get(photoId);
    if (!work) throw new Error('This photo was removed.');
    work.redecoding ??= this.pixelsQueue
      .run(
        photoId,
        async () => {
          const decoded = await this.services.pixels.decode(work.file, work.controller.signal);
          this.redecodes += 1;
          this.keep(photoId, decoded);
          return decoded.bitmap;
        },
        work.controller.signal,
      )
      .finally(() => {
        work.redecoding = null;
      });
    return work.redecoding;
  }

  /** A copy of the photo's bitmap that the caller may transfer to a worker. */
  async copy(photoId: string): Promise<ImageBitmap> {
    for (let attempt = 0; ; attempt++) {
      const bitmap = await this.bitmap(photoId);
      // Evicted (and closed) between the decode and now: decode it again, once.
      if (!this.bitmaps.has(photoId) && attempt === 0) continue;
      return this.services.images.copy(bitmap);
    }
  }

  /**
   * What the model worker is handed for a photo: a copy of its working bitmap on demand, and its
   * file (the reference image mode decodes it again at full size; a Blob is passed, not copied).
   */
  source(photoId: string): ImageSource {
    const file = this.work.get(photoId)?.file;
    return Object.assign(() => this.copy(photoId), file ? { original: file } : {});
  }

  /** Ends all of a photo's work and frees what it holds. */
  remove(photoId: string): void {
    const work = this.work.get(photoId);
    if (!work) return;
    work.controller.abort();
    this.work.delete(photoId);
    if (work.decoded) this.services.pixels.forget(work.decoded);
    if (work.thumbUrl) this.services.images.revoke(work.thumbUrl);
    this.bitmaps.delete(photoId);
  }
}
