import { describe, expect, it } from 'vitest';
import { createBrowserModelStorage, MODEL_CACHE_NAME } from './model-storage.ts';

/** A CacheStorage with one bucket over a Map: what the storage module reads and deletes. */
function fakeCaches(files: Record<string, { bytes: number; header: boolean }>) {
  const entries = new Map<string, Response>();
  for (const [url, { bytes, header }] of Object.entries(files)) {
    const headers = header ? { 'content-length': String(bytes) } : undefined;
    entries.set(url, new Response(new Uint8Array(bytes), { headers }));
  }
  const cache = {
    keys: async () => [...entries.keys()].map((url) => new Request(url)),
    match: async (key: Request) => entries.get(key.url)?.clone(),
    delete: async (key: Request) => entries.delete(key.url),
  };
  const storage = {
    has: async (name: string) => name === MODEL_CACHE_NAME,
    open: async () => cache,
  } as unknown as CacheStorage;
  return { storage, entries };
}

const HUB = 'https://huggingface.co/llava-hf/llava-onevision-qwen2-0.5b-ov-hf/resolve/main/';
const OTHER = 'https://huggingface.co/someone/another-model/resolve/main/';

describe('model storage', () => {
  it('measures and deletes only the files of the given model folder', async () => {
    const { storage, entries } = fakeCaches({
      [`${HUB}config.json`]: { bytes: 1200, header: true },
      [`${HUB}onnx/decoder_model_merged_q4.onnx`]: { bytes: 50_000, header: true },
      // Sized from its body when the header is missing.
      [`${HUB}onnx/embed_tokens_q4.onnx`]: { bytes: 7_000, header: false },
      [`${OTHER}config.json`]: { bytes: 900, header: true },
    });
    const store = createBrowserModelStorage(storage, undefined);
    expect(await store.measure(HUB)).toEqual({ files: 3, bytes: 58_200 });
    expect(await store.remove(HUB)).toEqual({ files: 3, bytes: 58_200 });
    expect([...entries.keys()]).toEqual([`${OTHER}config.json`]);
    expect(await store.measure(HUB)).toEqual({ files: 0, bytes: 0 });
  });

  it('says nothing rather than guessing where the browser has no storage manager', async () => {
    const store = createBrowserModelStorage(undefined, undefined);
    expect(await store.estimate()).toBeNull();
    expect(await store.persisted()).toBeNull();
    expect(await store.persist()).toBeNull();
    expect(await store.remove(HUB)).toEqual({ files: 0, bytes: 0 });
  });

  it('reads usage and quota, and asks for persistence, from the storage manager', async () => {
    let asked = 0;
    const manager = {
      estimate: async () => ({ usage: 5_000, quota: 1_000_000 }),
      persisted: async () => asked > 0,
      persist: async () => {
        asked += 1;
        return true;
      },
    } as unknown as StorageManager;
    const store = createBrowserModelStorage(undefined, manager);
    expect(await store.estimate()).toEqual({ usage: 5_000, quota: 1_000_000 });
    expect(await store.persisted()).toBe(false);
    expect(await store.persist()).toBe(true);
    expect(asked).toBe(1);
  });
});
