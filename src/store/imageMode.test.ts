/**
 * The image mode setting on the real store with the fake model: the link's `?imageMode=` picks it,
 * every score says which mode produced it, and switching modes scores every photo again in the
 * new mode (a score still running in the old mode is not kept).
 */
import { describe, expect, it } from 'vitest';
import { createAppStore } from './index.ts';
import { fakeScore, fakeServices, photoFile, until } from './testing/fakes.ts';

describe('image mode', () => {
  it('comes from ?imageMode= (an unknown value falls back to fast, with a notice)', async () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    await store.getState().initModel(new URLSearchParams('model=local:m&imageMode=reference'));
    expect(store.getState().model.imageMode).toBe('reference');
    const other = createAppStore(fakeServices().services);
    await other.getState().initModel(new URLSearchParams('model=local:m&imageMode=tiles'));
    expect(other.getState().model.imageMode).toBe('fast');
    expect(other.getState().model.notice).toContain('“tiles” is not an image mode');
  });

  it('rescoring every photo when the mode changes, and naming the mode in each result', async () => {
    const { services, model } = fakeServices();
    const store = createAppStore(services);
    await store.getState().initModel(new URLSearchParams('model=local:m'));
    await until(() => store.getState().model.status === 'ready');
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg')]);
    const ids = [...store.getState().photoOrder];
    const done = () => ids.every((id) => store.getState().scores[id]?.status === 'done');
    await until(done);
    expect(ids.map((id) => store.getState().scores[id]!.by?.imageMode)).toEqual(['fast', 'fast']);
    expect(model.scores.map((c) => c.imageMode)).toEqual(['fast', 'fast']);

    store.getState().setImageMode('reference');
    await until(() => done() && model.scores.length === 4);
    expect(model.scores.slice(2).map((c) => c.imageMode)).toEqual(['reference', 'reference']);
    expect(ids.map((id) => store.getState().scores[id]!.by?.imageMode)).toEqual([
      'reference',
      'reference',
    ]);
  });

  it('does not keep a score that finishes in the old mode', async () => {
    const { services, model } = fakeServices();
    model.autoScore = false;
    const store = createAppStore(services);
    await store.getState().initModel(new URLSearchParams('model=local:m'));
    await until(() => store.getState().model.status === 'ready');
    store.getState().addFiles([photoFile('a.jpg')]);
    const id = store.getState().photoOrder[0]!;
    await until(() => model.scores.length === 1);
    store.getState().setImageMode('reference');
    model.scores[0]!.done.resolve(fakeScore(2));
    await until(() => model.scores.length === 2);
    expect(model.scores[1]!.imageMode).toBe('reference');
    expect(store.getState().scores[id]!.status).not.toBe('done');
  });
});
