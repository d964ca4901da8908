/**
 * The races of the per-photo pipeline, played out on the real store, the real PixelsClient and
 * worker bridge, and the real queues, with a fake pixels worker and a fake model (store/testing/).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Capabilities } from '../model/precision.ts';
import { createAppStore } from './index.ts';
import { MAPS_KEPT } from './pixelsSlice.ts';
import {
  deferred,
  fakeServices,
  FakePixelsWorker,
  photoFile,
  sleep,
  until,
} from './testing/fakes.ts';

const params = (query = '') => new URLSearchParams(query);

async function readyStore(options: Parameters<typeof fakeServices>[0] = {}) {
  const fakes = fakeServices(options);
  const store = createAppStore(fakes.services);
  await store.getState().initModel(params('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  return { store, ...fakes };
}

const idOf = (store: ReturnType<typeof createAppStore>, name: string) =>
  Object.values(store.getState().photos).find((p) => p.name === name)!.id;

beforeEach(() => {
  FakePixelsWorker.maxActive = 0;
  FakePixelsWorker.active = 0;
  FakePixelsWorker.decodes = 0;
});

describe('photo pipeline', () => {
  it("hands the model the photo's own file beside the working bitmap (for the full-size decode)", async () => {
    const { store, model } = await readyStore();
    const file = photoFile('big.jpg');
    store.getState().addFiles([file]);
    await until(() => model.scores.length === 1, 2000, 'score started');
    expect(model.scores[0]!.original).toBe(file);
  });

  it('a photo removed while it is scored stays gone: no score entry comes back', async () => {
    const { store, model } = await readyStore();
    model.autoScore = false;
    model.ignoreAbort = true; // the worker's reply arrives anyway
    store.getState().addFiles([photoFile('a.jpg')]);
    const id = idOf(store, 'a.jpg');
    await until(() => model.scores.length === 1, 2000, 'score started');
    expect(store.getState().scores[id]?.status).toBe('scoring');

    store.getState().removePhoto(id);
    expect(model.scores[0]!.signal?.aborted).toBe(true);
    model.scores[0]!.done.resolve({ ...(await import('./testing/fakes.ts')).fakeScore(4.5) });
    await sleep(10);

    const s = store.getState();
    expect(s.photos[id]).toBeUndefined();
    expect(s.scores[id]).toBeUndefined();
    expect(s.pixelAnalyses[id]).toBeUndefined();
    expect(model.forgotten).toContain(id);
    expect(store.pipeline.bitmaps.has(id)).toBe(false);
  });

  it('a photo removed while its thumbnail is made leaves nothing behind and descriptions still start', async () => {
    const thumb = deferred<string>();
    let calls = 0;
    const { store, model, revoked } = await readyStore({
      thumbnail: async () => (++calls === 1 ? thumb.promise : `blob:other-${calls}`),
    });
    store.getState().addFiles([photoFile('a.jpg')]);
    const a = idOf(store, 'a.jpg');
    await until(() => calls === 1, 2000, 'thumbnail asked');
    store.getState().removePhoto(a);
    thumb.resolve('blob:late');
    await sleep(10);
    expect(store.getState().photos[a]).toBeUndefined();
    expect(store.getState().scores[a]).toBeUndefined();
    expect(revoked).toContain('blob:late');
    expect(model.scores).toHaveLength(0);

    // The next photo is scored and described: no "scoring busy" left set by the removed one.
    store.getState().addFiles([photoFile('b.jpg')]);
    const b = idOf(store, 'b.jpg');
    await until(() => store.getState().scores[b]?.status === 'done', 2000, 'b scored');
    store.getState().describeWhenScored(b);
    await until(() => model.generations.length === 1, 2000, 'description started');
    expect(model.generations[0]!.request.photoId).toBe(b);
  });

  it('switching photos mid-description pauses the old text and starts the new photo’s first', async () => {
    const { store, model } = await readyStore();
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg')]);
    const a = idOf(store, 'a.jpg');
    const b = idOf(store, 'b.jpg');
    await until(
      () =>
        store.getState().scores[a]?.status === 'done' &&
        store.getState().scores[b]?.status === 'done',
      2000,
      'both scored',
    );
    expect(store.getState().selectedPhotoId).toBe(a);
    store.getState().describeWhenScored(a);
    await until(() => model.generations.length === 1, 2000, 'a described');

    store.getState().selectPhoto(b);
    const old = store.getState().chats[a]!.description!;
    expect(old.status).toBe('stopped');
    expect(old.interrupted).toBe(true);
    expect(model.generations[0]!.signal?.aborted).toBe(true);

    store.getState().describeWhenScored(b);
    await until(() => model.generations.length === 2, 2000, 'b described');
    expect(model.generations[1]!.request.photoId).toBe(b);
    // An off-screen photo is not described.
    store.getState().describeWhenScored(a);
    await sleep(10);
    expect(model.generations).toHaveLength(2);

    // Back on the first photo, its description starts again, and says so.
    model.generations[1]!.finish('b is fine');
    store.getState().selectPhoto(a);
    store.getState().describeWhenScored(a);
    await until(() => model.generations.length === 3, 2000, 'a described again');
    expect(model.generations[2]!.request.photoId).toBe(a);
    expect(store.getState().chats[a]!.description!.restarted).toBe(true);
    expect(store.getState().chats[b]!.description!.text).toBe('b is fine');
  });

  it('a settings change mid-download cancels the old download and loads the new settings', async () => {
    const { services, model } = fakeServices();
    model.autoLoad = false;
    const store = createAppStore(services);
    await store.getState().initModel(params('?device=wasm&precision=q4'));
    expect(store.getState().model.status).toBe('needs-consent');
    void store.getState().startModel();
    await until(() => model.loads.length === 1, 2000, 'first load');
    expect(store.getState().model.status).toBe('loading');

    const changed = store.getState().changeModelSettings({ preset: 'q8' });
    expect(model.loads[0]!.signal?.aborted).toBe(true);
    await changed;
    expect(store.getState().model.status).toBe('needs-consent');
    void store.getState().startModel();
    await until(() => model.loads.length === 2, 2000, 'second load');
    model.finishLoad(1);
    await until(() => store.getState().model.status === 'ready', 2000, 'ready');
    expect(store.getState().model.loaded?.dtypes).toEqual(model.loads[1]!.settings.dtypes);
    expect(model.loads[1]!.settings.dtypes).not.toEqual(model.loads[0]!.settings.dtypes);

    // The person can also just cancel: the app goes back to asking, and says so.
    void store.getState().changeModelSettings({ preset: 'q4' });
    await until(() => store.getState().model.status === 'needs-consent', 2000, 'asks again');
    void store.getState().startModel();
    await until(() => model.loads.length === 3, 2000, 'third load');
    store.getState().cancelModelDownload();
    expect(model.loads[2]!.signal?.aborted).toBe(true);
    expect(store.getState().model.status).toBe('needs-consent');
    expect(store.getState().model.notice).toMatch(/cancelled/);
  });

  it('300 photos at once: decodes within the limit, bitmaps within the budget, all finish, a hung one fails alone', async () => {
    const bitmapBytes = 400 * 300 * 4;
    const budget = 10 * bitmapBytes;
    const { store, model, ledger } = await readyStore({
      limits: { decodes: 2, bitmapBudgetBytes: budget },
      pixels: { decodeMs: 2, hangPrefix: 'hang', badPrefix: 'bad' },
      decodeHangMs: 300,
    });
    const files = Array.from({ length: 300 }, (_, i) =>
      photoFile(i === 150 ? 'hang.jpg' : i === 200 ? 'bad.txt' : `photo-${i}.jpg`),
    );
    store.getState().addFiles(files);
    const settled = () =>
      Object.values(store.getState().photos).every(
        (p) =>
          p.status === 'failed' ||
          (store.getState().scores[p.id]?.status === 'done' &&
            store.getState().pixelAnalyses[p.id]?.status === 'ready'),
      );
    await until(settled, 30_000, 'every photo settled');

    const s = store.getState();
    const failed = Object.values(s.photos).filter((p) => p.status === 'failed');
    expect(failed.map((p) => p.name).sort()).toEqual(['bad.txt', 'hang.jpg']);
    expect(failed.find((p) => p.name === 'hang.jpg')!.error).toMatch(/too long/);
    expect(Object.values(s.scores).filter((x) => x.status === 'done')).toHaveLength(298);

    const p = store.pipeline;
    expect(p.pixelsQueue.highWater).toBeLessThanOrEqual(2);
    expect(FakePixelsWorker.maxActive).toBeLessThanOrEqual(1);
    expect(p.scoreQueue.highWater).toBe(1);
    // The budget, plus the photos being worked on (held while decoded, thumbnailed, measured).
    expect(p.bitmaps.highWater).toBeLessThanOrEqual(budget + 2 * bitmapBytes);
    expect(p.bitmaps.bytes).toBeLessThanOrEqual(budget);
    const openMain = ledger.made.filter((b) => !b.closed && b.tag !== 'copy');
    expect(openMain.length * bitmapBytes).toBeLessThanOrEqual(budget);
    expect(ledger.open('copy')).toHaveLength(0);
    expect(model.scores).toHaveLength(298);
    console.log(
      `300 photos: ${FakePixelsWorker.decodes} decodes (${p.redecodes} again after eviction), ` +
        `peak ${p.bitmaps.highWater / bitmapBytes} bitmaps held for a budget of 10`,
    );
  });

  it('the photo on screen jumps the score queue', async () => {
    const { store, model } = await readyStore({ pixels: { decodeMs: 1 } });
    model.autoScore = false;
    store.getState().addFiles(Array.from({ length: 6 }, (_, i) => photoFile(`p${i}.jpg`)));
    await until(() => model.scores.length === 1, 2000, 'first score');
    await until(
      () => Object.values(store.getState().photos).every((p) => p.status === 'ready'),
      2000,
      'all decoded',
    );
    const last = idOf(store, 'p5.jpg');
    store.getState().selectPhoto(last);
    model.scores[0]!.done.resolve((await import('./testing/fakes.ts')).fakeScore());
    await until(() => model.scores.length === 2, 2000, 'second score');
    expect(model.scores[1]!.photoId).toBe(last);
  });

  it('keeps overlay maps for the photos seen last only, and measures again when one is shown', async () => {
    const { store } = await readyStore({ limits: { bitmapBudgetBytes: 3 * 400 * 300 * 4 } });
    store.getState().addFiles(Array.from({ length: 30 }, (_, i) => photoFile(`m${i}.jpg`)));
    const ready = () =>
      Object.values(store.getState().pixelAnalyses).filter((a) => a.status === 'ready');
    await until(() => ready().length === 30, 5000, 'all measured');
    const withMaps = () =>
      Object.entries(store.getState().pixelAnalyses).filter(
        ([, a]) => a.status === 'ready' && a.analysis.maps,
      );
    expect(withMaps()).toHaveLength(MAPS_KEPT);
    // The photo on screen (the first added) keeps its maps.
    const first = idOf(store, 'm0.jpg');
    expect(withMaps().map(([id]) => id)).toContain(first);

    const old = idOf(store, 'm3.jpg');
    const before = store.getState().pixelAnalyses[old];
    expect(before?.status === 'ready' && before.analysis.maps).toBe(null);
    store.getState().selectPhoto(old);
    await store.getState().restorePhotoMaps(old);
    const after = store.getState().pixelAnalyses[old];
    expect(after?.status === 'ready' && after.analysis.maps).toBeTruthy();
    expect(withMaps()).toHaveLength(MAPS_KEPT);
    // Its bitmap had been evicted: it was decoded again from the file.
    expect(store.pipeline.redecodes).toBeGreaterThan(0);
  });

  it('a model worker crash mid-score reloads the model and scores the photo again, once', async () => {
    const { store, model } = await readyStore();
    model.autoScore = false;
    const { ModelCallError } = await import('../model/client.ts');
    const crash = () => {
      const error = {
        kind: 'crashed' as const,
        message: 'The model worker stopped (boom).',
        advice: '',
      };
      model.handlers!.onCrash(error);
      model.scores.at(-1)!.done.reject(new ModelCallError(error));
    };
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg')]);
    const a = idOf(store, 'a.jpg');
    await until(() => model.scores.length === 1, 2000, 'a scored');
    crash();
    await until(() => model.loads.length === 2, 2000, 'reloaded');
    expect(store.getState().model.notice).toMatch(/loaded again/);
    await until(() => model.scores.filter((x) => x.photoId === a).length === 2, 2000, 'a again');
    model.scores.at(-1)!.done.resolve((await import('./testing/fakes.ts')).fakeScore());
    await until(() => store.getState().scores[a]?.status === 'done', 2000, 'a done');

    // The other photo crashes twice: the second time it is marked failed, not retried forever.
    const b = idOf(store, 'b.jpg');
    await until(() => model.scores.at(-1)?.photoId === b, 2000, 'b started');
    crash();
    await until(() => store.getState().model.status === 'ready', 2000, 'ready again');
    await until(() => model.scores.filter((x) => x.photoId === b).length === 2, 2000, 'b again');
    crash();
    await until(() => store.getState().scores[b]?.status === 'failed', 2000, 'b failed');
    expect(store.getState().scores[b]?.error?.message).toBe(
      'Scoring this photo stopped the model worker twice, so it was not tried a third time. ' +
        'Last time: the model worker stopped (boom).',
    );
    expect(store.getState().scores[a]?.status).toBe('done');
    const scoresOfB = () => model.scores.filter((x) => x.photoId === b).length;
    expect(scoresOfB()).toBe(2);

    // The person's Try again scores it once more.
    await until(() => store.getState().model.status === 'ready', 2000, 'ready after b');
    store.getState().scorePhoto(b);
    await until(() => scoresOfB() === 3, 2000, 'b tried again');
    model.scores.at(-1)!.done.resolve((await import('./testing/fakes.ts')).fakeScore(4));
    await until(() => store.getState().scores[b]?.status === 'done', 2000, 'b done');
  });

  it('a lost GPU device loads the model again on WebGPU, and on WASM when it is lost again', async () => {
    const fakes = fakeServices();
    const { model } = fakes;
    const withGpu: Capabilities = {
      webgpu: true,
      shaderF16: false,
      crossOriginIsolated: true,
      threads: 2,
    };
    Object.assign(model, { probe: async () => withGpu });
    const store = createAppStore(fakes.services);
    await store.getState().initModel(params('?device=webgpu'));
    if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
    await until(() => store.getState().model.status === 'ready', 2000, 'ready');
    const lost = {
      kind: 'webgpu' as const,
      message: 'The GPU device running the model was lost (destroyed: Device was destroyed.).',
      advice: '',
    };
    model.handlers!.onCrash(lost);
    await until(() => model.loads.length === 2, 2000, 'loaded again');
    expect(model.loads[1]!.settings.device).toBe('webgpu');
    expect(store.getState().model.notice).toBe(
      `${lost.message} The model was loaded again on a new GPU device.`,
    );
    await until(() => store.getState().model.status === 'ready', 2000, 'ready again');
    model.handlers!.onCrash(lost);
    await until(() => model.loads.length === 3, 2000, 'loaded a third time');
    expect(model.loads[2]!.settings.device).toBe('wasm');
    expect(model.loads[2]!.settings.dtypes).toEqual(model.loads[0]!.settings.dtypes);
    expect(store.getState().model.notice).toMatch(
      /It happened again, so the model was loaded on WASM/,
    );
  });

  it('reads the hang limit from the link and says so', async () => {
    const fakes = fakeServices();
    const store = createAppStore(fakes.services);
    await store.getState().initModel(params('?device=wasm&hang=7'));
    expect(fakes.model.hangMs).toBe(7000);
    expect(store.getState().model.notice).toContain('hang limit to 7 s');
    const plain = fakeServices();
    await createAppStore(plain.services).getState().initModel(params('?device=wasm'));
    expect(plain.model.hangMs).toBe(180_000);
  });
});
