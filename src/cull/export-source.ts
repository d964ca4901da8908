/**
 * The store's state read as the hand-back needs it: per photo, its marks, the app's score with the
 * model that produced it, the pixel measures and its group. Pure, so it is tested without a browser.
 */
import { LEVELS } from '../model/recipes.ts';
import { describeDtypes } from '../model/precision.ts';
import { verdictForScore } from '../model/verdict.ts';
import type { AppState } from '../store/index.ts';
import type { HandbackPhoto } from './handback.ts';
import type { ReportPhoto } from './report.ts';
import type { AppQuality } from './xmp.ts';

/** The parts of the store the export reads. */
export type ExportState = Pick<
  AppState,
  'photos' | 'photoOrder' | 'scores' | 'pixelAnalyses' | 'marks' | 'groups' | 'groupOf'
>;

/** The photos that can be handed back: every photo that could be opened, in the order added. */
function exportable(state: ExportState) {
  return state.photoOrder
    .map((id) => state.photos[id])
    .filter((p) => p !== undefined && p.status !== 'failed')
    .map((p) => p!);
}

/** The app's quality reading of a photo, with the model that made it; null when not scored. */
function qualityOf(state: ExportState, photoId: string): AppQuality | null {
  const s = state.scores[photoId];
  if (s?.status !== 'done' || !s.result || !s.by) return null;
  return {
    score: s.result.score,
    level: LEVELS.find((l) => l.key === verdictForScore(s.result!.score))!.label,
    probabilities: s.result.probabilities,
    modelId: s.by.modelId,
    precision: describeDtypes(s.by.dtypes),
    backend: s.by.device === 'webgpu' ? 'webgpu' : 'wasm',
  };
}

/** Every exportable photo as the XMP writers need it. */
export function handbackPhotos(state: ExportState): HandbackPhoto[] {
  return exportable(state).map((p) => ({
    id: p.id,
    name: p.name,
    ...(p.shoot ? { shoot: p.shoot } : {}),
    ...(state.marks[p.id] ? { marks: state.marks[p.id]! } : {}),
    quality: qualityOf(state, p.id),
  }));
}

/** Every exportable photo as the CSV/JSON report needs it. */
export function reportPhotos(state: ExportState): ReportPhoto[] {
  return exportable(state).map((photo) => {
    const s = state.scores[photo.id];
    const pixels = state.pixelAnalyses[photo.id];
    const groupId = state.groupOf[photo.id];
    const group = groupId ? state.groups[groupId] : undefined;
    return {
      photo,
      score: s?.status === 'done' && s.result ? s.result : null,
      measures: pixels?.status === 'ready' ? pixels.analysis.measures : null,
      marks: state.marks[photo.id],
      group: group ? { id: group.id, best: group.best?.photoId === photo.id } : null,
    };
  });
}

/** How many photos have a score (the export button shows from the first one). */
export function scoredCount(state: Pick<ExportState, 'scores'>): number {
  return Object.values(state.scores).filter((s) => s.status === 'done').length;
}
