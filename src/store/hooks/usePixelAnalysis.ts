import { useAppStore } from '../index.ts';
import type { PixelAnalysisState } from '../pixelsSlice.ts';

/** A photo's pixel analysis, or undefined before it was asked for. */
export function usePixelAnalysis(photoId: string | null): PixelAnalysisState | undefined {
  return useAppStore((s) => (photoId ? s.pixelAnalyses[photoId] : undefined));
}
