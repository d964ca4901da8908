/**
 * Nothing lost, played out in Node: the real store and pipeline, the real archive code on
 * fake-indexeddb (the real IndexedDB runs in e2e/resume-a-shoot.spec.ts), a fake pixels worker that
 * counts its measures and a fake model that counts its score calls. A "reload" is a second store
 * on the same database, given new File objects with the same name, size and modified time.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from './index.ts';
import { photoDone } from './queueSlice.ts';
import { fakeScore, fakeServices, FakePixelsWorker, until } from './testing/fakes.ts';
import { createIdbArchive, type ShootArchive } from '../persist/archive.ts';
import { looseShootName } from './persistSlice.ts';

let dbCount = 0;
let dbName = '';

beforeEach(() => {
  dbName = `shoots-test-${++dbCount}`;
  FakePixelsWorker.decodes = 0;
  FakePixelsWorker.analyses = 0;
});

/** A photo file as a folder gives it back each time: same name, size and modified time. */
const shootFile = (name: string, { bytes = 3, modified = 1_700_000_000_000 } = {}) =>
  new File([new Uint8Array(bytes).fill(0xff)], name, { lastModified: modified });

const NAMES = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'];

/** A store as the app opens it: the archive opened, the model loaded (options tweak the fakes). */
async function openStore(
  archive: ShootArchive = createIdbArchive(dbName),
  tweak: (fakes: ReturnType<typeof fakeServices>) => void = () => {},
) {
  const fakes = fakeServices({ archive });
  tweak(fakes);
  const store = createAppStore(fakes.services);
  await store.getState().openArchive();
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') void store.getState().startModel();
  if (fakes.model.autoLoad) {
    await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  }
  return { store, ...fakes };
}

const idOf = (store: AppStore, name: string) =>
  Object.values(store.getState().photos).find((p) => p.name === name)!.id;

const allDone = (store: AppStore) => {
  const s = store.getState();
  return s.photoOrder.length > 0 && s.photoOrder.every((id) => photoDone(s, id));
};

const scoresByName = (store: AppStore) =>
  Object.fromEntries(
    store
      .getState()
      .photoOrder.map((id) => [
        store.getState().photos[id]!.name,
        store.getState().scores[id]?.result?.score,
      ]),
  );

/** First visit: five photos, each scored with a score of its own, all written. */
async function firstVisit() {
  const first = await openStore(undefined, ({ model }) => {
    model.autoScore = false;
  });
  first.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
  // Each photo gets a different score, so "the same scores" cannot come from the fake's default.
  let answered = 0;
  await until(
    () => {
      while (answered < first.model.scores.length) {
        first.model.scores[answered]!.done.resolve(fakeScore(1.5 + answered * 0.5));
        answered += 1;
      }
      return allDone(first.store);
    },
    5000,
    'first visit done',
  );
  await first.store.getState().flushSaved();
  return first;
}

