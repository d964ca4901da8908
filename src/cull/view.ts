/**
 * How a shoot is looked through: which view (grid, loupe, compare), the order of the photos and
 * which of them are shown. Pure functions over a few facts per photo, so the store, the grid and
 * the tests share one definition of "sorted by score" or "blurry".
 */
import type { PixelAnalysis, Verdict } from '../pixels/protocol.ts';
import type { CullMarks } from './marks.ts';

export type ViewMode = 'grid' | 'loupe' | 'compare';

/** A shoot of this many photos opens in the grid; fewer stay in today's single-photo view. */
export const GRID_FROM_PHOTOS = 10;

export type MeasureKey = keyof PixelAnalysis['measures'];

/** What the photos can be ordered by: the order added, the score, a pixel measure, time or name. */
export type SortKey = 'added' | 'score' | 'taken' | 'name' | `measure:${MeasureKey}`;

export interface CullSort {
  key: SortKey;
  descending: boolean;
}

export interface CullFilter {
  /** Score range 1–5, both ends included; unscored photos only show while the range is 1–5. */
  scoreMin: number;
  scoreMax: number;
  blurry: boolean;
  clipped: boolean;
  rejected: boolean;
  picked: boolean;
  bestOnly: boolean;
}

export const NO_FILTER: CullFilter = Object.freeze({
  scoreMin: 1,
  scoreMax: 5,
  blurry: false,
  clipped: false,
  rejected: false,
  picked: false,
  bestOnly: false,
});

/** The direction each key reads best in at first: best score, newest-last time, A→Z. */
export function defaultDescending(key: SortKey): boolean {
  return key === 'score' || key === 'measure:sharpness' || key === 'measure:resolution';
}

/** The warnings a cell shows, read from the pixel measures' own verdicts (readings.ts). */
export interface PixelFlags {
  blurry: boolean;
  clipped: boolean;
  noisy: boolean;
}

/**
 * A measure's "poor" verdict is the flag: sharpness poor reads "Blurry: no crisp detail anywhere",
 * highlights poor "detail there is lost for good" (≥ 2 % blown), noise poor "Heavy noise". The
 * "fair" readings (soft, small clipped highlights, visible grain) are shown in the loupe but are
 * not reasons to cull.
 */
export function pixelFlags(verdicts: Partial<Record<MeasureKey, Verdict>> | null): PixelFlags {
  return {
    blurry: verdicts?.sharpness === 'poor',
    clipped: verdicts?.highlightClipping === 'poor',
    noisy: verdicts?.noise === 'poor',
  };
}

/** The few facts about a photo that sorting and filtering read. */
export interface PhotoFacts {
  id: string;
  name: string;
  /** Position in the order the photos were added. */
  added: number;
  score: number | null;
  /** exif.taken as written by the camera (ISO 8601, so it sorts as text), or null. */
  taken: string | null;
  measures: Partial<Record<MeasureKey, number>> | null;
  flags: PixelFlags;
  marks: CullMarks;
  /** null: not grouped yet (stands alone); else whether it is its group's best. */
  bestOfGroup: boolean | null;
}

const sortValue = (p: PhotoFacts, key: SortKey): number | string | null => {
  switch (key) {
    case 'added':
      return p.added;
    case 'score':
      return p.score;
    case 'taken':
      return p.taken;
    case 'name':
      return p.name;
    default: {
      const v = p.measures?.[key.slice('measure:'.length) as MeasureKey];
      return v !== undefined && Number.isFinite(v) ? v : null;
    }
  }
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Photos in the chosen order; those without the value (not scored yet, no EXIF time) go last. */
export function sortPhotos(photos: readonly PhotoFacts[], sort: CullSort): PhotoFacts[] {
  const sign = sort.descending ? -1 : 1;
  return [...photos].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
      return a.added - b.added;
    }
    const c =
      typeof va === 'string' && typeof vb === 'string'
        ? collator.compare(va, vb)
        : (va as number) - (vb as number);
    return c !== 0 ? sign * c : a.added - b.added;
  });
}

/** True when the filter lets everything through. */
export function isFilterOff(filter: CullFilter): boolean {
  return (Object.keys(NO_FILTER) as (keyof CullFilter)[]).every((k) => filter[k] === NO_FILTER[k]);
}

/** Every ticked condition must hold (they narrow, as Lightroom's filter bar does). */
export function passesFilter(p: PhotoFacts, filter: CullFilter): boolean {
  const rangeNarrowed =
    filter.scoreMin > NO_FILTER.scoreMin || filter.scoreMax < NO_FILTER.scoreMax;
  if (rangeNarrowed) {
    if (p.score === null || p.score < filter.scoreMin || p.score > filter.scoreMax) return false;
  }
  if (filter.blurry && !p.flags.blurry) return false;
  if (filter.clipped && !p.flags.clipped) return false;
  if (filter.rejected && p.marks.flag !== 'reject') return false;
  if (filter.picked && p.marks.flag !== 'pick') return false;
  if (filter.bestOnly && p.bestOfGroup === false) return false;
  return true;
}

