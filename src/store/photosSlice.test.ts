/**
 * Adding the same file twice and clearing the files that could not be opened, on the real store
 * with the fake pixels worker and fake model (store/testing/).
 */
import { describe, expect, it } from 'vitest';
import { createAppStore } from './index.ts';
import { alreadyAddedNotice } from './photosSlice.ts';
import { fakeServices, FakePixelsWorker, photoFile, sleep, until } from './testing/fakes.ts';

const namesOf = (store: ReturnType<typeof createAppStore>) =>
  store.getState().photoOrder.map((id) => store.getState().photos[id]!.name);

describe('adding a file that is already in the list', () => {
  it('keeps one entry, selects it and says so; nothing is decoded twice', async () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    const a = photoFile('a.jpg');
    const b = photoFile('b.jpg');
    store.getState().addFiles([a, b]);
    await until(() => Object.values(store.getState().photos).every((p) => p.status === 'ready'));
    const decodes = FakePixelsWorker.decodes;
    const idOfA = store.getState().photoOrder[0]!;
    store.getState().selectPhoto(store.getState().photoOrder[1]!);

    store.getState().addFiles([a]);
    expect(namesOf(store)).toEqual(['a.jpg', 'b.jpg']);
    expect(store.getState().selectedPhotoId).toBe(idOfA);
    expect(store.getState().photoNotice).toBe('Already added: a.jpg.');
    await sleep(20);
    expect(FakePixelsWorker.decodes).toBe(decodes);
  });

  it('adds the new files of a mixed drop, names the repeated ones and selects the first new one', () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    const a = photoFile('a.jpg');
    store.getState().addFiles([a]);
    const c = photoFile('c.jpg');
    store.getState().addFiles([a, c]);
    expect(namesOf(store)).toEqual(['a.jpg', 'c.jpg']);
    expect(store.getState().photoNotice).toBe('Already added: a.jpg.');
    expect(store.getState().photos[store.getState().selectedPhotoId!]!.name).toBe('c.jpg');
    // A drop with nothing repeated clears the notice.
    store.getState().addFiles([photoFile('d.jpg')]);
    expect(store.getState().photoNotice).toBeNull();
  });

  it('treats a file with the same name but other bytes or date as another file', () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    store.getState().addFiles([new File([new Uint8Array(3)], 'x.jpg', { lastModified: 1000 })]);
    store.getState().addFiles([new File([new Uint8Array(4)], 'x.jpg', { lastModified: 1000 })]);
    store.getState().addFiles([new File([new Uint8Array(3)], 'x.jpg', { lastModified: 2000 })]);
    store.getState().addFiles([new File([new Uint8Array(3)], 'x.jpg', { lastModified: 1000 })]);
    expect(namesOf(store)).toEqual(['x.jpg', 'x.jpg', 'x.jpg']);
    expect(store.getState().photoNotice).toBe('Already added: x.jpg.');
  });

  it('adds a file again after it was removed', () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    const a = photoFile('a.jpg');
    store.getState().addFiles([a]);
    store.getState().removePhoto(store.getState().photoOrder[0]!);
    store.getState().addFiles([a]);
    expect(namesOf(store)).toEqual(['a.jpg']);
    expect(store.getState().photoNotice).toBeNull();
  });
});

describe('alreadyAddedNotice', () => {
  it('names up to three files and counts the rest', () => {
    expect(alreadyAddedNotice([])).toBeNull();
    expect(alreadyAddedNotice(['a.jpg', 'b.jpg'])).toBe('Already added: a.jpg, b.jpg.');
    expect(alreadyAddedNotice(['a', 'b', 'c', 'd', 'e'])).toBe(
      'Already added: a, b, c and 2 more.',
    );
  });
});

