/**
 * `npm run eval` end to end: the real runner, the eval page in headless Chromium, the app's model
 * worker on WASM with the fixture model, on 12 real photos blurred by known amounts with MOS values
 * chosen here. The printed SRCC and PLCC are checked against values this test computes itself
 * (scripts/spearman.ts and a Pearson written here, not the eval's own functions), and a run cut
 * short (--limit, then a half-written line) is resumed without scoring anything twice.
 * The fixture's weights are random: its correlations are meaningless, only their computation is
 * checked.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID, writeFixtureModel } from '../model-graphs/fixture-model.ts';
import { spearman } from '../spearman.ts';
import { distort, ensureTestPhotos, ladderSourcePath, loadRaw } from '../test-photos.ts';

const run = promisify(execFile);
const MODEL_DIR = resolve('.cache/models', `${FIXTURE_MODEL_ID}-eval`);
/** Blur σ per level (0: untouched) and the MOS given to each level. */
const BLUR = [0, 1, 2.5, 5];
const LEVEL_MOS = [4.6, 3.7, 2.6, 1.4];
const SOURCES = [
  { name: 'Dune', dir: '', offset: 0 },
  { name: 'Garden', dir: '', offset: 0.15 },
  // A folder with a space: names are paths relative to --photos, sent URL-encoded.
  { name: 'LadyBird', dir: 'close ups/', offset: -0.15 },
] as const;

let work: string;
let photos: string;
const mosOf = new Map<string, number>();

/** Pearson's correlation, written apart from scripts/eval/stats.ts. */
function pearsonHere(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i]! - mb), 0);
  const va = a.reduce((s, x) => s + (x - ma) ** 2, 0);
  const vb = b.reduce((s, x) => s + (x - mb) ** 2, 0);
  return cov / Math.sqrt(va * vb);
}

/** Rows of a CSV the eval wrote (its fields hold no commas or quotes). */
function csvRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const keys = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i]!, v])));
}

async function evalRun(...extra: string[]) {
  const args = [
    'tsx',
    'scripts/eval/cli.ts',
    '--photos',
    photos,
    '--mos',
    join(work, 'mos.csv'),
    '--model',
    `local:${MODEL_DIR}`,
    '--device',
    'wasm',
    '--mode',
    'both',
    '--out',
    join(work, 'out'),
    '--bootstrap',
    '200',
    ...extra,
  ];
  const { stdout, stderr } = await run('npx', args, { maxBuffer: 1 << 24, timeout: 240_000 });
  return { stdout, stderr };
}

beforeAll(async () => {
  writeFixtureModel(MODEL_DIR, ['q8']);
  await ensureTestPhotos();
  work = mkdtempSync(join(tmpdir(), 'quality-lens-eval-test-'));
  photos = join(work, 'photos');
  const lines = ['"image_name","MOS","SD"'];
  for (const source of SOURCES) {
    mkdirSync(join(photos, source.dir), { recursive: true });
    const raw = await loadRaw(ladderSourcePath(source.name), 224);
    for (const [level, sigma] of BLUR.entries()) {
      const photo = sigma === 0 ? raw : await distort(raw, 'blur', sigma);
      const file = `${source.dir}${source.name.toLowerCase()}-${level}.jpg`;
      await sharp(Buffer.from(photo.data.buffer), {
        raw: { width: photo.width, height: photo.height, channels: 4 },
      })
        .removeAlpha()
        .jpeg({ quality: 92 })
        .toFile(join(photos, file));
      const mos = (LEVEL_MOS[level]! + source.offset).toFixed(2);
      mosOf.set(file, Number(mos));
      lines.push(`"${file}","${mos}","0.3"`);
    }
  }
  // Two rows to skip: a photo that is not there, and one whose MOS is not a number.
  lines.push('"missing.jpg","3.10","0.2"');
  writeFileSync(join(photos, 'unlabelled.jpg'), readFileSync(join(photos, 'dune-0.jpg')));
  lines.push('"unlabelled.jpg","n/a","0.2"');
  writeFileSync(join(work, 'mos.csv'), `${lines.join('\r\n')}\r\n`);
  writeFileSync(
    join(work, 'qbench.json'),
    JSON.stringify([
      {
        img_path: 'dune-0.jpg',
        question: 'How is the clarity of this image?',
        candidates: ['High', 'Medium', 'Low'],
        correct_ans: 'High',
      },
      {
        img_path: 'close ups/ladybird-3.jpg',
        question: 'Is this image blurry?',
        candidates: ['Yes', 'No'],
        correct_ans: 'Yes',
      },
      {
        img_path: 'garden-0.jpg',
        question: 'Which colour dominates?',
        candidates: ['Green', 'Red'],
        correct_ans: 'Blue',
      },
    ]),
  );
}, 300_000);

