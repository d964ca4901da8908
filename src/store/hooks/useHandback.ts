import { useShallow } from 'zustand/react/shallow';
import { scoredCount, type ExportState } from '../../cull/export-source.ts';
import { NO_MARKS, type CullMarks } from '../../cull/marks.ts';
import { useAppStore } from '../index.ts';

/** Whether any photo has a score yet (the export button shows from the first one). */
export function useAnyPhotoScored(): boolean {
  return useAppStore((s) => scoredCount(s) > 0);
}

/** What the export reads: photos, scores, measures, marks and groups (only while the dialog is open). */
export function useExportState(): ExportState {
  return useAppStore(
    useShallow((s) => ({
      photos: s.photos,
      photoOrder: s.photoOrder,
      scores: s.scores,
      pixelAnalyses: s.pixelAnalyses,
      marks: s.marks,
      groups: s.groups,
      groupOf: s.groupOf,
    })),
  );
}

/** The name of the folder the shoot came in (picked, dropped or input); null for loose photos. */
export function useShootFolderName(): string | null {
  return useAppStore((s) => s.shoot?.folder ?? null);
}

/** The photographer's marks on one photo (NO_MARKS when never marked). */
export function usePhotoMarks(photoId: string): CullMarks {
  return useAppStore((s) => s.marks[photoId] ?? NO_MARKS);
}

/** The marking and export actions a component may call. */
export function useHandbackActions() {
  return useAppStore(
    useShallow((s) => ({
      setFlag: s.setFlag,
      setStars: s.setStars,
      setLabel: s.setLabel,
      photoFile: s.photoFile,
    })),
  );
}
