import { useShallow } from 'zustand/react/shallow';
import type { ShootSummary } from '../../persist/archive.ts';
import { useAppStore } from '../index.ts';

/** The saved shoot on offer, the current one, and whether results can be saved here. */
export interface SavedShootView {
  /** A shoot from an earlier visit whose files have not come back yet. */
  saved: ShootSummary | null;
  /** The shoot the photos on screen belong to. */
  current: ShootSummary | null;
  /** Photos of the current shoot whose results came back from storage. */
  restoredCount: number;
  problem: string | null;
  /** Results not yet written. */
  savePending: boolean;
}

export function useSavedShoot(): SavedShootView {
  return useAppStore(
    useShallow((s) => ({
      saved: s.savedShoot,
      current: s.shoot,
      restoredCount: Object.keys(s.restored).length,
      problem: s.persistProblem,
      savePending: s.savePending,
    })),
  );
}

/** Forget a shoot, or everything saved. */
export function useSavedShootActions() {
  return useAppStore(
    useShallow((s) => ({ forgetShoot: s.forgetShoot, forgetEverything: s.forgetEverything })),
  );
}
