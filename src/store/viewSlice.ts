/**
 * How the person looks through a shoot: grid, loupe or compare, the sort and the filter
 * (cull/view.ts holds the rules). Selection stays `selectedPhotoId` in the photos slice, so the
 * photo selected in the grid is the one the pipeline works on first.
 */
import type { StateCreator } from 'zustand';
import {
  defaultDescending,
  NO_FILTER,
  type CullFilter,
  type CullSort,
  type SortKey,
  type ViewMode,
} from '../cull/view.ts';
import type { AppState, StoreContext } from './index.ts';

export interface ViewSlice {
  /** The view the person chose; null until they choose (the shoot's size decides, see useViewMode). */
  viewMode: ViewMode | null;
  sort: CullSort;
  filter: CullFilter;
  /** The two photos side by side in compare (the selected one is the one keys act on). */
  comparePair: [string, string] | null;
  helpOpen: boolean;
  setViewMode(mode: ViewMode): void;
  /** Compares two photos side by side and selects the first. */
  comparePhotos(first: string, second: string): void;
  setSort(key: SortKey, descending?: boolean): void;
  setFilter(change: Partial<CullFilter>): void;
  clearFilter(): void;
  setHelpOpen(open: boolean): void;
}

export const createViewSlice =
  (_context: StoreContext): StateCreator<AppState, [], [], ViewSlice> =>
  (set, get) => ({
    viewMode: null,
    sort: { key: 'added', descending: false },
    filter: NO_FILTER,
    comparePair: null,
    helpOpen: false,
    setViewMode: (mode) => set({ viewMode: mode }),
    comparePhotos(first, second) {
      const { photos } = get();
      if (!photos[first] || !photos[second] || first === second) return;
      set({ viewMode: 'compare', comparePair: [first, second] });
      get().selectPhoto(first);
    },
    setSort: (key, descending = defaultDescending(key)) => set({ sort: { key, descending } }),
    setFilter: (change) => set((s) => ({ filter: { ...s.filter, ...change } })),
    clearFilter: () => set({ filter: NO_FILTER }),
    setHelpOpen: (open) => set({ helpOpen: open }),
  });
