import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../index.ts';

/** Whether a new version of the app is waiting, and the action that reloads into it. */
export function useAppUpdate() {
  return useAppStore(
    useShallow((s) => ({ updateReady: s.updateReady, reloadToUpdate: s.reloadToUpdate })),
  );
}
