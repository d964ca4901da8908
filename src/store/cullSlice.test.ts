import { describe, expect, it } from 'vitest';
import { xmpRating } from '../cull/marks.ts';
import { createAppStore } from './index.ts';
import { fakeServices, photoFile } from './testing/fakes.ts';

describe('the photographer’s marks', () => {
  it('keep flag, stars and label per photo, read as XMP ratings, and go with the photo', () => {
    const store = createAppStore(fakeServices().services);
    store.getState().addFiles([photoFile('a.jpg')]);
    const id = store.getState().photoOrder[0]!;
    store.getState().setFlag(id, 'pick');
    store.getState().setStars(id, 4);
    store.getState().setLabel(id, 'Green');
    expect(store.getState().marks[id]).toEqual({ flag: 'pick', stars: 4, label: 'Green' });
    expect(xmpRating(store.getState().marks[id]!)).toBe(4);
    store.getState().setFlag(id, 'reject');
    expect(xmpRating(store.getState().marks[id]!)).toBe(-1);
    store.getState().removePhoto(id);
    expect(store.getState().marks[id]).toBeUndefined();
    store.getState().setStars('gone', 3);
    expect(store.getState().marks.gone).toBeUndefined();
  });
});
