/**
 * The attribute pass on the real store and queues with a fake model: it starts after the score,
 * reports as it goes, and a removed photo's pass is aborted and leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { createAppStore } from './index.ts';
import { fakeScore, fakeServices, photoFile, sleep, until } from './testing/fakes.ts';

async function readyStore() {
  const fakes = fakeServices();
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  return { store, ...fakes };
}

describe('attribute pass', () => {
  it('waits for the score, fills in as ratings arrive, and stops with the photo', async () => {
    const { store, model } = await readyStore();
    model.autoScore = false;
    model.autoAttributes = false;
    store.getState().addFiles([photoFile('a.jpg')]);
    const id = Object.values(store.getState().photos)[0]!.id;
    await until(() => model.scores.length === 1, 2000, 'score started');

    store.getState().rateAttributesWhenScored(id);
    expect(store.getState().attributes[id]).toBeUndefined();

    model.scores[0]!.done.resolve(fakeScore(4));
    await until(() => store.getState().scores[id]?.status === 'done', 2000, 'scored');
    store.getState().rateAttributesWhenScored(id);
    await until(() => model.attributeCalls.length === 1, 2000, 'attributes asked');
    const call = model.attributeCalls[0]!;
    call.onProgress({
      type: 'attribute-rated',
      id: 0,
      rating: {
        key: 'noise',
        ...fakeScore(2),
        levelLogits: [0, 0, 0, 0, 0],
        reusedTokens: 733,
        promptTokens: 790,
      },
    });
    expect(store.getState().attributes[id]?.ratings.map((r) => r.key)).toEqual(['noise']);
    expect(store.getState().attributes[id]?.status).toBe('running');

    store.getState().removePhoto(id);
    expect(call.signal?.aborted).toBe(true);
    await sleep(10);
    expect(store.getState().attributes[id]).toBeUndefined();
  });
});
