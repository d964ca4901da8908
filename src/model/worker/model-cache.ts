/**
 * The browser cache transformers.js keeps model files in, wrapped so the app knows when a write
 * failed. transformers.js itself swallows a failed `cache.put` (a full disk or quota gives
 * QuotaExceededError) with a console warning and runs the model from memory, so without this the
 * app would claim the model is kept when the next visit must download it again.
 */
/** The part of the Cache API transformers.js calls (its `CacheInterface`). */
export interface ModelFileCache {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
}

/** A file the browser refused to keep, and why. */
export interface CacheWriteFailure {
  url: string;
  /** The DOMException's name, e.g. QuotaExceededError. */
  reason: string;
}

/** The Cache API bucket transformers.js stores downloaded files in (its `env.cacheKey`). */
export const MODEL_CACHE = 'transformers-cache';

/**
 * Opens `name` lazily through `open` and records every write that fails. A failed write resolves
 * (the file is in memory already; the load goes on) and is kept in `failures` until `reset`.
 */
export class RecordingCache implements ModelFileCache {
  readonly failures: CacheWriteFailure[] = [];
  private cache: Promise<Cache | null> | null = null;

  constructor(private readonly open: () => Promise<Cache>) {}

  private bucket(): Promise<Cache | null> {
    // A cache that cannot be opened (storage blocked) is no cache: every file comes from the network.
    this.cache ??= this.open().catch(() => null);
    return this.cache;
  }

  async match(request: string): Promise<Response | undefined> {
    return (await this.bucket())?.match(request);
  }

  async put(request: string, response: Response): Promise<void> {
    const cache = await this.bucket();
    if (!cache) {
      this.failures.push({ url: request, reason: 'Cache storage is unavailable' });
      return;
    }
    try {
      await cache.put(request, response);
    } catch (error) {
      this.failures.push({
        url: request,
        reason: error instanceof Error ? error.name || error.message : String(error),
      });
    }
  }

  /** Forgets recorded failures (at the start of each load). */
  reset(): void {
    this.failures.length = 0;
  }
}
