/**
 * Reads a MOS file as the IQA data sets ship it (KonIQ-10k's `image_name,…,MOS,…`, SPAQ's
 * `Image name,MOS` once saved as CSV, KADID's `dist_img,ref_img,dmos,var`, AGIQA-3K's
 * `name,…,mos_quality,…`, or a plain two-column file without a header), with csv-parse (quotes,
 * BOM, semicolons or tabs), and says which rows it left out and why.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, normalize, resolve, sep } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One labelled photo. */
export interface MosRow {
  /** As written in the file (relative to the photos folder). */
  file: string;
  mos: number;
  /** 1-based line of the file, for messages. */
  line: number;
}

/** A row left out, with why. */
export interface SkippedRow {
  line: number;
  file: string;
  reason: string;
}

/** The labelled photos and what was left out. */
export interface MosFile {
  rows: MosRow[];
  skipped: SkippedRow[];
  /** The columns read (header names, or 1 and 2 without a header). */
  nameColumn: string;
  mosColumn: string;
}

/** Header names (lower case, spaces and underscores removed) of the file name column, best first. */
const NAME_HEADERS = [
  'imagename',
  'image',
  'filename',
  'file',
  'name',
  'img',
  'imgname',
  'imagepath',
  'imgpath',
  'path',
  'distimg',
  'photo',
];
/** Header names of the MOS column, best first (KonIQ's MOS before its MOS_zscore). */
const MOS_HEADERS = ['mos', 'mosquality', 'dmos', 'moszscore', 'score', 'quality', 'mean'];

const key = (header: string) => header.toLowerCase().replace(/[\s_-]/g, '');

function pickColumn(headers: string[], wanted: string[], label: string, given?: string): number {
  if (given !== undefined) {
    const at = headers.findIndex((h) => h === given || key(h) === key(given));
    if (at < 0)
      throw new Error(`The MOS file has no column "${given}" (it has ${headers.join(', ')}).`);
    return at;
  }
  for (const name of wanted) {
    const at = headers.findIndex((h) => key(h) === name);
    if (at >= 0) return at;
  }
  throw new Error(
    `Cannot tell which column holds the ${label} (columns: ${headers.join(', ')}); name it with --${label === 'file name' ? 'name' : 'mos'}-column.`,
  );
}

const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));

/** Guesses the delimiter from the first line: comma unless semicolons or tabs outnumber commas. */
function delimiterOf(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => first.split(c).length - 1;
  const best = [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0]!;
  return count(best) > 0 ? best : ',';
}

/**
 * Parses a MOS file and checks each row against the photos folder: rows whose photo is missing,
 * whose MOS is not a finite number, or which repeat an earlier file are skipped with a reason.
 */
export function readMosFile(
  path: string,
  photosDir: string,
  columns: { name?: string; mos?: string } = {},
): MosFile {
  const text = readFileSync(path, 'utf8');
  const records = parse(text, {
    bom: true,
    delimiter: delimiterOf(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (records.length === 0) throw new Error(`The MOS file ${path} is empty.`);
  const first = records[0]!.record;
  // A header row: any cell of the first row that is not a number where a MOS would be.
  const hasHeader =
    columns.name !== undefined ||
    columns.mos !== undefined ||
    first.length < 2 ||
    !isNumber(first[1] ?? '') ||
    first.some((cell) => NAME_HEADERS.includes(key(cell)) || MOS_HEADERS.includes(key(cell)));
  let nameAt = 0;
  let mosAt = 1;
  let nameColumn = '1';
  let mosColumn = '2';
  if (hasHeader) {
    nameAt = pickColumn(first, NAME_HEADERS, 'file name', columns.name);
    mosAt = pickColumn(first, MOS_HEADERS, 'MOS', columns.mos);
    nameColumn = first[nameAt]!;
    mosColumn = first[mosAt]!;
  }
  const root = resolve(photosDir);
  const rows: MosRow[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records.slice(hasHeader ? 1 : 0)) {
    const line = info.lines;
    const file = (record[nameAt] ?? '').trim();
    const mosText = (record[mosAt] ?? '').trim();
    const skip = (reason: string) => skipped.push({ line, file, reason });
    if (!file) {
      skip('no file name');
      continue;
    }
    if (!isNumber(mosText)) {
      skip(mosText ? `bad MOS "${mosText}"` : 'no MOS');
      continue;
    }
    const full = normalize(resolve(root, file));
    if (isAbsolute(file) || !full.startsWith(root + sep)) {
      skip('file name outside the photos folder');
      continue;
    }
    if (!existsSync(full) || !statSync(full).isFile()) {
      skip('missing file');
      continue;
    }
    if (seen.has(file)) {
      skip('repeats an earlier row');
      continue;
    }
    seen.add(file);
    rows.push({ file, mos: Number(mosText), line });
  }
  return { rows, skipped, nameColumn, mosColumn };
}
