/**
 * The decoded working bitmaps of photos, kept on the main thread within a memory budget: at most
 * `budgetBytes` and at most `maxCount` bitmaps. The least recently used are closed first; the photo
 * on screen is pinned. An evicted bitmap is decoded again from its file when it is next needed, so
 * the budget bounds memory, not what the person can do. The count matters for small photos: 192 MB
 * holds 15 bitmaps of 12 MP but 160 of 640 × 480, and a shoot of 500 small photos then kept 160.
 */

/** Bytes an ImageBitmap holds (RGBA, 8 bits a channel). */
export const bitmapBytes = (bitmap: { width: number; height: number }) =>
  bitmap.width * bitmap.height * 4;

export class BitmapCache {
  private readonly bitmaps = new Map<string, ImageBitmap>();
  private total = 0;
  private pinned: string | null = null;
  /** Photos being worked on right now (decode → thumbnail → measure): kept until released. */
  private readonly held = new Map<string, number>();
  /** Most bytes ever held at once. */
  highWater = 0;

  constructor(
    readonly budgetBytes: number,
    readonly maxCount = Number.POSITIVE_INFINITY,
  ) {}

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.bitmaps.size;
  }

  has(key: string): boolean {
    return this.bitmaps.has(key);
  }

  /** The bitmap, marked as just used; undefined once evicted. */
  get(key: string): ImageBitmap | undefined {
    const bitmap = this.bitmaps.get(key);
    if (bitmap) {
      this.bitmaps.delete(key);
      this.bitmaps.set(key, bitmap);
    }
    return bitmap;
  }

  /** Keeps a bitmap (closing the one it replaces), then evicts others until within budget. */
  put(key: string, bitmap: ImageBitmap): void {
    this.delete(key);
    this.bitmaps.set(key, bitmap);
    this.total += bitmapBytes(bitmap);
    this.highWater = Math.max(this.highWater, this.total);
    this.evict(key);
  }

  /** The photo on screen is never evicted. */
  pin(key: string | null): void {
    this.pinned = key;
    this.evict(key);
  }

  /** Keeps a photo's bitmap while a stage works on it; the budget may be passed by these alone. */
  hold(key: string): void {
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
  }

  release(key: string): void {
    const n = (this.held.get(key) ?? 0) - 1;
    if (n > 0) this.held.set(key, n);
    else this.held.delete(key);
    this.evict(null);
  }

  delete(key: string): void {
    const bitmap = this.bitmaps.get(key);
    if (!bitmap) return;
    this.total -= bitmapBytes(bitmap);
    bitmap.close();
    this.bitmaps.delete(key);
  }

  clear(): void {
    for (const key of [...this.bitmaps.keys()]) this.delete(key);
  }

  private evict(keep: string | null) {
    for (const key of [...this.bitmaps.keys()]) {
      if (this.total <= this.budgetBytes && this.bitmaps.size <= this.maxCount) return;
      if (key !== keep && key !== this.pinned && !this.held.has(key)) this.delete(key);
    }
  }
}
