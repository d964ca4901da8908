import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../index.ts';
import type { StorageState } from '../storageSlice.ts';

/** What the browser keeps of the model, the site's usage and quota, and persistence. */
export function useStorageState(): StorageState {
  return useAppStore((s) => s.storage);
}

/** The storage actions a component may call. */
export function useStorageActions() {
  return useAppStore(
    useShallow((s) => ({
      refreshStorage: s.refreshStorage,
      deleteDownloadedModel: s.deleteDownloadedModel,
    })),
  );
}
