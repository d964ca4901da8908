/**
 * The per-photo results of `npm run eval`: one CSV row per photo, image mode and model, appended
 * (and flushed) as each photo is scored, so a run that stops keeps what it did and a rerun skips it.
 */
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** The columns, in order (documented in docs/SCORING.md). */
export const RESULT_COLUMNS = [
  'file',
  'mos',
  'score',
  'p_excellent',
  'p_good',
  'p_fair',
  'p_poor',
  'p_bad',
  'mode',
  'model',
  'backend',
  'precision',
  'image_tokens',
  'width',
  'height',
  'ms',
  'error',
] as const;

export type ResultRow = Record<(typeof RESULT_COLUMNS)[number], string>;

/** What makes two rows the same work: a photo in one mode by one model at one precision. */
export const resultKey = (r: Pick<ResultRow, 'file' | 'mode' | 'model' | 'precision'>) =>
  JSON.stringify([r.file, r.mode, r.model, r.precision]);

/**
 * Reads the rows a previous run wrote. A last line cut off by a killed run (no newline at the
 * end) is removed from the file first, so the photo is scored again and the file stays valid.
 */
export function readResults(path: string): ResultRow[] {
  if (!existsSync(path)) return [];
  let text = readFileSync(path, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) {
    const cut = text.lastIndexOf('\n') + 1;
    truncateSync(path, Buffer.byteLength(text.slice(0, cut)));
    text = text.slice(0, cut);
  }
  if (text.trim() === '') return [];
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as ResultRow[];
  return rows;
}

/** Appends one row (writing the header first into a new file). */
export function appendResult(path: string, row: ResultRow): void {
  const header = !existsSync(path) || statSync(path).size === 0;
  appendFileSync(
    path,
    stringify([RESULT_COLUMNS.map((c) => row[c])], {
      header,
      columns: [...RESULT_COLUMNS],
    }),
  );
}
