/**
 * The offline service worker: keeps the app itself (HTML, scripts, styles, onnxruntime's WASM) so a
 * second visit works with no network. Model files are not handled here: transformers.js keeps them
 * in its own Cache API bucket. Pages are fetched network-first (a new build is picked up when
 * online) and fall back to the cached shell; hashed assets are served cache-first.
 */
export {};
declare const self: ServiceWorkerGlobalScope;

/** Replaced at build time by the list of built files (see vite.config.ts). */
declare const __PRECACHE_MANIFEST__: { version: string; files: string[] };

const manifest = __PRECACHE_MANIFEST__;
const CACHE = `quality-lens-app-${manifest.version}`;
const SHELL = './';
/**
 * Servers answer with `Vary: Origin`; module scripts are requested with an Origin header and the
 * precache without one, so Vary must not stop a match.
 */
const MATCH: CacheQueryOptions = { ignoreSearch: true, ignoreVary: true };

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...manifest.files]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('quality-lens-app-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.includes('/models/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(SHELL, MATCH)) ?? Response.error()),
    );
    return;
  }
  event.respondWith(caches.match(request, MATCH).then((hit) => hit ?? fetch(request)));
});
