/**
 * `npm run eval`: scores a labelled photo set with the app's own model worker in headless Chromium
 * (WebGPU where present, else WASM) and prints SRCC and PLCC with 95 % bootstrap intervals per
 * image mode; with `--qbench`, answers Q-Bench-style multiple-choice questions and prints the
 * accuracy. Results are appended to a CSV as each photo is done; a rerun skips what is there.
 * Output format: docs/SCORING.md#npm-run-eval.
 *
 * npm run eval -- --photos <folder> --mos <file.csv> [--mode fast|reference|both]
 *   [--model <hub id | local:folder>] [--out <dir>] [--qbench <file.json>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { IMAGE_MODE_LABELS, type ImageMode } from '../../src/model/image-mode.ts';
import { PRESETS, type PresetName } from '../../src/model/precision.ts';
import { DEFAULT_HUB_HOST, DEFAULT_MODEL_ID } from '../../src/model/source.ts';
import type { EvalLoaded, EvalLoadSpec } from '../../src/eval/protocol.ts';
import { loadAverage } from '../bench/machine.ts';
import { openEvalBrowser, type EvalBrowser } from './browser.ts';
import { readMosFile, type MosRow } from './mos.ts';
import { progressBar } from './progress.ts';
import { askQuestions, type QbenchSummary } from './qbench-run.ts';
import { appendResult, readResults, resultKey, type ResultRow } from './results.ts';
import { correlations, type CorrelationSummary, type Estimate } from './stats.ts';

const USAGE = `Usage: npm run eval -- --photos <folder> --mos <file.csv> [options]
  --photos <folder>       photos the MOS file names (relative paths)
  --mos <file.csv>        file name and MOS per row (KonIQ/SPAQ/LIVE-C/KADID/AGIQA style)
  --mode fast|reference|both   image mode(s) to score in (default fast)
  --model <id>            Hub id (default ${DEFAULT_MODEL_ID}) or local:<folder>
                          (public/models/<folder>, or a path to a model folder)
  --out <dir>             where results.csv, summary.json, skipped.csv go (default eval-results)
  --qbench <file.json>    Q-Bench-style multiple-choice questions (images under --qbench-photos,
                          default --photos)
  --device auto|webgpu|wasm    (default auto: WebGPU where present, else WASM)
  --precision q4f16|q4|q8|fp16|fp32   (default the app's for the device)
  --hub <url>             Hub host or mirror (default ${DEFAULT_HUB_HOST})
  --bootstrap <n>         bootstrap resamples (default 1000); --seed <n> (default 1)
  --limit <n>             score at most n photos this run (the rest on the next run)
  --name-column, --mos-column <header>   when the MOS file's headers are not recognised
  --browser-arg <flag>    extra Chromium flag (repeatable)`;

/** An estimate as "0.8123 [0.7801, 0.8412]". */
const formatEstimate = (e: Estimate) =>
  Number.isNaN(e.value)
    ? 'undefined'
    : `${e.value.toFixed(4)} [${e.low.toFixed(4)}, ${e.high.toFixed(4)}]`;

