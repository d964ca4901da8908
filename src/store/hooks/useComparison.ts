import { useShallow } from 'zustand/react/shallow';
import { pairKey, type PairComparison } from '../compareSlice.ts';
import { useAppStore } from '../index.ts';

/** The model's comparison of an ordered pair (undefined until asked for). */
export function usePairComparison(a: string, b: string): PairComparison | undefined {
  return useAppStore((s) => s.comparisons[pairKey(a, b)]);
}

/** Whether the model is loaded (a comparison can be asked). */
export function useModelReady(): boolean {
  return useAppStore((s) => s.model.status === 'ready');
}

/** The comparison's actions. */
export function useCompareActions() {
  return useAppStore(
    useShallow((s) => ({ compareWithModel: s.compareWithModel, stopComparison: s.stopComparison })),
  );
}