describe('clearing the files that could not be opened', () => {
  it('removes every failed file and keeps the photos', async () => {
    const { services } = fakeServices({ pixels: { badPrefix: 'bad' } });
    const store = createAppStore(services);
    store
      .getState()
      .addFiles(['good-1.jpg', 'bad-1.txt', 'good-2.jpg', 'bad-2.txt'].map(photoFile));
    await until(() => Object.values(store.getState().photos).every((p) => p.status !== 'decoding'));
    store.getState().selectPhoto(store.getState().photoOrder[1]!); // a failed one on screen

    store.getState().clearFailedPhotos();
    expect(namesOf(store)).toEqual(['good-1.jpg', 'good-2.jpg']);
    expect(store.getState().photos[store.getState().selectedPhotoId!]!.name).toBe('good-2.jpg');
    // The same bad file can be tried again afterwards.
    store.getState().addFiles([photoFile('bad-1.txt')]);
    expect(namesOf(store)).toEqual(['good-1.jpg', 'good-2.jpg', 'bad-1.txt']);
  });
});

describe('removing every photo (the kiosk’s fresh start)', () => {
  it('drops photos, scores and chats, frees bitmaps and thumbnails, tells the model to forget, keeps the model', async () => {
    const { services, model, ledger, revoked } = fakeServices();
    const store = createAppStore(services);
    await store.getState().initModel(new URLSearchParams('model=local:m'));
    await until(() => store.getState().model.status === 'ready');
    store.getState().addFiles([photoFile('a.jpg'), photoFile('b.jpg'), photoFile('c.jpg')]);
    const ids = [...store.getState().photoOrder];
    await until(() => ids.every((id) => store.getState().scores[id]?.status === 'done'));
    expect(ids).toHaveLength(3);
    const loads = model.loads.length;

    store.getState().removeAllPhotos();
    const s = store.getState();
    expect(s.photoOrder).toEqual([]);
    expect(s.photos).toEqual({});
    expect(s.scores).toEqual({});
    expect(s.selectedPhotoId).toBeNull();
    expect(Object.keys(s.chats ?? {})).toEqual([]);
    expect(model.forgotten.sort()).toEqual([...ids].sort());
    expect(revoked).toHaveLength(3);
    await sleep(20);
    expect(ledger.open()).toEqual([]);
    // The model is untouched: still ready, not loaded again.
    expect(store.getState().model.status).toBe('ready');
    expect(model.loads.length).toBe(loads);
  });
});

describe('adding a shoot (a folder or many files)', () => {
  it('adds a RAW+JPEG pair as one photo with its sidecar, skips what is not a photo, and sums it up', async () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    const entry = (path: string) => ({ file: photoFile(path.split('/').pop()!), path });
    const sameFile = photoFile('IMG_2.JPG');
    store
      .getState()
      .addShoot([
        entry('shoot/IMG_1.CR3'),
        entry('shoot/IMG_1.JPG'),
        entry('shoot/IMG_1.xmp'),
        { file: sameFile, path: 'shoot/IMG_2.JPG' },
        entry('shoot/sub/DSC_9.NEF'),
        entry('shoot/notes.txt'),
        entry('shoot/clip.mov'),
      ]);
    expect(namesOf(store)).toEqual(['IMG_1.JPG', 'IMG_2.JPG', 'DSC_9.NEF']);
    expect(store.getState().photoNotice).toBe(
      '3 photos · 1 RAW+JPEG pair · 1 XMP sidecar · 2 skipped (1 text file, 1 video)',
    );
    const [pair, , raw] = store.getState().photoOrder.map((id) => store.getState().photos[id]!);
    // Folders inside the shoot's folder ('shoot'), without its name.
    expect(pair!.shoot).toMatchObject({ folder: '', raw: 'IMG_1.CR3', shown: 'image' });
    expect(pair!.shoot!.sidecars.map((f) => f.name)).toEqual(['IMG_1.xmp']);
    expect(raw!.shoot).toMatchObject({ folder: 'sub', shown: 'raw-preview' });

    await until(() => Object.values(store.getState().photos).every((p) => p.status === 'ready'));
    const photo = (name: string) =>
      Object.values(store.getState().photos).find((p) => p.name === name)!;
    expect(photo('IMG_1.JPG').notes[0]).toMatch(/^RAW\+JPEG pair: IMG_1\.JPG is shown/);
    expect(photo('IMG_2.JPG').notes).toEqual([]);

    // The same folder again: nothing new, and the line says so.
    store.getState().addShoot([{ file: sameFile, path: 'shoot/IMG_2.JPG' }]);
    expect(store.getState().photoNotice).toBe('1 photo. Already added: IMG_2.JPG.');
    expect(namesOf(store)).toHaveLength(3);
  });
});
