/**
 * A comparison on the real store and queues with a fake model: it asks both photos, all aspects,
 * fills in as aspects are judged and the reason grows, and stops when either photo is removed.
 */
import { describe, expect, it } from 'vitest';
import { combineOrders, COMPARE_QUESTIONS } from '../model/compare.ts';
import { pairKey } from './compareSlice.ts';
import { createAppStore } from './index.ts';
import { fakeServices, photoFile, sleep, until } from './testing/fakes.ts';

async function readyStore() {
  const fakes = fakeServices();
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  return { store, ...fakes };
}

describe('comparison of two photos', () => {
  it('asks every aspect for A then B, fills in as it goes, and keeps the final result', async () => {
    const { store, model } = await readyStore();
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg')]);
    const [a, b] = Object.values(store.getState().photos).map((p) => p.id) as [string, string];
    store.getState().compareWithModel(a, b);
    // Asked twice while running: one call.
    store.getState().compareWithModel(a, b);
    await until(() => model.compareCalls.length === 1, 2000, 'compare asked');
    await sleep(10);
    expect(model.compareCalls).toHaveLength(1);
    const call = model.compareCalls[0]!;
    expect(call.request.photoIds).toEqual([a, b]);
    expect(call.request.aspects).toEqual(COMPARE_QUESTIONS.map((q) => q.aspect));
    const overall = combineOrders('overall', 0.7, 0.4);
    call.onProgress({ type: 'compare-judged', id: 0, preference: overall });
    call.onProgress({ type: 'compare-reason', id: 0, delta: 'First', text: 'First' });
    const now = store.getState().comparisons[pairKey(a, b)]!;
    expect(now.status).toBe('running');
    expect(now.preferences).toEqual([overall]);
    expect(now.reason).toBe('First');
    call.done.resolve({
      preferences: [overall],
      reason: 'First, it is sharper.',
      reasonStop: 'end',
      imageTokensPerPhoto: 730,
      newlineRow: true,
      promptTokens: 1500,
      reusedTokens: 1464,
      timings: { encodeMs: 0, forwardMs: 1, swappedMs: 1, reasonMs: 1, totalMs: 3 },
      cancelled: false,
    });
    await until(
      () => store.getState().comparisons[pairKey(a, b)]?.status === 'done',
      2000,
      'compared',
    );
    expect(store.getState().comparisons[pairKey(a, b)]?.reason).toBe('First, it is sharper.');
  });

  it('stops when the second photo is removed', async () => {
    const { store, model } = await readyStore();
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg')]);
    const [a, b] = Object.values(store.getState().photos).map((p) => p.id) as [string, string];
    store.getState().compareWithModel(a, b);
    await until(() => model.compareCalls.length === 1, 2000, 'compare asked');
    store.getState().removePhoto(b);
    expect(model.compareCalls[0]!.signal?.aborted).toBe(true);
    await until(
      () => store.getState().comparisons[pairKey(a, b)]?.status === 'stopped',
      2000,
      'stopped',
    );
  });
});
