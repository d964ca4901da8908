/**
 * The visible queue on the real store and queues with fakes: pause holds new pixel and score work
 * (what runs finishes; the photo on screen still goes), resume finishes the rest, a bad file is
 * counted as done and never holds up the others, and the rate is sampled as photos finish.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore } from './index.ts';
import { photoDone } from './queueSlice.ts';
import { fakeServices, FakePixelsWorker, photoFile, sleep, until } from './testing/fakes.ts';

async function readyStore(options: Parameters<typeof fakeServices>[0] = {}) {
  const fakes = fakeServices(options);
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  return { store, ...fakes };
}

const doneCount = (store: ReturnType<typeof createAppStore>) => {
  const s = store.getState();
  return s.photoOrder.filter((id) => photoDone(s, id)).length;
};

beforeEach(() => {
  FakePixelsWorker.decodes = 0;
  FakePixelsWorker.analyses = 0;
});

describe('the work queue', () => {
  it('pause stops new work (what runs finishes), resume finishes the rest', async () => {
    const { store, model } = await readyStore({ pixels: { decodeMs: 15 } });
    store.getState().addFiles(Array.from({ length: 12 }, (_, i) => photoFile(`q${i}.jpg`)));
    await until(() => FakePixelsWorker.decodes >= 3, 2000, 'some decoded');
    store.getState().pauseQueue();
    expect(store.getState().queuePaused).toBe(true);
    await sleep(100); // what was running finishes
    const decodes = FakePixelsWorker.decodes;
    const scores = model.scores.length;
    await sleep(300); // ~20 decodes' time: nothing new starts
    expect(FakePixelsWorker.decodes).toBe(decodes);
    expect(model.scores.length).toBe(scores);
    expect(doneCount(store)).toBeLessThan(12);

    store.getState().resumeQueue();
    await until(() => doneCount(store) === 12, 5000, 'all done after resume');
    expect(model.scores).toHaveLength(12);
  });

  it('while paused, the photo the person opens is still decoded, measured and scored', async () => {
    const { store, model } = await readyStore({ pixels: { decodeMs: 15 } });
    store.getState().addFiles(Array.from({ length: 8 }, (_, i) => photoFile(`o${i}.jpg`)));
    store.getState().pauseQueue();
    const last = store.getState().photoOrder.at(-1)!;
    store.getState().selectPhoto(last);
    await until(() => photoDone(store.getState(), last), 3000, 'photo on screen done');
    expect(model.scores.map((c) => c.photoId)).toContain(last);
    expect(doneCount(store)).toBeLessThan(8);
  });

  it('a bad file is counted as done and never stops the queue', async () => {
    const { store } = await readyStore({ pixels: { badPrefix: 'bad' } });
    const files = Array.from({ length: 10 }, (_, i) =>
      photoFile(i === 2 || i === 7 ? `bad-${i}.jpg` : `good-${i}.jpg`),
    );
    store.getState().addFiles(files);
    await until(() => doneCount(store) === 10, 5000, 'all done');
    const s = store.getState();
    expect(s.photoOrder.filter((id) => s.photos[id]?.status === 'failed')).toHaveLength(2);
    expect(Object.values(s.scores).filter((x) => x.status === 'done')).toHaveLength(8);
  });

  it('samples progress as photos finish, so the rate and time left can be read', async () => {
    const { store } = await readyStore({ pixels: { decodeMs: 5 } });
    store.getState().addFiles(Array.from({ length: 6 }, (_, i) => photoFile(`r${i}.jpg`)));
    await until(() => doneCount(store) === 6, 5000, 'all done');
    const samples = store.getState().queueSamples;
    expect(samples.at(-1)?.done).toBe(6);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(store.getState().workCounts).toEqual({ measures: 6, scores: 6 });
  });
});
