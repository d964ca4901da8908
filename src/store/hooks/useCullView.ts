/** The grid, loupe and compare views of a shoot: which view, which photos in which order, marks. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NO_MARKS, type CullMarks } from '../../cull/marks.ts';
import {
  GRID_FROM_PHOTOS,
  pixelFlags,
  visiblePhotoIds,
  type MeasureKey,
  type PhotoFacts,
  type ViewMode,
} from '../../cull/view.ts';
import type { Verdict } from '../../pixels/protocol.ts';
import { useAppStore, type AppState } from '../index.ts';

/** True when there is more than one photo: the shoot's views, sort, filter and keys apply. */
export function useIsShoot(): boolean {
  return useAppStore((s) => s.photoOrder.length > 1);
}

/** The view on screen: the person's choice, else the grid for a shoot and the loupe for a few photos. */
export function selectViewMode(s: AppState): ViewMode {
  if (s.photoOrder.length < 2) return 'loupe';
  const mode = s.viewMode ?? (s.photoOrder.length >= GRID_FROM_PHOTOS ? 'grid' : 'loupe');
  if (mode === 'compare' && !comparePairOf(s)) return 'grid';
  return mode;
}

export function useViewMode(): ViewMode {
  return useAppStore(selectViewMode);
}

/** The two photos compared, both still there, or null. */
function comparePairOf(s: AppState): [string, string] | null {
  const pair = s.comparePair;
  return pair && s.photos[pair[0]] && s.photos[pair[1]] ? pair : null;
}

export function useComparePair(): [string, string] | null {
  return useAppStore(useShallow(comparePairOf));
}

/** The facts sorting and filtering read, for every photo. */
export function photoFacts(s: AppState): PhotoFacts[] {
  return s.photoOrder.flatMap((id, added) => {
    const photo = s.photos[id];
    if (!photo) return [];
    const score = s.scores[id];
    const pixels = s.pixelAnalyses[id];
    const measured = pixels?.status === 'ready' ? pixels.analysis.measures : null;
    let measures: PhotoFacts['measures'] = null;
    let verdicts: Partial<Record<MeasureKey, Verdict>> | null = null;
    if (measured) {
      measures = {};
      verdicts = {};
      for (const [key, m] of Object.entries(measured) as [
        MeasureKey,
        { value: number; verdict: Verdict },
      ][]) {
        measures[key] = m.value;
        verdicts[key] = m.verdict;
      }
    }
    const group = s.groups[s.groupOf[id] ?? ''];
    return [
      {
        id,
        name: photo.name,
        added,
        score: score?.status === 'done' && score.result ? score.result.score : null,
        taken: photo.exif?.taken ?? null,
        measures,
        flags: pixelFlags(verdicts),
        marks: s.marks[id] ?? NO_MARKS,
        bestOfGroup: group?.best ? group.best.photoId === id : null,
      },
    ];
  });
}

/**
 * The shown photo ids in order. Worked out again only when photos, results, marks, groups, sort
 * or filter change (not on every chat token), and handed out as the same array while equal.
 */
function makeVisibleSelector() {
  let inputs: unknown[] = [];
  let last: string[] = [];
  return (s: AppState): string[] => {
    const now = [
      s.photoOrder,
      s.photos,
      s.scores,
      s.pixelAnalyses,
      s.marks,
      s.groups,
      s.groupOf,
      s.sort,
      s.filter,
    ];
    if (now.length === inputs.length && now.every((v, i) => v === inputs[i])) return last;
    inputs = now;
    const next = visiblePhotoIds(photoFacts(s), s.sort, s.filter);
    if (next.length !== last.length || next.some((id, i) => id !== last[i])) last = next;
    return last;
  };
}

/** The photos shown in the grid, in the chosen order and through the filter. */
export function useVisiblePhotoIds(): string[] {
  const select = useMemo(() => makeVisibleSelector(), []);
  return useAppStore(select);
}

/** The person's marks on a photo. */
export function usePhotoMarks(photoId: string | null): CullMarks {
  return useAppStore((s) => (photoId ? (s.marks[photoId] ?? NO_MARKS) : NO_MARKS));
}

/** The app's reason when a photo is the best of its group, else null. */
export function useBestOfGroupReason(photoId: string): string | null {
  return useAppStore((s) => {
    const best = s.groups[s.groupOf[photoId] ?? '']?.best;
    return best && best.photoId === photoId ? best.reason : null;
  });
}

/** Sort, filter and whether the keyboard help is open. */
export function useViewSettings() {
  return useAppStore(useShallow((s) => ({ sort: s.sort, filter: s.filter, helpOpen: s.helpOpen })));
}

/**
 * The toolbar's count: photos in all and among `shownIds` (the grid says "12 of 40 photos"),
 * leaving out files that could not be opened, which are counted apart.
 */
export function useShootCounts(shownIds: readonly string[]): {
  photos: number;
  shown: number;
  failed: number;
} {
  return useAppStore(
    useShallow((s) => {
      const failed = (id: string) => s.photos[id]?.status === 'failed';
      const failedCount = s.photoOrder.filter(failed).length;
      return {
        photos: s.photoOrder.length - failedCount,
        shown: shownIds.filter((id) => !failed(id)).length,
        failed: failedCount,
      };
    }),
  );
}

/** The view and marks actions a component may call. */
export function useCullActions() {
  return useAppStore(
    useShallow((s) => ({
      setViewMode: s.setViewMode,
      comparePhotos: s.comparePhotos,
      setSort: s.setSort,
      setFilter: s.setFilter,
      clearFilter: s.clearFilter,
      setHelpOpen: s.setHelpOpen,
      setFlag: s.setFlag,
      setStars: s.setStars,
      setLabel: s.setLabel,
      selectPhoto: s.selectPhoto,
    })),
  );
}
