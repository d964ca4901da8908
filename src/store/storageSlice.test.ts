/**
 * Storage that is honest, on the real store with fake browser storage: persistence is asked for
 * after a download that was kept (not after a cache load, not when the cache refused the files),
 * and "Delete downloaded model" frees that model's files only, says how much, and leaves the
 * loaded model running.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../model/protocol.ts';
import { createAppStore } from './index.ts';
import { fakeServices, until } from './testing/fakes.ts';

const HUB_FOLDER = 'https://huggingface.co/llava-hf/llava-onevision-qwen2-0.5b-ov-hf/resolve/main/';

async function loadedStore(loadedAs: Partial<LoadedModel> = {}) {
  const fakes = fakeServices();
  fakes.model.loadedAs = loadedAs;
  fakes.storage.files.set(`${HUB_FOLDER}config.json`, 2_000);
  fakes.storage.files.set(`${HUB_FOLDER}onnx/decoder_model_merged_q4f16.onnx`, 400_000_000);
  fakes.storage.files.set('https://huggingface.co/other/model/resolve/main/config.json', 1_000);
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  await store.getState().startModel();
  await until(() => store.getState().storage.figures !== null, 2000, 'storage measured');
  return { store, ...fakes };
}

describe('storage', () => {
  it('asks for persistent storage once after a download and shows usage and quota', async () => {
    const { store, storage } = await loadedStore();
    expect(storage.persistCalls).toBe(1);
    const s = store.getState().storage;
    expect(s.persistAsked).toBe(true);
    expect(s.persisted).toBe(true);
    expect(s.figures).toEqual({ usage: 400_003_000, quota: 10_000_000 });
    expect(s.model).toEqual({ files: 2, bytes: 400_002_000 });
  });

  it('does not ask when the model came from the cache', async () => {
    const { storage } = await loadedStore({ fromCache: true });
    expect(storage.persistCalls).toBe(0);
  });

  it('does not ask when the browser refused to store the files (they run from memory)', async () => {
    const { store, storage } = await loadedStore({
      notStored: { files: ['onnx/decoder_model_merged_q4f16.onnx'], reason: 'QuotaExceededError' },
    });
    expect(storage.persistCalls).toBe(0);
    expect(store.getState().model.loaded?.notStored?.reason).toBe('QuotaExceededError');
  });

  it('deleting the downloaded model frees its files only; the loaded model keeps running', async () => {
    const { store, storage } = await loadedStore();
    await store.getState().deleteDownloadedModel();
    const s = store.getState();
    expect(s.storage.freed).toEqual({
      files: 2,
      bytes: 400_002_000,
      usageBefore: 400_003_000,
      usageAfter: 1_000,
    });
    expect([...storage.files.keys()]).toEqual([
      'https://huggingface.co/other/model/resolve/main/config.json',
    ]);
    expect(s.storage.model).toEqual({ files: 0, bytes: 0 });
    expect(s.model.status).toBe('ready');
    expect(s.model.files.every((f) => !f.cached)).toBe(true);
  });

  it('a worker crash after the delete does not download the model again by itself', async () => {
    const { store, model } = await loadedStore();
    await store.getState().deleteDownloadedModel();
    model.handlers!.onCrash({ kind: 'crashed', message: 'The model worker stopped.', advice: '' });
    await new Promise((r) => setTimeout(r, 20));
    expect(model.loads).toHaveLength(1);
    expect(store.getState().model.status).toBe('failed');
  });

  it('a crash with the files kept still reloads by itself (from the cache)', async () => {
    const { store, model } = await loadedStore();
    model.handlers!.onCrash({ kind: 'crashed', message: 'The model worker stopped.', advice: '' });
    await until(() => model.loads.length === 2, 2000, 'reloaded');
    await until(() => store.getState().model.status === 'ready', 2000, 'ready again');
  });
});
