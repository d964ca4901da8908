/**
 * Cross-origin isolation from the service worker, for hosts that cannot send headers (GitHub
 * Pages): every response the worker serves gets COOP/COEP/CORP, so the page it controls is
 * cross-origin isolated and onnxruntime-web can run multi-threaded WASM. The idea is the one the
 * coi-serviceworker project uses; the page reloads once to be served through the worker
 * (offline/isolation.ts).
 */

/** The headers that make a document cross-origin isolated (the same ones public/_headers sends). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A copy of `response` carrying the isolation headers and, when given and the host sent none, the
 * Content Security Policy (so pages and workers served through the worker on a host without
 * headers run under it too). Opaque responses (status 0: no-cors, opaque redirects) cannot be
 * rebuilt and pass unchanged, as do responses that already say so.
 */
export function withIsolationHeaders(response: Response, contentPolicy?: string): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') {
    return response;
  }
  const headers = new Headers(response.headers);
  let changed = false;
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
    if (headers.get(name) === value) continue;
    headers.set(name, value);
    changed = true;
  }
  if (contentPolicy && !headers.has('Content-Security-Policy')) {
    headers.set('Content-Security-Policy', contentPolicy);
    changed = true;
  }
  if (!changed) return response;
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
