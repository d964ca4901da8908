/**
 * A model host that never answers (a black-holed address, a proxy that holds the connection) would
 * leave a size check or a download waiting for minutes with nothing to show. Every request the
 * model worker makes goes through this fetch, which gives up when the host has not started its
 * answer (sent its headers) in time. A slow download that has started is never cut: only the wait
 * for the first byte is timed.
 */

/** Thrown when a host has not started answering in time. */
export class HostTimeoutError extends Error {
  constructor(
    readonly host: string,
    readonly ms: number,
  ) {
    super(`The model host ${host} did not answer within ${Math.round(ms / 1000)} s.`);
    this.name = 'HostTimeoutError';
  }
}

const hostOf = (input: RequestInfo | URL): string => {
  try {
    return new URL(input instanceof Request ? input.url : String(input)).host || String(input);
  } catch {
    return String(input);
  }
};

/** `fetchImpl` with a limit on the wait for the answer's headers. */
export function fetchWithAnswerTimeout(fetchImpl: typeof fetch, ms: number): typeof fetch {
  return async (input, init = {}) => {
    const controller = new AbortController();
    const outer = init.signal;
    if (outer?.aborted) controller.abort(outer.reason);
    // Kept after the headers arrive: the caller's signal still stops the body.
    outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    try {
      return await fetchImpl(input, { ...init, signal: controller.signal });
    } catch (error) {
      throw timedOut ? new HostTimeoutError(hostOf(input), ms) : error;
    } finally {
      clearTimeout(timer);
    }
  };
}
