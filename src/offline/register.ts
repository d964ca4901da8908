/**
 * Registers the offline service worker in production builds, so the app opens with no network once
 * it has been visited (kiosk, plane, a shared link opened again), and tells the page when a new
 * version has been installed and is waiting (offline/worker/service-worker.ts explains why it
 * waits): the page then offers "Reload", which activates it and reloads once it is in control.
 */
import type { OfflineUpdates, PageToWorker } from './protocol.ts';

const post = (worker: ServiceWorker | null | undefined, message: PageToWorker) =>
  worker?.postMessage(message);

export function registerOfflineSupport(): OfflineUpdates | undefined {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return undefined;
  const container = navigator.serviceWorker;
  let waiting: ServiceWorker | null = null;
  const listeners: (() => void)[] = [];
  const announce = (worker: ServiceWorker | null) => {
    // Without a controller this is the first install, not an update: nothing to reload into.
    if (!worker || !container.controller || waiting === worker) return;
    waiting = worker;
    for (const listener of listeners) listener();
  };

  const url = new URL('./sw.js', document.baseURI);
  container
    .register(url, { scope: './' })
    .then((registration) => {
      announce(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed') announce(installing);
        });
      });
    })
    .catch((error: unknown) => {
      console.warn('Offline support is unavailable:', error);
    });

  // Which version this page runs, so the worker can drop older copies nobody needs.
  const entryScript = document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src;
  if (entryScript) {
    void container.ready.then((registration) =>
      post(registration.active, { type: 'page-ready', entryScript }),
    );
  }

  return {
    onUpdateReady(listener) {
      listeners.push(listener);
      if (waiting) listener();
    },
    applyUpdate() {
      // Already activated (another tab reloaded into it): this tab only needs to reload.
      if (!waiting || waiting.state !== 'installed') return window.location.reload();
      container.addEventListener('controllerchange', () => window.location.reload(), {
        once: true,
      });
      post(waiting, { type: 'skip-waiting' });
    },
  };
}
