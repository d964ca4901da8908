import { describe, expect, it } from 'vitest';
import { fetchWithAnswerTimeout, HostTimeoutError } from './answer-timeout.ts';

/** A host that answers after `answerMs` (never when null), honouring the abort signal. */
const host =
  (answerMs: number | null): typeof fetch =>
  (_input, init) =>
    new Promise<Response>((resolve, reject) => {
      const timer =
        answerMs === null ? undefined : setTimeout(() => resolve(new Response('ok')), answerMs);
      init?.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      });
    });

describe('fetchWithAnswerTimeout', () => {
  it('gives up on a host that never answers, naming the host', async () => {
    const started = Date.now();
    const fetching = fetchWithAnswerTimeout(host(null), 50)('http://127.0.0.1:9/org/m/config.json');
    await expect(fetching).rejects.toThrow(HostTimeoutError);
    await expect(fetching).rejects.toThrow('The model host 127.0.0.1:9 did not answer within 0 s.');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes an answer that comes in time through', async () => {
    const response = await fetchWithAnswerTimeout(host(5), 200)('https://huggingface.co/x');
    expect(await response.text()).toBe('ok');
  });

  it('passes the caller’s own abort through as an abort, not a timeout', async () => {
    const controller = new AbortController();
    const fetching = fetchWithAnswerTimeout(host(null), 10_000)('https://huggingface.co/x', {
      signal: controller.signal,
    });
    controller.abort();
    await expect(fetching).rejects.toThrow(/aborted/);
    await expect(fetching).rejects.not.toThrow(HostTimeoutError);
  });
});
