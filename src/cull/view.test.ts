import { describe, expect, it } from 'vitest';
import { NO_MARKS, type CullMarks } from './marks.ts';
import {
  comparePartner,
  commandForKey,
  isFilterOff,
  moveIndex,
  NO_FILTER,
  pixelFlags,
  visiblePhotoIds,
  type PhotoFacts,
} from './view.ts';

const photo = (
  id: string,
  added: number,
  extra: Partial<Omit<PhotoFacts, 'marks' | 'flags'>> & {
    marks?: Partial<CullMarks>;
    flags?: Partial<PhotoFacts['flags']>;
  } = {},
): PhotoFacts => ({
  id,
  name: `${id}.jpg`,
  added,
  score: null,
  taken: null,
  measures: null,
  bestOfGroup: null,
  ...extra,
  marks: { ...NO_MARKS, ...extra.marks },
  flags: { blurry: false, clipped: false, noisy: false, ...extra.flags },
});

// A small shoot written out by hand: the expected orders below are read off these lines.
const shoot: PhotoFacts[] = [
  photo('a', 0, {
    name: 'IMG_10.jpg',
    score: 3.1,
    taken: '2026-06-01T10:00:05',
    measures: { sharpness: 14 },
  }),
  photo('b', 1, {
    name: 'IMG_9.jpg',
    score: 4.4,
    taken: '2026-06-01T10:00:01',
    measures: { sharpness: 3 },
    flags: { blurry: true },
    marks: { flag: 'reject' },
  }),
  photo('c', 2, { name: 'IMG_2.jpg', score: null, taken: null, measures: null }),
  photo('d', 3, {
    name: 'img_1.jpg',
    score: 2.2,
    taken: '2026-06-01T09:59:59',
    measures: { sharpness: 20 },
    flags: { clipped: true },
    marks: { flag: 'pick' },
    bestOfGroup: true,
  }),
  photo('e', 4, {
    name: 'IMG_3.jpg',
    score: 4.4,
    taken: '2026-06-01T10:00:03',
    measures: { sharpness: 8 },
    bestOfGroup: false,
  }),
];

describe('sorting a shoot', () => {
  it('orders by score, best first, ties in the order added, unscored last', () => {
    expect(visiblePhotoIds(shoot, { key: 'score', descending: true }, NO_FILTER)).toEqual([
      'b',
      'e',
      'a',
      'd',
      'c',
    ]);
    expect(visiblePhotoIds(shoot, { key: 'score', descending: false }, NO_FILTER)).toEqual([
      'd',
      'a',
      'b',
      'e',
      'c',
    ]);
  });

  it('orders by a pixel measure, by capture time and by name as a person reads numbers', () => {
    expect(
      visiblePhotoIds(shoot, { key: 'measure:sharpness', descending: true }, NO_FILTER),
    ).toEqual(['d', 'a', 'e', 'b', 'c']);
    expect(visiblePhotoIds(shoot, { key: 'taken', descending: false }, NO_FILTER)).toEqual([
      'd',
      'b',
      'e',
      'a',
      'c',
    ]);
    // IMG_9 before IMG_10, and case does not split img_1 from the rest.
    expect(visiblePhotoIds(shoot, { key: 'name', descending: false }, NO_FILTER)).toEqual([
      'd',
      'c',
      'e',
      'b',
      'a',
    ]);
    expect(visiblePhotoIds(shoot, { key: 'added', descending: false }, NO_FILTER)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });
});

describe('filtering a shoot', () => {
  const added = { key: 'added', descending: false } as const;
  it('shows just the rejected, the picked, the blurry or the clipped', () => {
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, rejected: true })).toEqual(['b']);
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, picked: true })).toEqual(['d']);
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, blurry: true })).toEqual(['b']);
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, clipped: true })).toEqual(['d']);
    // Ticked conditions narrow together.
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, picked: true, blurry: true })).toEqual([]);
  });

  it('keeps a score range, ends included; unscored photos only while the range is whole', () => {
    expect(visiblePhotoIds(shoot, added, NO_FILTER)).toHaveLength(5);
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, scoreMin: 3.1, scoreMax: 4.4 })).toEqual([
      'a',
      'b',
      'e',
    ]);
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, scoreMax: 3 })).toEqual(['d']);
  });

  it('keeps the best of each group, and photos not grouped yet', () => {
    expect(visiblePhotoIds(shoot, added, { ...NO_FILTER, bestOnly: true })).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('knows when nothing is filtered', () => {
    expect(isFilterOff(NO_FILTER)).toBe(true);
    expect(isFilterOff({ ...NO_FILTER, scoreMin: 2 })).toBe(false);
  });
});

