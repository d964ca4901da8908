/**
 * The shoot's report, one row per photo, as CSV and JSON: its files, score and level
 * probabilities, the pixel measures, the photographer's marks and its group. The CSV carries the
 * numbers exactly as the screen shows them (the same formatters); the JSON carries them unrounded.
 */
import { formatMeasure, LABELS } from '../components/PixelAnalysis/measureRows.ts';
import { LEVELS } from '../model/recipes.ts';
import { verdictForScore } from '../model/verdict.ts';
import type { PhotoRecord } from '../photos/types.ts';
import type { PixelAnalysis } from '../pixels/client.ts';
import type { ScoreResult } from '../model/protocol.ts';
import { NO_MARKS, type CullMarks } from './marks.ts';

/** Everything the report reads about one photo (from the store). */
export interface ReportPhoto {
  photo: PhotoRecord;
  score: ScoreResult | null;
  measures: PixelAnalysis['measures'] | null;
  marks: CullMarks | undefined;
  /** The photo's group id and whether it is the group's best; null when not grouped. */
  group: { id: string; best: boolean } | null;
}

const levelLabel = (score: number) => LEVELS.find((l) => l.key === verdictForScore(score))!.label;

function filesOf(photo: PhotoRecord): { folder: string; files: string[] } {
  const s = photo.shoot;
  if (!s) return { folder: '', files: [photo.name] };
  return { folder: s.folder, files: [s.raw, s.image].filter((f): f is string => !!f) };
}

/** The column names of the CSV, in order. */
export const CSV_COLUMNS = [
  'name',
  'folder',
  'files',
  'score',
  'score_100',
  'level',
  ...LEVELS.map((l) => `p_${l.key}`),
  ...LABELS.map(([key]) => key),
  'flag',
  'stars',
  'label',
  'group',
  'group_best',
];

/** One row as shown on screen: the score as the score card writes it (3.42, 61 / 100, 12.3%). */
export function csvRow(r: ReportPhoto): string[] {
  const { folder, files } = filesOf(r.photo);
  const marks = r.marks ?? NO_MARKS;
  const s = r.score;
  return [
    r.photo.name,
    folder,
    files.join(' + '),
    s ? s.score.toFixed(2) : '',
    s ? String(Math.round(s.score100)) : '',
    s ? levelLabel(s.score) : '',
    ...LEVELS.map((_, i) => (s ? `${((s.probabilities[i] ?? 0) * 100).toFixed(1)}%` : '')),
    ...LABELS.map(([key]) => (r.measures ? formatMeasure(key, r.measures[key]) : '')),
    marks.flag ?? '',
    String(marks.stars),
    marks.label ?? '',
    r.group?.id ?? '',
    r.group ? (r.group.best ? 'yes' : 'no') : '',
  ];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The CSV report (UTF-8, CRLF line ends, a header row). */
export function reportCsv(rows: readonly ReportPhoto[]): string {
  return (
    [CSV_COLUMNS, ...rows.map(csvRow)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
  );
}

/** The JSON report: the same rows with unrounded numbers. */
export function reportJson(rows: readonly ReportPhoto[]): string {
  return JSON.stringify(
    rows.map((r) => {
      const { folder, files } = filesOf(r.photo);
      const marks = r.marks ?? NO_MARKS;
      return {
        name: r.photo.name,
        folder,
        files,
        score: r.score?.score ?? null,
        level: r.score ? levelLabel(r.score.score) : null,
        probabilities: r.score
          ? Object.fromEntries(LEVELS.map((l, i) => [l.key, r.score!.probabilities[i] ?? 0]))
          : null,
        measures: r.measures
          ? Object.fromEntries(LABELS.map(([key]) => [key, r.measures![key].value]))
          : null,
        flag: marks.flag,
        stars: marks.stars,
        label: marks.label,
        group: r.group?.id ?? null,
        groupBest: r.group?.best ?? null,
      };
    }),
    null,
    2,
  );
}
