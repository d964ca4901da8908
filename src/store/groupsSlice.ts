/**
 * Groups of a shoot: bursts and near-duplicates, and the app's suggested best of each
 * (cull/groups). The app suggests; the photographer's own marks (cullSlice) always win.
 *
 * Groups are worked out again, debounced, whenever photos, their measures, their scores or the
 * marks change. The grouping itself (pairing photos by time and likeness) runs in a worker of its
 * own (cull/worker/groups.worker.ts), so a 2,000-photo regroup never blocks the page; one runs at a
 * time, and changes during it are grouped in one more run after it. The best of each group is chosen here from the answer and the
 * store as it is then (a few comparisons a group), so marks made meanwhile are never lost.
 */
import type { StateCreator } from 'zustand';
import { chooseBest, type BestCandidate } from '../cull/best.ts';
import {
  capturedMs,
  DEFAULT_STRICTNESS,
  type Grouping,
  type GroupingPhoto,
  type GroupingSignal,
} from '../cull/groups.ts';
import { NO_MARKS } from '../cull/marks.ts';
import type { AppState, StoreContext } from './index.ts';

export interface PhotoGroup {
  id: string;
  /** Members in capture order. */
  photoIds: string[];
  /** The app's pick, and its one-line reason built from the numbers. */
  best: { photoId: string; reason: string; byPhotographer?: boolean } | null;
}

export interface GroupsSlice {
  groups: Record<string, PhotoGroup>;
  /** Photo id → its group id (every grouped photo; a photo alone is a group of one). */
  groupOf: Record<string, string>;
  /** Loose (0) ↔ strict (1). */
  groupStrictness: number;
  /** Which signal decided likeness last time, and how well the model agreed with the pixels. */
  groupSignal: { signal: GroupingSignal; agreement: number | null };
  setGroupStrictness(strictness: number): void;
  /**
   * Works the groups out now (the store does it by itself, debounced, as results arrive); resolves
   * once groups for the state as it is now are in the store.
   */
  regroup(): Promise<void>;
}

/** Wait after the last change before grouping again (results arrive many a second). */
export const REGROUP_DELAY_MS = 300;

/** What grouping needs of each photo that could be opened, in the order added. */
function groupingPhotos(s: AppState): GroupingPhoto[] {
  const photos: GroupingPhoto[] = [];
  s.photoOrder.forEach((id, order) => {
    const photo = s.photos[id];
    if (!photo || photo.status === 'failed') return;
    const pixels = s.pixelAnalyses[id];
    const score = s.scores[id];
    photos.push({
      id,
      order,
      takenMs: capturedMs(photo.exif?.taken),
      fingerprint: pixels?.status === 'ready' ? (pixels.analysis.fingerprint ?? null) : null,
      features: score?.status === 'done' ? (score.result?.imageFeatures ?? null) : null,
    });
  });
  return photos;
}

/** The groups of a grouping, each with its best chosen from the store's state now. */
function withBest(
  s: AppState,
  grouping: Grouping,
): Pick<GroupsSlice, 'groups' | 'groupOf' | 'groupSignal'> {
  const groups: Record<string, PhotoGroup> = {};
  const groupOf: Record<string, string> = {};
  for (const all of grouping.groups) {
    // Photos removed while the worker was grouping leave their group.
    const photoIds = all.filter((id) => s.photos[id] !== undefined);
    if (photoIds.length === 0) continue;
    // Named after its first frame, so a group keeps its id while later frames join it.
    const id = `group-${photoIds[0]!}`;
    const members: BestCandidate[] = photoIds.map((photoId) => {
      const pixels = s.pixelAnalyses[photoId];
      const m = pixels?.status === 'ready' ? pixels.analysis.measures : null;
      const score = s.scores[photoId];
      return {
        id: photoId,
        score: score?.status === 'done' ? (score.result?.score ?? null) : null,
        sharpness: m?.sharpness?.value ?? null,
        highlights: m?.highlightClipping?.value ?? null,
        shadows: m?.shadowClipping?.value ?? null,
        ev: m?.exposure?.value ?? null,
        marks: s.marks[photoId] ?? NO_MARKS,
      };
    });
    groups[id] = { id, photoIds, best: chooseBest(members) };
    for (const photoId of photoIds) groupOf[photoId] = id;
  }
  return {
    groups,
    groupOf,
    groupSignal: { signal: grouping.signal, agreement: grouping.agreement },
  };
}

export const createGroupsSlice =
  ({ services }: StoreContext): StateCreator<AppState, [], [], GroupsSlice> =>
  (set, get, api) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** The regroup in flight; changes meanwhile run one more when it ends (never two at once). */
    let current: Promise<void> | null = null;
    let again = false;
    const schedule = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void get().regroup();
      }, REGROUP_DELAY_MS);
    };
    api.subscribe((now, before) => {
      if (
        now.photos !== before.photos ||
        now.photoOrder !== before.photoOrder ||
        now.pixelAnalyses !== before.pixelAnalyses ||
        now.scores !== before.scores ||
        now.marks !== before.marks ||
        now.groupStrictness !== before.groupStrictness
      ) {
        schedule();
      }
    });
    return {
      groups: {},
      groupOf: {},
      groupStrictness: DEFAULT_STRICTNESS,
      groupSignal: { signal: 'fingerprint', agreement: null },
      setGroupStrictness(strictness) {
        const clamped = Math.min(1, Math.max(0, strictness));
        if (clamped !== get().groupStrictness) set({ groupStrictness: clamped });
      },
      regroup() {
        if (current) {
          again = true;
          return current;
        }
        current = (async () => {
          try {
            do {
              again = false;
              const s = get();
              try {
                const grouping = await services.grouping.group(
                  groupingPhotos(s),
                  s.groupStrictness,
                );
                set(withBest(get(), grouping));
              } catch (error) {
                // The worker failed twice: the groups shown stay; the next change groups again.
                console.warn(error);
              }
            } while (again);
          } finally {
            current = null;
          }
        })();
        return current;
      },
    };
  };