describe('pixel flags', () => {
  it('come from the measures’ poor verdicts only', () => {
    expect(pixelFlags({ sharpness: 'poor', highlightClipping: 'fair', noise: 'poor' })).toEqual({
      blurry: true,
      clipped: false,
      noisy: true,
    });
    expect(pixelFlags(null)).toEqual({ blurry: false, clipped: false, noisy: false });
  });
});

describe('Lightroom’s keys', () => {
  it('map to the culling commands', () => {
    expect(commandForKey({ key: 'p' })).toEqual({ type: 'flag', flag: 'pick' });
    expect(commandForKey({ key: 'P' })).toEqual({ type: 'flag', flag: 'pick' });
    expect(commandForKey({ key: 'x' })).toEqual({ type: 'flag', flag: 'reject' });
    expect(commandForKey({ key: 'u' })).toEqual({ type: 'flag', flag: null });
    expect(commandForKey({ key: '0' })).toEqual({ type: 'stars', stars: 0 });
    expect(commandForKey({ key: '5' })).toEqual({ type: 'stars', stars: 5 });
    expect(commandForKey({ key: '6' })).toEqual({ type: 'label', label: 'Red' });
    expect(commandForKey({ key: '9' })).toEqual({ type: 'label', label: 'Blue' });
    expect(commandForKey({ key: 'g' })).toEqual({ type: 'mode', mode: 'grid' });
    expect(commandForKey({ key: 'e' })).toEqual({ type: 'mode', mode: 'loupe' });
    expect(commandForKey({ key: 'c' })).toEqual({ type: 'mode', mode: 'compare' });
    expect(commandForKey({ key: '?' })).toEqual({ type: 'help' });
    expect(commandForKey({ key: 'ArrowDown' })).toEqual({ type: 'move', dx: 0, dy: 1 });
    expect(commandForKey({ key: 'ArrowLeft' })).toEqual({ type: 'move', dx: -1, dy: 0 });
  });

  it('leave other keys and every Ctrl, Alt or Meta chord alone', () => {
    expect(commandForKey({ key: 'c', ctrlKey: true })).toBeNull();
    expect(commandForKey({ key: 'ArrowLeft', altKey: true })).toBeNull();
    expect(commandForKey({ key: 'p', metaKey: true })).toBeNull();
    expect(commandForKey({ key: 'q' })).toBeNull();
    expect(commandForKey({ key: 'Enter' })).toBeNull();
  });

  it('move by a cell across and by a row down, stopping at the edges', () => {
    // 10 photos in rows of 4: 0 1 2 3 / 4 5 6 7 / 8 9
    const down = { dx: 0, dy: 1 };
    const up = { dx: 0, dy: -1 };
    expect(moveIndex(1, 10, down, 4)).toBe(5);
    expect(moveIndex(5, 10, down, 4)).toBe(9);
    expect(moveIndex(6, 10, down, 4)).toBe(6); // no cell below
    expect(moveIndex(2, 10, up, 4)).toBe(2);
    expect(moveIndex(3, 10, { dx: 1, dy: 0 }, 4)).toBe(4); // wraps to the next row
    expect(moveIndex(0, 10, { dx: -1, dy: 0 }, 4)).toBe(0);
    expect(moveIndex(-1, 10, down, 4)).toBe(0); // nothing selected: the first
    expect(moveIndex(0, 0, down, 4)).toBe(-1);
  });
});

describe('compare puts a frame of the same burst beside the selected photo', () => {
  const shown = ['a', 'b1', 'b2', 'b3', 'c'];
  it('takes the group’s choice, else its next frame, else the next photo shown', () => {
    expect(comparePartner('b1', shown, ['b1', 'b2', 'b3'], 'b3')).toBe('b3');
    expect(comparePartner('b3', shown, ['b1', 'b2', 'b3'], 'b3')).toBe('b1');
    expect(comparePartner('b2', shown, ['b1', 'b2', 'b3'], null)).toBe('b3');
    expect(comparePartner('a', shown, ['a'], 'a')).toBe('b1');
    expect(comparePartner('c', shown, [], null)).toBe('b3');
    // A frame hidden by the filter is not brought in.
    expect(comparePartner('b1', ['a', 'b1', 'c'], ['b1', 'b2', 'b3'], 'b3')).toBe('c');
  });
});
