/**
 * The quality map on the real store with a fake model: "Show where" asks once and fills in region
 * by region beside the pixel measures, a second "Show where" is answered from what was kept, Stop
 * ends it (and it starts again when asked), removing the photo aborts it and leaves nothing.
 */
import { describe, expect, it } from 'vitest';
import type { RegionScore } from '../model/quality-map.ts';
import { createAppStore } from './index.ts';
import { fakeScore, fakeServices, photoFile, sleep, until } from './testing/fakes.ts';

async function readyStoreWithPhoto() {
  const fakes = fakeServices();
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  store.getState().addFiles([photoFile('a.jpg')]);
  const id = Object.values(store.getState().photos)[0]!.id;
  await until(() => store.getState().scores[id]?.status === 'done', 2000, 'scored');
  return { store, id, ...fakes };
}

const region = (index: number, score: number): RegionScore => ({
  index,
  rect: { x: 0, y: 0, width: 1, height: 1 },
  ...fakeScore(score),
  levelLogits: [0, 0, 0, 0, 0],
  timings: { encodeMs: 1, prefillMs: 1, totalMs: 2 },
});

describe('quality map', () => {
  it('fills in region by region, is kept for the next Show where, and goes with the photo', async () => {
    const { store, id, model } = await readyStoreWithPhoto();
    store.getState().showQualityMap(id);
    await until(() => model.mapCalls.length === 1, 2000, 'map asked');
    const call = model.mapCalls[0]!;
    // The fake photo is 400 × 300 (4:3): a 3 × 3 grid.
    expect(call.grid).toEqual({ columns: 3, rows: 3 });
    call.onRegion({ type: 'region-scored', id: 0, region: region(0, 2) });
    expect(store.getState().qualityMaps[id]?.status).toBe('running');
    expect(store.getState().qualityMaps[id]?.regions.map((r) => r.index)).toEqual([0]);
    await until(() => store.getState().qualityMaps[id]?.pixels !== null, 2000, 'pixels measured');
    expect(store.getState().qualityMaps[id]?.pixels).toHaveLength(9);

    const regions = Array.from({ length: 9 }, (_, i) => region(i, 1 + i / 2));
    call.done.resolve({
      grid: call.grid,
      width: 400,
      height: 300,
      regions,
      ms: 5,
      cancelled: false,
    });
    await until(() => store.getState().qualityMaps[id]?.status === 'done', 2000, 'map done');
    store.getState().hideQualityMap(id);
    expect(store.getState().qualityMaps[id]?.shown).toBe(false);
    store.getState().showQualityMap(id);
    expect(store.getState().qualityMaps[id]?.shown).toBe(true);
    await sleep(10);
    expect(model.mapCalls).toHaveLength(1);

    store.getState().removePhoto(id);
    expect(store.getState().qualityMaps[id]).toBeUndefined();
  });

  it('stops when asked and starts again on the next Show where; removing aborts it', async () => {
    const { store, id, model } = await readyStoreWithPhoto();
    store.getState().showQualityMap(id);
    await until(() => model.mapCalls.length === 1, 2000, 'map asked');
    store.getState().stopQualityMap(id);
    expect(model.mapCalls[0]!.signal?.aborted).toBe(true);
    await until(() => store.getState().qualityMaps[id]?.status === 'stopped', 2000, 'stopped');

    store.getState().showQualityMap(id);
    await until(() => model.mapCalls.length === 2, 2000, 'asked again');
    store.getState().removePhoto(id);
    expect(model.mapCalls[1]!.signal?.aborted).toBe(true);
    await sleep(10);
    expect(store.getState().qualityMaps[id]).toBeUndefined();
  });
});
