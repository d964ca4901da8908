/**
 * What a kiosk visitor may have left in the browser's storage, wiped between visitors: every
 * IndexedDB database, every Cache Storage bucket but the model's and the app's own files, Web
 * Storage (but the flag that stops the isolation reload from looping), and the URL fragment (a
 * shared result). The model's files are never touched, so the next visitor does not wait for it.
 */
import { MODEL_CACHE } from '../model/worker/model-cache.ts';
import { ISOLATION_RELOAD_FLAG } from '../offline/isolation.ts';

/** What was wiped, for the debug attribute and the operator. */
export interface WipeReport {
  databases: string[];
  caches: string[];
  storageKeys: number;
}

/**
 * The prefix of the service worker's caches of the app's own files (offline/worker/app-caches.ts's
 * APP_CACHE_PREFIX, equal by wipe.test.ts). Not imported: a module the page shares with the
 * service worker becomes a shared chunk, and a service worker cannot import one.
 */
export const APP_FILES_CACHE_PREFIX = 'quality-lens-app-';

/** Cache buckets that belong to the kiosk itself, not to a visitor. */
export function isKioskOwnCache(name: string): boolean {
  return name === MODEL_CACHE || name.startsWith(APP_FILES_CACHE_PREFIX);
}

function clearWebStorage(storage: Storage | undefined, keep: readonly string[]): number {
  if (!storage) return 0;
  let removed = 0;
  for (const key of Object.keys(storage)) {
    if (keep.includes(key)) continue;
    storage.removeItem(key);
    removed += 1;
  }
  return removed;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    // Another tab holds it open: it is deleted once that tab lets go; do not wait here.
    request.onblocked = () => resolve();
  });
}

export async function wipeVisitorStorage(): Promise<WipeReport> {
  const report: WipeReport = { databases: [], caches: [], storageKeys: 0 };
  try {
    const databases = (await indexedDB.databases?.()) ?? [];
    for (const db of databases) {
      if (!db.name) continue;
      await deleteDatabase(db.name);
      report.databases.push(db.name);
    }
  } catch {
    // IndexedDB unavailable (private mode, blocked): nothing was kept there.
  }
  try {
    for (const name of await caches.keys()) {
      if (isKioskOwnCache(name)) continue;
      await caches.delete(name);
      report.caches.push(name);
    }
  } catch {
    // Cache Storage unavailable (not a secure context): nothing was kept there.
  }
  const safely = (get: () => Storage) => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  report.storageKeys += clearWebStorage(
    safely(() => localStorage),
    [],
  );
  report.storageKeys += clearWebStorage(
    safely(() => sessionStorage),
    [ISOLATION_RELOAD_FLAG],
  );
  if (window.location.hash) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return report;
}