/** The ids shown, in order. */
export function visiblePhotoIds(
  photos: readonly PhotoFacts[],
  sort: CullSort,
  filter: CullFilter,
): string[] {
  return sortPhotos(
    photos.filter((p) => passesFilter(p, filter)),
    sort,
  ).map((p) => p.id);
}

/** What a key press asks for. */
export type CullCommand =
  | { type: 'move'; dx: number; dy: number }
  | { type: 'flag'; flag: CullMarks['flag'] }
  | { type: 'stars'; stars: CullMarks['stars'] }
  | { type: 'label'; label: NonNullable<CullMarks['label']> }
  | { type: 'mode'; mode: ViewMode }
  | { type: 'help' }
  | { type: 'close' };

/** Lightroom's keys (6–9 are its Red, Yellow, Green and Blue labels). */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: '← → ↑ ↓', does: 'Move the selection (by row and column in the grid)' },
  { keys: 'P', does: 'Flag as pick' },
  { keys: 'X', does: 'Flag as rejected' },
  { keys: 'U', does: 'Remove the flag' },
  { keys: '0 – 5', does: 'Set 0 to 5 stars' },
  { keys: '6 7 8 9', does: 'Colour label red, yellow, green, blue (again to remove)' },
  { keys: 'G', does: 'Grid' },
  { keys: 'E', does: 'Loupe: the selected photo large, with its analysis' },
  { keys: 'C', does: 'Compare the selected photo with the next one side by side' },
  { keys: '?', does: 'Show or hide these shortcuts' },
  { keys: 'Esc', does: 'Close this list or leave compare' },
];

const LABEL_KEYS = { '6': 'Red', '7': 'Yellow', '8': 'Green', '9': 'Blue' } as const;

/**
 * The command for a key, or null when the key is not a shortcut. Keys with Ctrl, Alt or Meta are
 * never shortcuts (Ctrl+C copies, Alt+← goes back).
 */
export function commandForKey(key: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}): CullCommand | null {
  if (key.ctrlKey || key.altKey || key.metaKey) return null;
  switch (key.key) {
    case 'ArrowLeft':
      return { type: 'move', dx: -1, dy: 0 };
    case 'ArrowRight':
      return { type: 'move', dx: 1, dy: 0 };
    case 'ArrowUp':
      return { type: 'move', dx: 0, dy: -1 };
    case 'ArrowDown':
      return { type: 'move', dx: 0, dy: 1 };
    case '?':
      return { type: 'help' };
    case 'Escape':
      return { type: 'close' };
  }
  const k = key.key.toLowerCase();
  if (k === 'p') return { type: 'flag', flag: 'pick' };
  if (k === 'x') return { type: 'flag', flag: 'reject' };
  if (k === 'u') return { type: 'flag', flag: null };
  if (k === 'g') return { type: 'mode', mode: 'grid' };
  if (k === 'e') return { type: 'mode', mode: 'loupe' };
  if (k === 'c') return { type: 'mode', mode: 'compare' };
  if (/^[0-5]$/.test(k)) return { type: 'stars', stars: Number(k) as CullMarks['stars'] };
  if (k in LABEL_KEYS) return { type: 'label', label: LABEL_KEYS[k as keyof typeof LABEL_KEYS] };
  return null;
}

/**
 * The index a move lands on, or the same index at an edge. In the grid ↑ ↓ go a row (`columns`
 * photos) and ← → one photo, wrapping across rows as Lightroom does; elsewhere only ← → move.
 */
export function moveIndex(
  index: number,
  count: number,
  move: { dx: number; dy: number },
  columns: number,
): number {
  if (count === 0) return -1;
  if (index < 0) return 0;
  const next = index + move.dx + move.dy * Math.max(1, columns);
  return next < 0 || next >= count ? index : next;
}

/** True for elements where keys are typed (text fields, selects, editable text): no shortcuts there. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return (
    el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null
  );
}

/**
 * Which photo compare puts beside `first`: a frame of its own burst (the group's choice, else the
 * group's next frame shown, else its first), as a photographer weighs near-duplicates; a photo
 * alone gets the next photo shown (the one before it at the end). Only photos shown count.
 */
export function comparePartner(
  first: string,
  shown: readonly string[],
  group: readonly string[],
  groupChoice: string | null,
): string | undefined {
  const at = shown.indexOf(first);
  const mates = group.filter((id) => id !== first && shown.includes(id));
  if (groupChoice && mates.includes(groupChoice)) return groupChoice;
  return mates.find((id) => shown.indexOf(id) > at) ?? mates[0] ?? shown[at + 1] ?? shown[at - 1];
}
