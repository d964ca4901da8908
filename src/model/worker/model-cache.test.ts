import { describe, expect, it } from 'vitest';
import { RecordingCache } from './model-cache.ts';

/** The Cache API calls transformers.js makes, over a Map, with a quota in bytes. */
class QuotaCache {
  readonly entries = new Map<string, Response>();
  used = 0;
  constructor(private readonly quota: number) {}
  async match(request: string) {
    return this.entries.get(request)?.clone();
  }
  async put(request: string, response: Response) {
    const bytes = (await response.clone().arrayBuffer()).byteLength;
    if (this.used + bytes > this.quota) {
      throw new DOMException('Quota exceeded.', 'QuotaExceededError');
    }
    this.used += bytes;
    this.entries.set(request, response);
  }
}

const file = (bytes: number) => new Response(new Uint8Array(bytes));

describe('RecordingCache', () => {
  it('stores files while they fit and records the ones the quota refuses, without failing', async () => {
    const backing = new QuotaCache(1000);
    const cache = new RecordingCache(async () => backing as unknown as Cache);
    await cache.put('https://hub/m/resolve/main/config.json', file(100));
    await expect(
      cache.put('https://hub/m/resolve/main/onnx/decoder.onnx', file(5000)),
    ).resolves.toBeUndefined();
    expect(cache.failures).toEqual([
      { url: 'https://hub/m/resolve/main/onnx/decoder.onnx', reason: 'QuotaExceededError' },
    ]);
    expect(await cache.match('https://hub/m/resolve/main/config.json')).toBeInstanceOf(Response);
    expect(await cache.match('https://hub/m/resolve/main/onnx/decoder.onnx')).toBeUndefined();
    cache.reset();
    expect(cache.failures).toEqual([]);
  });

  it('records every write when the cache cannot be opened (storage blocked)', async () => {
    const cache = new RecordingCache(() => Promise.reject(new DOMException('no', 'SecurityError')));
    expect(await cache.match('https://hub/a')).toBeUndefined();
    await cache.put('https://hub/a', file(1));
    expect(cache.failures).toEqual([
      { url: 'https://hub/a', reason: 'Cache storage is unavailable' },
    ]);
  });
});