describe('a shoot kept between visits', () => {
  it('re-adding the same files after a reload measures and scores nothing, and shows the same scores', async () => {
    const first = await firstVisit();
    expect(FakePixelsWorker.analyses).toBe(5);
    expect(first.model.scores).toHaveLength(5);
    const before = scoresByName(first.store);

    FakePixelsWorker.analyses = 0;
    FakePixelsWorker.decodes = 0;
    const second = await openStore();
    const offered = second.store.getState().savedShoot;
    expect(offered).toMatchObject({ photoCount: 5, markedCount: 0 });
    expect(offered!.name).toBe(looseShootName(offered!.createdAt));

    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(second.store), 5000, 'second visit done');
    await new Promise((r) => setTimeout(r, 50));

    expect(FakePixelsWorker.analyses).toBe(0);
    expect(second.model.scores).toHaveLength(0);
    expect(second.store.getState().workCounts).toEqual({ measures: 0, scores: 0 });
    // Thumbnails and the view still need the pixels: every photo is decoded once.
    expect(FakePixelsWorker.decodes).toBe(5);
    expect(scoresByName(second.store)).toEqual(before);
    expect(second.store.getState().shoot?.id).toBe(offered!.id);
    expect(second.store.getState().savedShoot).toBeNull();
  });

  it('a file changed since (another size or modified time) is measured and scored again', async () => {
    await firstVisit();
    FakePixelsWorker.analyses = 0;
    const second = await openStore();
    second.store
      .getState()
      .addFiles([
        shootFile('a.jpg'),
        shootFile('b.jpg', { bytes: 4 }),
        shootFile('c.jpg', { modified: 1_700_000_000_001 }),
      ]);
    await until(() => allDone(second.store), 5000, 'done');
    expect(FakePixelsWorker.analyses).toBe(2);
    expect(second.model.scores.map((c) => second.store.getState().photos[c.photoId]?.name)).toEqual(
      expect.arrayContaining(['b.jpg', 'c.jpg']),
    );
    expect(second.model.scores).toHaveLength(2);
  });

  it('the photographer’s marks come back, and the saved shoot counts them', async () => {
    const first = await firstVisit();
    first.store.getState().setFlag(idOf(first.store, 'b.jpg'), 'pick');
    first.store.getState().setStars(idOf(first.store, 'c.jpg'), 4);
    await first.store.getState().flushSaved();

    const second = await openStore();
    expect(second.store.getState().savedShoot).toMatchObject({ photoCount: 5, markedCount: 2 });
    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(second.store), 5000, 'done');
    const marks = second.store.getState().marks;
    expect(marks[idOf(second.store, 'b.jpg')]?.flag).toBe('pick');
    expect(marks[idOf(second.store, 'c.jpg')]?.stars).toBe(4);
    expect(marks[idOf(second.store, 'a.jpg')]).toBeUndefined();
  });

  it('scores from another model are computed again; the measures are still kept', async () => {
    await firstVisit();
    FakePixelsWorker.analyses = 0;
    const second = await openStore(undefined, ({ model }) => {
      model.loadedAs = { source: { kind: 'hub', id: 'someone/another-model' } };
    });
    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(second.store), 5000, 'done');
    expect(second.model.scores).toHaveLength(5);
    expect(FakePixelsWorker.analyses).toBe(0);
  });

  it('a crash mid-shoot resumes where it was: only the photos not finished are worked', async () => {
    const first = await openStore(undefined, ({ model }) => {
      model.autoScore = false;
    });
    first.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    // Two scores come back, then the page dies (no more answers; what was batched is written).
    await until(() => first.model.scores.length >= 1, 2000, 'first score asked');
    first.model.scores[0]!.done.resolve(fakeScore(2));
    await until(() => first.model.scores.length >= 2, 2000, 'second score asked');
    first.model.scores[1]!.done.resolve(fakeScore(4));
    await until(
      () =>
        Object.values(first.store.getState().scores).filter((x) => x.status === 'done').length ===
        2,
      2000,
      'two scored',
    );
    await new Promise((r) => setTimeout(r, 1200)); // the batch timer writes by itself
    FakePixelsWorker.analyses = 0;

    const second = await openStore();
    expect(second.store.getState().savedShoot?.photoCount).toBe(5);
    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(second.store), 5000, 'done');
    expect(second.model.scores).toHaveLength(3);
    expect(FakePixelsWorker.analyses).toBe(0); // every photo had been measured before the crash
  });

  it('a score put back before the model loaded is made again if the model turns out another', async () => {
    await firstVisit();
    const second = await openStore(undefined, ({ model }) => {
      model.autoLoad = false;
      model.loadedAs = { source: { kind: 'hub', id: 'someone/another-model' } };
    });
    // Not loaded yet: the saved scores (same settings) are shown at once.
    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => Object.keys(second.store.getState().restored).length === 5, 2000, 'restored');
    expect(second.model.scores).toHaveLength(0);
    // The model that loads is another one: its own scores replace them.
    second.model.finishLoad(0);
    await until(() => allDone(second.store) && second.model.scores.length === 5, 5000, 'rescored');
    expect(Object.values(second.store.getState().restored).every((r) => !r.score)).toBe(true);
  });

  it('forget this shoot deletes it: nothing is offered, and the files are worked again', async () => {
    const first = await firstVisit();
    const shootId = first.store.getState().shoot!.id;
    await first.store.getState().forgetShoot(shootId);
    expect(first.store.getState().shoot).toBeNull();
    // The photos on screen are not saved again under the forgotten shoot.
    first.store.getState().setFlag(idOf(first.store, 'a.jpg'), 'reject');
    await first.store.getState().flushSaved();

    const archive = createIdbArchive(dbName);
    expect(await archive.shoots()).toEqual([]);
    expect((await archive.lookUp(NAMES.map((n) => `${n}\u00003\u00001700000000000`))).size).toBe(0);
    FakePixelsWorker.analyses = 0;
    const second = await openStore(archive);
    expect(second.store.getState().savedShoot).toBeNull();
    second.store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(second.store), 5000, 'done');
    expect(FakePixelsWorker.analyses).toBe(5);
    expect(second.model.scores).toHaveLength(5);
  });

  it('a shoot from a folder is named by it (the folder intake says which)', async () => {
    const { store } = await openStore();
    store.getState().noteShootFolder('Wedding 2026-06-14');
    store.getState().addFiles([shootFile('a.jpg'), shootFile('b.jpg')]);
    await until(() => allDone(store), 5000, 'done');
    await store.getState().flushSaved();
    const [saved] = await createIdbArchive(dbName).shoots();
    expect(saved).toMatchObject({ name: 'Wedding 2026-06-14', folder: 'Wedding 2026-06-14' });
  });

  it('forget everything empties the archive', async () => {
    await firstVisit();
    const other = await openStore();
    other.store.getState().addFiles([shootFile('z.jpg'), shootFile('y.jpg')]);
    await until(() => allDone(other.store), 5000, 'done');
    await other.store.getState().flushSaved();
    const archive = createIdbArchive(dbName);
    expect((await archive.shoots()).length).toBeGreaterThan(0);
    await other.store.getState().forgetEverything();
    expect(await archive.shoots()).toEqual([]);
  });

  it('writes are batched: a shoot of 40 photos is written in a few transactions', async () => {
    const real = createIdbArchive(dbName);
    let writes = 0;
    const counting: ShootArchive = {
      ...real,
      write: (batch) => {
        writes += 1;
        return real.write(batch);
      },
    };
    const { store } = await openStore(counting);
    store.getState().addFiles(Array.from({ length: 40 }, (_, i) => shootFile(`p${i}.jpg`)));
    await until(() => allDone(store), 10_000, 'done');
    await store.getState().flushSaved();
    // 40 photos × (thumbnail, measure, score) is well over 100 store changes.
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(10);
    expect((await real.shoots())[0]).toMatchObject({ photoCount: 40 });
  });

  it('when storage fails, the app says so once and works on', async () => {
    const broken: ShootArchive = {
      shoots: () => Promise.reject(new DOMException('The operation failed.', 'UnknownError')),
      lookUp: () => Promise.reject(new DOMException('The operation failed.', 'UnknownError')),
      write: () => Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError')),
      forget: () => Promise.resolve(),
      forgetAll: () => Promise.resolve(),
    };
    const { store, model } = await openStore(broken);
    store.getState().addFiles(NAMES.map((n) => shootFile(n)));
    await until(() => allDone(store), 5000, 'done');
    await store.getState().flushSaved();
    expect(model.scores).toHaveLength(5);
    expect(store.getState().persistProblem).toMatch(/cannot be saved in this browser/);
  });

  it('a full disk is named as such', async () => {
    const real = createIdbArchive(dbName);
    const full: ShootArchive = {
      ...real,
      write: () => Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError')),
    };
    const { store } = await openStore(full);
    store.getState().addFiles([shootFile('a.jpg'), shootFile('b.jpg')]);
    await until(() => allDone(store), 5000, 'done');
    await store.getState().flushSaved();
    expect(store.getState().persistProblem).toMatch(/storage for the app is full/);
  });
});
