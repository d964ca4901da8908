import { describe, expect, it } from 'vitest';
import { GRID_FROM_PHOTOS } from '../cull/view.ts';
import { photoFacts, selectViewMode } from './hooks/useCullView.ts';
import { createAppStore } from './index.ts';
import { fakeServices, photoFile } from './testing/fakes.ts';

const storeWith = (count: number) => {
  const store = createAppStore(fakeServices().services);
  store
    .getState()
    .addFiles(
      Array.from({ length: count }, (_, i) => photoFile(`p${String(i).padStart(3, '0')}.jpg`)),
    );
  return store;
};

describe('the shoot’s views', () => {
  it('stay the single-photo view for one photo or a few, and open a shoot in the grid', () => {
    expect(selectViewMode(storeWith(1).getState())).toBe('loupe');
    expect(selectViewMode(storeWith(3).getState())).toBe('loupe');
    expect(selectViewMode(storeWith(GRID_FROM_PHOTOS).getState())).toBe('grid');
    const one = storeWith(1);
    one.getState().setViewMode('grid');
    expect(selectViewMode(one.getState())).toBe('loupe');
  });

  it('compare two photos until one of them is removed', () => {
    const store = storeWith(12);
    const [a, b] = store.getState().photoOrder as [string, string];
    store.getState().comparePhotos(a, b);
    expect(selectViewMode(store.getState())).toBe('compare');
    expect(store.getState().selectedPhotoId).toBe(a);
    store.getState().removePhoto(b);
    expect(selectViewMode(store.getState())).toBe('grid');
    store.getState().setViewMode('loupe');
    expect(selectViewMode(store.getState())).toBe('loupe');
  });

  it('read the person’s marks and the groups’ picks into the facts sorting and filtering use', () => {
    const store = storeWith(3);
    const [a, b, c] = store.getState().photoOrder as [string, string, string];
    store.getState().setFlag(b, 'reject');
    store.getState().setStars(b, 3);
    store.setState({
      groups: { g: { id: 'g', photoIds: [a, b], best: { photoId: a, reason: 'sharpest of 2' } } },
      groupOf: { [a]: 'g', [b]: 'g' },
    });
    const facts = Object.fromEntries(photoFacts(store.getState()).map((f) => [f.id, f]));
    expect(facts[b]!.marks).toEqual({ flag: 'reject', stars: 3, label: null });
    expect(facts[a]!.bestOfGroup).toBe(true);
    expect(facts[b]!.bestOfGroup).toBe(false);
    expect(facts[c]!.bestOfGroup).toBeNull();
    store.getState().setSort('name');
    expect(store.getState().sort).toEqual({ key: 'name', descending: false });
    store.getState().setSort('score');
    expect(store.getState().sort).toEqual({ key: 'score', descending: true });
  });
});
