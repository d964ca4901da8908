import { describe, expect, it } from 'vitest';
import {
  lookupOrder,
  matchAppFile,
  pruneAppCaches,
  staleAppCaches,
  type CacheStorageLike,
} from './app-caches.ts';

/** CacheStorage in memory: caches in creation order, each a map of URL to body. */
class MemoryCaches implements CacheStorageLike {
  readonly stores = new Map<string, Map<string, string>>();
  add(name: string, files: Record<string, string>) {
    this.stores.set(name, new Map(Object.entries(files)));
  }
  async keys() {
    return [...this.stores.keys()];
  }
  async open(name: string) {
    const store = this.stores.get(name) ?? new Map<string, string>();
    return {
      match: async (request: RequestInfo) => {
        const body = store.get(typeof request === 'string' ? request : request.url);
        return body === undefined ? undefined : new Response(body);
      },
    };
  }
  async delete(name: string) {
    return this.stores.delete(name);
  }
}

describe('staleAppCaches', () => {
  const keys = [
    'transformers-cache',
    'quality-lens-app-v1',
    'quality-lens-app-v2',
    'quality-lens-app-v3',
  ];

  it('keeps the current copy and the previous one while tabs may run it', () => {
    expect(staleAppCaches(keys, 'quality-lens-app-v3', true)).toEqual(['quality-lens-app-v1']);
  });

  it('drops every older copy once only the current version runs; never the model cache', () => {
    expect(staleAppCaches(keys, 'quality-lens-app-v3', false)).toEqual([
      'quality-lens-app-v1',
      'quality-lens-app-v2',
    ]);
    expect(
      staleAppCaches(['transformers-cache', 'quality-lens-app-v3'], 'quality-lens-app-v3', false),
    ).toEqual([]);
  });

  it('looks in the current copy first, then the newest older one', () => {
    expect(lookupOrder(keys, 'quality-lens-app-v3')).toEqual([
      'quality-lens-app-v3',
      'quality-lens-app-v2',
      'quality-lens-app-v1',
    ]);
  });
});

describe('an open tab of the previous version after a deploy', () => {
  it('still gets its lazy chunk, which only the previous copy holds', async () => {
    const storage = new MemoryCaches();
    storage.add('quality-lens-app-v1', { 'https://app/assets/worker-OLD.js': 'old worker' });
    storage.add('quality-lens-app-v2', { 'https://app/assets/worker-NEW.js': 'new worker' });
    // The new version activates and tidies up with an old tab still open: v1 stays.
    expect(await pruneAppCaches(storage, 'quality-lens-app-v2', true)).toEqual([]);
    const old = await matchAppFile(
      storage,
      'quality-lens-app-v2',
      'https://app/assets/worker-OLD.js',
      {},
    );
    expect(await old?.text()).toBe('old worker');
    const fresh = await matchAppFile(
      storage,
      'quality-lens-app-v2',
      'https://app/assets/worker-NEW.js',
      {},
    );
    expect(await fresh?.text()).toBe('new worker');
    // Once only the new version runs, the old copy goes, and with it the old chunk.
    expect(await pruneAppCaches(storage, 'quality-lens-app-v2', false)).toEqual([
      'quality-lens-app-v1',
    ]);
    expect(
      await matchAppFile(storage, 'quality-lens-app-v2', 'https://app/assets/worker-OLD.js', {}),
    ).toBeUndefined();
  });
});
