/**
 * Which copies of the app the service worker keeps, and where it finds a file. A tab opened before
 * a deploy still runs the old version and loads its lazy chunks (the model worker, HEIC decoder…)
 * later, by their old hashed names, which the new deploy no longer serves. So a new version never
 * deletes the previous one's files while a tab may still need them: it keeps the previous copy,
 * answers from any kept copy, and drops the old copies only once the one window open runs the
 * current version.
 */

/** Every cache of the app's files starts with this; model files live in transformers.js's own. */
export const APP_CACHE_PREFIX = 'quality-lens-app-';

/** The part of CacheStorage these rules use (a fake in tests). */
export interface CacheStorageLike {
  keys(): Promise<string[]>;
  open(name: string): Promise<{
    match(request: RequestInfo, options?: CacheQueryOptions): Promise<Response | undefined>;
  }>;
  delete(name: string): Promise<boolean>;
}

/**
 * The app caches to delete. `keys` are in creation order (CacheStorage keeps them so); with
 * `keepPrevious` the newest copy older than `current` stays for tabs still on it; older ones go.
 */
export function staleAppCaches(
  keys: readonly string[],
  current: string,
  keepPrevious: boolean,
): string[] {
  const older = keys.filter((key) => key.startsWith(APP_CACHE_PREFIX) && key !== current);
  return keepPrevious ? older.slice(0, -1) : older;
}

/** The app caches newest first, the current one at the front: where a file is looked for. */
export function lookupOrder(keys: readonly string[], current: string): string[] {
  const older = keys.filter((key) => key.startsWith(APP_CACHE_PREFIX) && key !== current);
  return [current, ...older.reverse()];
}

/** A file from the current copy of the app, else from a previous one still kept. */
export async function matchAppFile(
  storage: CacheStorageLike,
  current: string,
  request: RequestInfo,
  options: CacheQueryOptions,
): Promise<Response | undefined> {
  for (const name of lookupOrder(await storage.keys(), current)) {
    const hit = await (await storage.open(name)).match(request, options);
    if (hit) return hit;
  }
  return undefined;
}

/** Deletes the caches staleAppCaches names; returns them. */
export async function pruneAppCaches(
  storage: CacheStorageLike,
  current: string,
  keepPrevious: boolean,
): Promise<string[]> {
  const stale = staleAppCaches(await storage.keys(), current, keepPrevious);
  await Promise.all(stale.map((name) => storage.delete(name)));
  return stale;
}
