/**
 * What the browser keeps of the model and how much room it gives: the model files in
 * transformers.js's Cache API bucket, the site's usage and quota (StorageManager.estimate), and
 * whether its storage is persistent (StorageManager.persist). Runs on the page: these are quick
 * calls that read sizes from headers and never load a model file into memory.
 */

import { MODEL_CACHE } from '../model/worker/model-cache.ts';

/** The Cache API bucket the model worker has transformers.js store downloaded files in. */
export const MODEL_CACHE_NAME = MODEL_CACHE;

/** How much this site stores and may store. */
export interface StorageFigures {
  usage: number;
  quota: number;
}

/** Model files in the cache: how many and how many bytes. */
export interface CachedFiles {
  files: number;
  bytes: number;
}

/** The storage calls the store makes (browser: createBrowserModelStorage; tests: a fake). */
export interface ModelStorage {
  /** Usage and quota of this site's storage, or null where the browser does not say. */
  estimate(): Promise<StorageFigures | null>;
  /** Whether this site's storage is persistent; null where the browser cannot say. */
  persisted(): Promise<boolean | null>;
  /** Asks the browser to keep this site's storage when space runs low; true when granted. */
  persist(): Promise<boolean | null>;
  /** The cached files whose URL starts with `folderUrl` (a model's folder). */
  measure(folderUrl: string): Promise<CachedFiles>;
  /** Deletes the cached files under `folderUrl` and says what was freed. */
  remove(folderUrl: string): Promise<CachedFiles>;
}

/** Bytes a cached response holds: its Content-Length (transformers.js sets it), else its body. */
async function responseBytes(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > 0) return length;
  return (await response.blob()).size;
}

/** The real thing, over the given CacheStorage and StorageManager (either may be missing). */
export function createBrowserModelStorage(
  cacheStorage: CacheStorage | undefined = globalThis.caches,
  manager: StorageManager | undefined = globalThis.navigator?.storage,
): ModelStorage {
  const entries = async (folderUrl: string) => {
    if (!cacheStorage || !(await cacheStorage.has(MODEL_CACHE_NAME))) return null;
    const cache = await cacheStorage.open(MODEL_CACHE_NAME);
    const keys = (await cache.keys()).filter((request) => request.url.startsWith(folderUrl));
    return { cache, keys };
  };
  const sizeOf = async (folderUrl: string) => {
    const found = await entries(folderUrl);
    if (!found) return { found, sizes: { files: 0, bytes: 0 } };
    let bytes = 0;
    for (const key of found.keys) bytes += await responseBytes(await found.cache.match(key));
    return { found, sizes: { files: found.keys.length, bytes } };
  };
  return {
    async estimate() {
      if (!manager?.estimate) return null;
      const { usage, quota } = await manager.estimate();
      return usage === undefined || quota === undefined ? null : { usage, quota };
    },
    async persisted() {
      return manager?.persisted ? manager.persisted() : null;
    },
    async persist() {
      return manager?.persist ? manager.persist() : null;
    },
    async measure(folderUrl) {
      return (await sizeOf(folderUrl)).sizes;
    },
    async remove(folderUrl) {
      const { found, sizes } = await sizeOf(folderUrl);
      if (found) await Promise.all(found.keys.map((key) => found.cache.delete(key)));
      return sizes;
    },
  };
}