describe('npm run eval', () => {
  let firstRows: string;

  it('scores part of the set, says which rows it skipped and why, and stops at --limit', async () => {
    const { stdout } = await evalRun('--limit', '7');
    expect(stdout).toContain(
      '14 rows (file names in column "image_name", MOS in column "MOS"): 12 used, 2 skipped',
    );
    expect(stdout).toMatch(/skipped line 14 missing\.jpg: missing file/);
    expect(stdout).toMatch(/skipped line 15 unlabelled\.jpg: bad MOS "n\/a"/);
    expect(stdout).toContain('Photos to score: 7 now (0 already');
    expect(stdout).toContain('17 left for a later run');
    firstRows = readFileSync(join(work, 'out', 'results.csv'), 'utf8');
    expect(csvRows(join(work, 'out', 'results.csv'))).toHaveLength(7);
    // A run killed while writing leaves half a line: the next run must drop it, not choke on it.
    appendFileSync(join(work, 'out', 'results.csv'), 'garden-2.jpg,2.75,2.9');
  }, 240_000);

  it('resumes without scoring a photo twice and prints SRCC and PLCC that match ours', async () => {
    const { stdout } = await evalRun('--qbench', join(work, 'qbench.json'));
    expect(stdout).toContain('Photos to score: 17 now (7 already');
    const text = readFileSync(join(work, 'out', 'results.csv'), 'utf8');
    // The first run's rows are kept byte for byte (their timings too: nothing was redone).
    expect(text.startsWith(firstRows)).toBe(true);
    const rows = csvRows(join(work, 'out', 'results.csv'));
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.error === '')).toBe(true);

    const summary = JSON.parse(readFileSync(join(work, 'out', 'summary.json'), 'utf8'));
    for (const [mode, label] of [
      ['fast', 'Fast (single crop)'],
      ['reference', 'Reference (anyres)'],
    ] as const) {
      const mine = rows.filter((r) => r.mode === mode);
      expect(new Set(mine.map((r) => r.file))).toEqual(new Set(mosOf.keys()));
      // Fast is one 384 crop; reference tiles the photo (more image tokens).
      for (const r of mine)
        expect(Number(r.image_tokens))[mode === 'fast' ? 'toBe' : 'toBeGreaterThan'](729);
      const scores = mine.map((r) => Number(r.score));
      const mos = mine.map((r) => mosOf.get(r.file!)!);
      expect(mine.map((r) => Number(r.mos))).toEqual(mos);
      for (const r of mine) {
        const p = ['p_excellent', 'p_good', 'p_fair', 'p_poor', 'p_bad'].map((k) => Number(r[k]));
        expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
        expect(Number(r.score)).toBeCloseTo(
          5 * p[0]! + 4 * p[1]! + 3 * p[2]! + 2 * p[3]! + p[4]!,
          6,
        );
      }
      expect(new Set(scores).size).toBeGreaterThan(6);
      const line = stdout.split('\n').find((l) => l.trim().startsWith(`${label}:`));
      expect(line, `a line for ${label}`).toBeDefined();
      const printed =
        /n=(\d+)\s+SRCC (-?[\d.]+) \[(-?[\d.]+), (-?[\d.]+)\]\s+PLCC (undefined|-?[\d.]+).*PLCC raw (-?[\d.]+) \[/.exec(
          line!,
        );
      expect(printed, line).not.toBeNull();
      const [, n, srcc, low, high, plcc, plccRaw] = printed!;
      expect(Number(n)).toBe(12);
      expect(Number(srcc)).toBeCloseTo(spearman(scores, mos), 4);
      expect(Number(plccRaw)).toBeCloseTo(pearsonHere(scores, mos), 4);
      expect(Number(low)).toBeLessThanOrEqual(Number(srcc));
      expect(Number(high)).toBeGreaterThanOrEqual(Number(srcc));
      const fitted = summary.modes[mode].plcc.value as number | null;
      if (plcc === 'undefined') expect(fitted).toBeNull();
      else expect(Number(plcc)).toBeCloseTo(fitted!, 4);
    }

    // Q-Bench: two questions asked in each mode, one skipped (its answer is not a candidate).
    expect(stdout).toContain('3 in');
    expect(stdout).toMatch(/2 asked, 1 skipped/);
    expect(stdout).toMatch(
      /skipped question 2 \(garden-0\.jpg\): the answer "Blue" is not a candidate/,
    );
    const answers = csvRows(join(work, 'out', 'qbench.csv'));
    expect(answers).toHaveLength(4);
    for (const mode of ['fast', 'reference']) {
      const mine = answers.filter((a) => a.mode === mode);
      const right = mine.filter((a) => a.predicted === a.correct).length;
      expect(stdout).toContain(`accuracy ${((100 * right) / 2).toFixed(1)} % (${right} of 2)`);
      for (const a of mine) {
        const options = a.probabilities!.split(' ').map((o) => {
          const [word, p] = o.split(':');
          return { word: word!, p: Number(p) };
        });
        const top = options.reduce((b, o) => (o.p > b.p ? o : b));
        expect(a.predicted).toBe(top.word);
      }
    }
  }, 240_000);

  it('a third run has nothing to do: it loads no model and changes no result', async () => {
    const before = readFileSync(join(work, 'out', 'results.csv'), 'utf8');
    const answers = readFileSync(join(work, 'out', 'qbench.csv'), 'utf8');
    const { stdout, stderr } = await evalRun('--qbench', join(work, 'qbench.json'));
    expect(stdout).toContain('Photos to score: 0 now (24 already');
    expect(stderr).not.toContain('model loaded');
    expect(readFileSync(join(work, 'out', 'results.csv'), 'utf8')).toBe(before);
    expect(readFileSync(join(work, 'out', 'qbench.csv'), 'utf8')).toBe(answers);
  }, 240_000);
});
