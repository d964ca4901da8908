/**
 * A new version of the app, installed by the offline service worker and waiting: the page says so
 * and reloads into it when the person chooses (never by itself, which would drop their photos).
 */
import type { StateCreator } from 'zustand';
import type { AppState, StoreContext } from './index.ts';

export interface UpdateSlice {
  /** True once a new version is installed and waiting for a reload. */
  updateReady: boolean;
  /** Activates the waiting version and reloads this tab into it. */
  reloadToUpdate(): void;
}

export const createUpdateSlice =
  ({ services }: StoreContext): StateCreator<AppState, [], [], UpdateSlice> =>
  (set) => {
    services.offline?.onUpdateReady(() => set({ updateReady: true }));
    return {
      updateReady: false,
      reloadToUpdate() {
        services.offline?.applyUpdate();
      },
    };
  };
