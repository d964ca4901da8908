/**
 * Cross-origin isolation on hosts that send no COOP/COEP headers (GitHub Pages, a plain static
 * server): the offline service worker adds them to what it serves, so once it controls the page a
 * reload makes the page isolated and onnxruntime-web multi-threaded. The page reloads itself once
 * for that, guarded by a sessionStorage flag so a host or browser where it does not help never
 * loops, and never while the person is at work.
 */

/** Set before the reload; cleared when the page is isolated. */
export const ISOLATION_RELOAD_FLAG = 'quality-lens:isolation-reload';

/** What the page knows when it decides whether to reload. */
export interface IsolationFacts {
  /** `crossOriginIsolated`; undefined in browsers that have no notion of it. */
  isolated: boolean | undefined;
  /** Service workers need a secure context (https or localhost). */
  secureContext: boolean;
  /** A service worker of this app is active for the page's scope. */
  workerActive: boolean;
  /** The page already reloaded itself for isolation in this tab's session. */
  reloadedBefore: boolean;
  /** Nothing would be lost by a reload (no photos, no download under way). */
  idle: boolean;
}

/**
 * Reload only when it can help and costs nothing: not isolated yet, a worker that adds the
 * headers is active, and this session has not tried already (a second try would loop).
 */
export function shouldReloadForIsolation(f: IsolationFacts): boolean {
  return f.isolated === false && f.secureContext && f.workerActive && !f.reloadedBefore && f.idle;
}

/** sessionStorage may be missing or throw (storage blocked); then the flag reads as set. */
function readFlag(): boolean {
  try {
    return sessionStorage.getItem(ISOLATION_RELOAD_FLAG) !== null;
  } catch {
    return true;
  }
}

/**
 * Once the service worker is active, reloads the page through it if that makes it isolated.
 * `isIdle` is asked at that moment: a person who already dropped photos or started the download
 * is not interrupted (the next visit is isolated anyway).
 */
export async function reloadOnceForIsolation(isIdle: () => boolean): Promise<void> {
  if (self.crossOriginIsolated) {
    try {
      sessionStorage.removeItem(ISOLATION_RELOAD_FLAG);
    } catch {
      // Nothing to clear.
    }
    return;
  }
  if (!('serviceWorker' in navigator) || !window.isSecureContext || readFlag()) return;
  const registration = await navigator.serviceWorker.ready;
  const facts: IsolationFacts = {
    isolated: self.crossOriginIsolated,
    secureContext: window.isSecureContext,
    workerActive: registration.active !== null,
    reloadedBefore: readFlag(),
    idle: isIdle(),
  };
  if (!shouldReloadForIsolation(facts)) return;
  try {
    sessionStorage.setItem(ISOLATION_RELOAD_FLAG, String(Date.now()));
  } catch {
    return; // Without the flag a reload could loop.
  }
  location.reload();
}

/** Why this page runs single-threaded, in words for the model settings. */
export function isolationProblem(): string {
  if (typeof self.crossOriginIsolated !== 'boolean') return 'this browser cannot isolate pages';
  if (!self.isSecureContext) return 'service workers need https or localhost';
  if (!('serviceWorker' in navigator)) return 'no service worker here to add COOP/COEP';
  return readFlag()
    ? 'the host sends no COOP/COEP and the reload through the service worker did not help'
    : 'the host sends no COOP/COEP; where service workers run, the app adds them and reloads once';
}
