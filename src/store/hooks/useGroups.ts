/** Groups of a shoot (bursts, near-duplicates) and their suggested best, one photo at a time. */
import { useShallow } from 'zustand/react/shallow';
import type { GroupingSignal } from '../../cull/groups.ts';
import { useAppStore } from '../index.ts';

/** A photo's place in its group, for a badge or the grid (null before it is grouped). */
export interface PhotoGroupInfo {
  groupId: string;
  /** Photos in the group (1 for a photo alone). */
  size: number;
  /** Whether this photo is its group's choice (the photographer's pick, else the app's best). */
  isBest: boolean;
  /** The choice's one-line reason ("sharpest of 6; score 4.1 vs 3.2–3.9; …"). */
  reason: string | null;
  /** Whether the photographer chose it rather than the app. */
  byPhotographer: boolean;
  /** The group's chosen photo, if any, and its file name. */
  bestPhotoId: string | null;
  bestName: string | null;
}

/** The group a photo belongs to and whether it is that group's best. */
export function useGroupOf(photoId: string | null): PhotoGroupInfo | null {
  return useAppStore(
    useShallow((s): PhotoGroupInfo | null => {
      const groupId = photoId ? s.groupOf[photoId] : undefined;
      const group = groupId ? s.groups[groupId] : undefined;
      if (!group) return null;
      const best = group.best;
      return {
        groupId: group.id,
        size: group.photoIds.length,
        isBest: best?.photoId === photoId,
        reason: best?.reason ?? null,
        byPhotographer: best?.byPhotographer ?? false,
        bestPhotoId: best?.photoId ?? null,
        bestName: best ? (s.photos[best.photoId]?.name ?? null) : null,
      };
    }),
  );
}

/** The strictness slider's value and setter, and which signal grouped the shoot. */
export function useGroupStrictness(): {
  strictness: number;
  setStrictness: (strictness: number) => void;
  signal: GroupingSignal;
  agreement: number | null;
  groupCount: number;
} {
  return useAppStore(
    useShallow((s) => ({
      strictness: s.groupStrictness,
      setStrictness: s.setGroupStrictness,
      signal: s.groupSignal.signal,
      agreement: s.groupSignal.agreement,
      groupCount: Object.keys(s.groups).length,
    })),
  );
}

/** The photos of a photo's group (itself included), in capture order; empty before grouping. */
export function useGroupMembers(photoId: string | null): string[] {
  return useAppStore(
    useShallow((s) => (photoId ? (s.groups[s.groupOf[photoId] ?? '']?.photoIds ?? []) : [])),
  );
}
