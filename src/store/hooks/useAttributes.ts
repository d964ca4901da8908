import { useShallow } from 'zustand/react/shallow';
import type { PhotoAttributes } from '../attributesSlice.ts';
import { useAppStore } from '../index.ts';
import type { PromptCacheStatus } from '../../model/protocol.ts';

/** A photo's attribute panel figures (undefined until asked for). */
export function usePhotoAttributes(photoId: string): PhotoAttributes | undefined {
  return useAppStore((s) => s.attributes[photoId]);
}

/** What the model worker keeps of each photo's prompts (debug view). */
export function usePromptCache(): PromptCacheStatus | null {
  return useAppStore((s) => s.promptCache);
}

/** The attribute panel's actions. */
export function useAttributeActions() {
  return useAppStore(
    useShallow((s) => ({
      rateAttributesWhenScored: s.rateAttributesWhenScored,
      stopAttributes: s.stopAttributes,
      retryAttributes: s.retryAttributes,
      refreshPromptCache: s.refreshPromptCache,
    })),
  );
}