function fail(message: string): never {
  console.error(`eval: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    photos: { type: 'string' },
    mos: { type: 'string' },
    mode: { type: 'string', default: 'fast' },
    model: { type: 'string', default: DEFAULT_MODEL_ID },
    out: { type: 'string', default: 'eval-results' },
    qbench: { type: 'string' },
    'qbench-photos': { type: 'string' },
    device: { type: 'string', default: 'auto' },
    precision: { type: 'string' },
    hub: { type: 'string', default: DEFAULT_HUB_HOST },
    bootstrap: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    limit: { type: 'string' },
    'name-column': { type: 'string' },
    'mos-column': { type: 'string' },
    'browser-arg': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.photos && !args['qbench-photos']) fail('--photos is required.');
if (!args.mos && !args.qbench) fail('give --mos (scores) or --qbench (questions), or both.');
const modes: ImageMode[] =
  args.mode === 'both'
    ? ['fast', 'reference']
    : args.mode === 'fast' || args.mode === 'reference'
      ? [args.mode]
      : fail(`--mode must be fast, reference or both, not "${args.mode}".`);
if (!['auto', 'webgpu', 'wasm'].includes(args.device)) fail(`--device: auto, webgpu or wasm.`);
if (args.precision && !(args.precision in PRESETS))
  fail(`--precision must be one of ${Object.keys(PRESETS).join(', ')}.`);
const samples = Number(args.bootstrap);
const seed = Number(args.seed);
const limit = args.limit === undefined ? Infinity : Number(args.limit);
if (!Number.isInteger(samples) || samples < 0) fail('--bootstrap must be a whole number.');
if (!Number.isInteger(seed)) fail('--seed must be a whole number.');
if (!(limit >= 0)) fail('--limit must be a number.');

const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const photosDir = resolve(args.photos ?? args['qbench-photos']!);
const qbenchPhotosDir = resolve(args['qbench-photos'] ?? photosDir);
const resultsPath = join(outDir, 'results.csv');
const log = (line: string) => console.error(line);

// The labelled photos, and what was left out of them.
let labelled: MosRow[] = [];
if (args.mos) {
  let mos;
  try {
    mos = readMosFile(args.mos, photosDir, {
      name: args['name-column'],
      mos: args['mos-column'],
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  labelled = mos.rows;
  console.log(
    `MOS file: ${mos.rows.length + mos.skipped.length} rows (file names in column "${mos.nameColumn}", MOS in column "${mos.mosColumn}"): ${mos.rows.length} used, ${mos.skipped.length} skipped`,
  );
  for (const s of mos.skipped.slice(0, 20))
    console.log(`  skipped line ${s.line} ${s.file || '(no name)'}: ${s.reason}`);
  if (mos.skipped.length > 20) console.log(`  … and ${mos.skipped.length - 20} more`);
  writeFileSync(
    join(outDir, 'skipped.csv'),
    stringify(mos.skipped, { header: true, columns: ['line', 'file', 'reason'] }),
  );
  if (mos.skipped.length > 0) console.log(`  (all skipped rows: ${join(outDir, 'skipped.csv')})`);
}

const spec: Omit<EvalLoadSpec, 'model'> = {
  device: args.device as EvalLoadSpec['device'],
  precision: args.precision as PresetName | undefined,
  hubHost: args.hub,
};
const browser: EvalBrowser = await openEvalBrowser({
  photoFolders: [photosDir, qbenchPhotosDir],
  model: args.model,
  browserArgs: args['browser-arg'],
  log,
});
const load = { start: loadAverage(), max: loadAverage() };
let code = 0;
try {
  const runtime = await browser.call('runtime', { ...spec, model: browser.model });
  const tag = { model: args.model, precision: runtime.precision };
  const previous = readResults(resultsPath);
  const done = new Set(previous.map(resultKey));
  const todo = modes.flatMap((mode) =>
    labelled
      .filter((row) => !done.has(resultKey({ file: row.file, mode, ...tag })))
      .map((row) => ({ row, mode })),
  );
  const alreadyDone = labelled.length * modes.length - todo.length;
  const now = todo.slice(0, Math.min(todo.length, limit));
  console.log(
    `Model ${args.model} on ${runtime.device} (${runtime.precision}${runtime.adapter ? `, WebGPU adapter ${runtime.adapter}${runtime.device === 'webgpu' ? '' : ' not used'}` : ''}); ${browser.browserVersion}`,
  );
  console.log(
    `Photos to score: ${now.length} now (${alreadyDone} already in ${resultsPath}${todo.length > now.length ? `, ${todo.length - now.length} left for a later run (--limit)` : ''})`,
  );

  let loaded: EvalLoaded | null = null;
  const ensureLoaded = async () => {
    if (loaded) return;
    const started = performance.now();
    const model = await browser.call('load', { ...spec, model: browser.model });
    if (model.precision !== runtime.precision || model.device !== runtime.device)
      throw new Error(
        `loaded ${model.device} ${model.precision}, expected ${runtime.device} ${runtime.precision}`,
      );
    loaded = model;
    log(`model loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  /**
   * Runs a call; when the model worker died under it (the client starts a fresh worker, without
   * the model), loads the model again and retries once, so one crash does not fail every photo
   * after it.
   */
  const withModel = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (
        !/not loaded yet|model worker stopped|GPU device running the model was lost/.test(message)
      )
        throw error;
      log(`the model worker stopped (${message.split('\n')[0]}): loading the model again`);
      loaded = null;
      await ensureLoaded();
      return call();
    }
  };

  if (now.length > 0) {
    await ensureLoaded();
    const bar = progressBar(now.length, 'scoring');
    let failures = 0;
    for (const [i, { row, mode }] of now.entries()) {
      bar.update(i, `${mode} ${row.file}`);
      const base = { file: row.file, mos: String(row.mos), mode, ...tag, backend: runtime.device };
      let result: ResultRow;
      try {
        const s = await withModel(() => browser.call('score', browser.photoUrl(0, row.file), mode));
        result = {
          ...base,
          score: String(s.score),
          p_excellent: String(s.probabilities[0]),
          p_good: String(s.probabilities[1]),
          p_fair: String(s.probabilities[2]),
          p_poor: String(s.probabilities[3]),
          p_bad: String(s.probabilities[4]),
          image_tokens: String(s.imageTokens),
          width: String(s.width),
          height: String(s.height),
          ms: s.ms.toFixed(0),
          error: '',
        };
      } catch (error) {
        failures++;
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        result = {
          ...base,
          ...Object.fromEntries(
            ['score', 'p_excellent', 'p_good', 'p_fair', 'p_poor', 'p_bad'].map((k) => [k, '']),
          ),
          image_tokens: '',
          width: '',
          height: '',
          ms: '',
          error: message.replace(/^page\.evaluate: (Error: )?/, ''),
        } as ResultRow;
      }
      appendResult(resultsPath, result);
      load.max = Math.max(load.max, loadAverage());
    }
    bar.update(now.length, 'done');
    bar.stop();
    if (failures > 0) console.log(`${failures} photos failed (their error is in results.csv)`);
  }

  // Statistics over every result of this model and precision for the photos of this MOS file.
  const summary: Record<string, unknown> = {
    model: args.model,
    backend: runtime.device,
    precision: runtime.precision,
    browser: browser.browserVersion,
    loadAverage: load,
    modes: {} as Record<string, CorrelationSummary | null>,
  };
  if (labelled.length > 0) {
    const rows = readResults(resultsPath);
    const mosOf = new Map(labelled.map((r) => [r.file, r.mos]));
    console.log(
      `\nSRCC and PLCC against MOS (95 % bootstrap intervals, ${samples} resamples, seed ${seed}); PLCC is after the 4-parameter logistic fit, "raw" before it:`,
    );
    for (const mode of modes) {
      const mine = rows.filter(
        (r) =>
          r.mode === mode &&
          r.model === tag.model &&
          r.precision === tag.precision &&
          r.error === '' &&
          mosOf.has(r.file),
      );
      const scores = mine.map((r) => Number(r.score));
      const mos = mine.map((r) => mosOf.get(r.file)!);
      const label = IMAGE_MODE_LABELS[mode];
      if (mine.length < 3) {
        console.log(`  ${label}: ${mine.length} photos scored — too few for a correlation`);
        (summary.modes as Record<string, unknown>)[mode] = null;
        continue;
      }
      const c = correlations(scores, mos, samples, seed);
      (summary.modes as Record<string, unknown>)[mode] = c;
      const missing = labelled.length - mine.length;
      console.log(
        `  ${label}: n=${c.n}${missing > 0 ? ` (${missing} not scored)` : ''}  SRCC ${formatEstimate(c.srcc)}  PLCC ${formatEstimate(c.plcc)}  PLCC raw ${formatEstimate(c.plccRaw)}`,
      );
    }
  }

  if (args.qbench) {
    const qbench: QbenchSummary = await askQuestions({
      file: args.qbench,
      photosDir: qbenchPhotosDir,
      outDir,
      modes,
      tag,
      backend: runtime.device,
      browser,
      limit,
      ensureLoaded,
      withModel,
    });
    summary.qbench = qbench;
  }
  summary.loadAverage = { ...load, end: loadAverage() };
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nPer-photo results: ${resultsPath}; summary: ${join(outDir, 'summary.json')}`);
} catch (error) {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);
