/**
 * The offline service worker: keeps the app itself (HTML, scripts, styles, onnxruntime's WASM) so a
 * second visit works with no network. Model files are not handled here: transformers.js keeps them
 * in its own Cache API bucket. Pages are fetched network-first (a new build is picked up when
 * online) and fall back to the cached shell; hashed assets are served cache-first. Everything it
 * serves carries the cross-origin isolation headers (isolation-headers.ts), so hosts that cannot
 * send them still get multi-threaded WASM.
 *
 * Updates never break an open tab: a new version installs beside the old one and waits (no
 * skipWaiting of its own) until no tab runs the old version, or until a page asks for it (the
 * "Reload" button of the update notice). Once active it keeps the previous version's files for
 * tabs still running it (app-caches.ts) and drops them when the one window open runs this version.
 */
import { matchAppFile, pruneAppCaches, APP_CACHE_PREFIX } from './app-caches.ts';
import type { PageToWorker } from '../protocol.ts';
import { withIsolationHeaders } from './isolation-headers.ts';

declare const self: ServiceWorkerGlobalScope;

/** Replaced at build time by the list of built files (see vite.config.ts). */
declare const __PRECACHE_MANIFEST__: { version: string; files: string[] };
/** Replaced at build time by the build's Content Security Policy (content-policy.ts). */
declare const __CONTENT_POLICY__: string;

const manifest = __PRECACHE_MANIFEST__;
const CACHE = `${APP_CACHE_PREFIX}${manifest.version}`;
const SHELL = './';
const CONTENT_POLICY = __CONTENT_POLICY__;
/** Adds the isolation headers, and the policy where the host sent none. */
const withHeaders = (response: Response) => withIsolationHeaders(response, CONTENT_POLICY);
/**
 * Servers answer with `Vary: Origin`; module scripts are requested with an Origin header and the
 * precache without one, so Vary must not stop a match.
 */
const MATCH: CacheQueryOptions = { ignoreSearch: true, ignoreVary: true };

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...manifest.files])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Tabs of the previous version may still be open (the person pressed Reload in another).
      await pruneAppCaches(caches, CACHE, true);
      await self.clients.claim();
    })(),
  );
});

/** Drops older copies of the app when the only window open runs this version. */
async function tidyUp(entryScript: string): Promise<void> {
  const current = await (await caches.open(CACHE)).match(entryScript, MATCH);
  const windows = await self.clients.matchAll({ type: 'window' });
  if (current && windows.length === 1) await pruneAppCaches(caches, CACHE, false);
}

self.addEventListener('message', (event) => {
  const message = event.data as PageToWorker | null;
  if (message?.type === 'skip-waiting') event.waitUntil(self.skipWaiting());
  else if (message?.type === 'page-ready') event.waitUntil(tidyUp(message.entryScript));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Chromium's devtools ask this way; fetch() would throw for it.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (url.pathname.includes('/models/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .catch(async () => (await matchAppFile(caches, CACHE, SHELL, MATCH)) ?? Response.error())
        .then(withHeaders),
    );
    return;
  }
  event.respondWith(
    matchAppFile(caches, CACHE, request, MATCH)
      .then((hit) => hit ?? fetch(request))
      .then(withHeaders),
  );
});
