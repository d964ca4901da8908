/**
 * Messages from a page to the offline service worker (offline/worker/service-worker.ts), and what
 * the page's registration (offline/register.ts) offers the store.
 */
export type PageToWorker =
  /** The person chose to reload into the waiting new version: activate it now. */
  | { type: 'skip-waiting' }
  /** A page finished loading; `entryScript` (its main script's URL) tells which version it runs. */
  | { type: 'page-ready'; entryScript: string };

/** A new version of the app, installed and waiting for this tab to reload into it. */
export interface OfflineUpdates {
  /** Calls `listener` once a new version is waiting (at once if one already is). */
  onUpdateReady(listener: () => void): void;
  /** Activates the waiting version and reloads this tab into it. */
  applyUpdate(): void;
}
