/**
 * Groups of a shoot: bursts and near-duplicates, and the app's suggested best of each
 * (cull/groups). The app suggests; the photographer's own marks (cullSlice) always win.
 */
import type { StateCreator } from 'zustand';
import type { AppState, StoreContext } from './index.ts';

export interface PhotoGroup {
  id: string;
  /** Members in capture order. */
  photoIds: string[];
  /** The app's pick, and its one-line reason built from the numbers. */
  best: { photoId: string; reason: string } | null;
}

export interface GroupsSlice {
  groups: Record<string, PhotoGroup>;
  /** Photo id → its group id (every grouped photo; a photo alone is a group of one). */
  groupOf: Record<string, string>;
}

export const createGroupsSlice =
  (_context: StoreContext): StateCreator<AppState, [], [], GroupsSlice> =>
  () => ({
    groups: {},
    groupOf: {},
  });
