/**
 * What is kept of one photo between visits: a generic, versioned record of the store's results for
 * it (score and who produced it, pixel measures without the overlay maps, the photographer's marks,
 * its group), keyed by the file's fingerprint (name + size + modified time). Never the photo, its
 * pixels or its thumbnail. Each kind of result is one entry of PERSISTED_FIELDS: a slice that adds
 * a result worth keeping (e.g. the grouping's feature vector) adds one entry here.
 */
import { NO_MARKS, type CullMarks } from '../cull/marks.ts';
import type { PhotoScore } from '../store/modelSlice.ts';
import type { StoredAnalysis } from '../store/pixelsSlice.ts';
import type { AppState } from '../store/index.ts';
import { version } from '../../package.json';

/** The record layout; a record of another layout is ignored (and recomputed). */
export const RECORD_FORMAT = 1;

/**
 * The app version the results came from. Measures and scores from another version are not
 * trusted (the code that made them may have changed) and are computed again.
 */
export const APP_VERSION: string = version;

/** One photo's saved results. */
export interface SavedPhoto {
  format: typeof RECORD_FORMAT;
  /** fileFingerprint(file): name, size and modified time. */
  fingerprint: string;
  shootId: string;
  appVersion: string;
  name: string;
  savedAt: number;
  /** 1 when the photographer marked it (flag, stars or label); an index counts them per shoot. */
  marked: 0 | 1;
  /** Field name → the field's saved value (see PERSISTED_FIELDS). */
  fields: Record<string, unknown>;
}

/** One kind of result kept per photo. */
export interface PersistedField {
  name: string;
  /**
   * The store's value for the photo that, when its identity changes, means the record must be
   * written again (undefined: nothing to keep yet).
   */
  watch(state: AppState, photoId: string): unknown;
  /** The value to save (structured-cloneable), or undefined for nothing. */
  save(state: AppState, photoId: string): unknown;
  /** The store change that puts a saved value back for a photo that came back. */
  restore(state: AppState, photoId: string, value: unknown): Partial<AppState>;
}

/** A saved score: the result and the model, backend and precision that produced it. */
export type SavedScore = Required<Pick<PhotoScore, 'result' | 'by'>>;

/** Whether a saved score came from the model now chosen (unknown yet counts as the same). */
export function sameProducer(by: PhotoScore['by'], state: AppState): boolean {
  if (!by) return false;
  const m = state.model;
  const now = m.loaded
    ? { modelId: m.loaded.source.id, device: m.loaded.device, dtypes: m.loaded.dtypes }
    : m.device && m.dtypes
      ? { modelId: m.source.id, device: m.device, dtypes: m.dtypes }
      : null;
  if (!now) return true; // checked again when the model is ready
  // The image mode (how the photo is fed to the model) is part of who produced the score.
  const mode = (x: unknown) => JSON.stringify((x as { imageMode?: unknown }).imageMode ?? null);
  return (
    mode(by) === JSON.stringify(m.imageMode ?? null) &&
    now.modelId === by.modelId &&
    now.device === by.device &&
    JSON.stringify(now.dtypes) === JSON.stringify(by.dtypes)
  );
}

const marksOf = (state: AppState, photoId: string): CullMarks | undefined => state.marks[photoId];

/** Whether marks say anything (a flag, stars or a label). */
export const isMarked = (marks: CullMarks | undefined): boolean =>
  !!marks && (marks.flag !== null || marks.stars !== 0 || marks.label !== null);

export const PERSISTED_FIELDS: readonly PersistedField[] = [
  {
    name: 'score',
    watch: (s, id) => (s.scores[id]?.status === 'done' ? s.scores[id] : undefined),
    save: (s, id) => {
      const score = s.scores[id];
      if (score?.status !== 'done' || !score.result || !score.by) return undefined;
      return { result: score.result, by: score.by } satisfies SavedScore;
    },
    restore: (s, id, value) => {
      const saved = value as SavedScore;
      return {
        scores: { ...s.scores, [id]: { status: 'done', result: saved.result, by: saved.by } },
      };
    },
  },
  {
    name: 'measures',
    // The overlay maps come and go with memory; only the measures themselves are kept.
    watch: (s, id) => {
      const a = s.pixelAnalyses[id];
      return a?.status === 'ready' ? a.analysis.measures : undefined;
    },
    save: (s, id) => {
      const a = s.pixelAnalyses[id];
      if (a?.status !== 'ready') return undefined;
      return { ...a.analysis, maps: null } satisfies StoredAnalysis;
    },
    restore: (s, id, value) => ({
      pixelAnalyses: {
        ...s.pixelAnalyses,
        [id]: { status: 'ready', analysis: { ...(value as StoredAnalysis), maps: null } },
      },
    }),
  },
  {
    name: 'marks',
    watch: marksOf,
    save: (s, id) => (isMarked(marksOf(s, id)) ? { ...marksOf(s, id)! } : undefined),
    restore: (s, id, value) => ({
      marks: { ...s.marks, [id]: { ...NO_MARKS, ...(value as CullMarks) } },
    }),
  },
  {
    name: 'group',
    // The group a photo is in and whether it is the app's pick; groups are rebuilt from them.
    watch: (s, id) => {
      const groupId = s.groupOf[id];
      return groupId === undefined ? undefined : s.groups[groupId];
    },
    save: (s, id) => {
      const groupId = s.groupOf[id];
      const group = groupId === undefined ? undefined : s.groups[groupId];
      if (!group) return undefined;
      const best = group.best?.photoId === id ? group.best.reason : null;
      return { groupId, best };
    },
    restore: (s, id, value) => {
      const { groupId, best } = value as { groupId: string; best: string | null };
      const group = s.groups[groupId] ?? { id: groupId, photoIds: [], best: null };
      return {
        groupOf: { ...s.groupOf, [id]: groupId },
        groups: {
          ...s.groups,
          [groupId]: {
            ...group,
            photoIds: [...group.photoIds.filter((p) => p !== id), id],
            best: best !== null ? { photoId: id, reason: best } : group.best,
          },
        },
      };
    },
  },
];
