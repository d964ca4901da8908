/**
 * The compare-two benchmark: the app's two-image comparison (model/worker/compare.ts) through the
 * benchmark page in headless Chromium on WASM, as the compare view asks it. Both photos are scored
 * first (as in the app, so their features are held), then:
 *   - one question, both orders, for a new pair (each order's shared prefix is made: two images);
 *   - the same question again (both orders continue from the cached prefixes);
 *   - what the compare view asks, from those cached prefixes: four questions, both orders, and a
 *     reason of `reasonTokens` tokens (a new pair adds the first row's prefix cost to it).
 * Run once per model with the machine's load average beside the figures.
 *
 *   npm run bench:compare                          # fixture and full-size random model, q8
 *   npm run bench:compare -- --sizes fixture       # fixture only (about a minute)
 *
 * Writes bench-results/compare-latest.{json,md}. Never judges the figures.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { preview } from 'vite';
import { COMPARE_QUESTIONS, type CompareAspect } from '../../src/model/compare.ts';
import type { BenchPageApi, CompareFigures, LoadSpec } from '../../src/bench/protocol.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';
import { ensureTestPhotos, photoPath, type TestPhotoName } from '../test-photos.ts';
import { CHROMIUM_ARGS, EXECUTABLE, freePort } from './bench.ts';
import { buildBenchPage, stageFiles } from './build.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { benchModels, ensureBenchModel, type ModelSize } from './models.ts';
import { BENCH_PAGE, benchViteConfig } from './vite-bench-config.ts';

/** One model's comparison figures. */
export interface CompareRow {
  model: string;
  precision: string;
  device: 'wasm';
  imageTokensPerPhoto: number;
  promptTokens: number;
  /** One question, both orders, on a pair never compared (pair prefixes made). */
  newPair: CompareFigures;
  /** The same question again: both orders continued from the cached prefixes. */
  cachedPair: CompareFigures;
  /** The compare view's full ask from the cached prefixes: every question, both orders, reason. */
  fullAsk: CompareFigures;
  reasonTokens: number;
  /** Load average (1 min) before and after this model's figures. */
  loadBefore: number;
  loadAfter: number;
}

const PHOTOS: [TestPhotoName, TestPhotoName] = ['landscapeJpeg', 'png'];

function call<K extends keyof BenchPageApi>(
  page: Page,
  method: K,
  ...args: Parameters<BenchPageApi[K]>
): Promise<Awaited<ReturnType<BenchPageApi[K]>>> {
  return page.evaluate(
    ([name, list]) => {
      const bench = (window as unknown as { qualityLensBench: Record<string, unknown> })
        .qualityLensBench;
      return (bench[name] as (...a: unknown[]) => unknown)(...list);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<BenchPageApi[K]>>>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Measures the comparison on each size's model once. */
export async function runCompareBench(
  sizes: ModelSize[],
  precision: PrecisionName,
  reasonTokens: number,
  log: (line: string) => void,
): Promise<CompareRow[]> {
  const models = sizes.flatMap((size) => benchModels(size, [precision], []));
  for (const model of models) {
    const made = ensureBenchModel(model);
    log(
      `${model.id}: ${made.skipped ? 'up to date' : `generated in ${made.seconds.toFixed(0)} s`}`,
    );
  }
  await ensureTestPhotos();
  const outDir = resolve('.cache/bench-dist');
  if (await buildBenchPage(outDir)) log('benchmark page built');
  stageFiles(outDir, models, PHOTOS.map(photoPath));
  const port = await freePort(4196);
  const server = await preview(benchViteConfig(outDir, port));
  const origin = `http://localhost:${port}`;
  const photos = PHOTOS.map((name, i) => ({
    url: `${origin}/photos/${photoPath(name).split('/').pop()}`,
    id: `photo-${i}`,
  })) as [{ url: string; id: string }, { url: string; id: string }];
  const profileRoot = resolve('.cache/bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(profileRoot, 'cmp-')), {
    executablePath: EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const rows: CompareRow[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`  [page exception] ${error.message}`));
    await page.goto(`${origin}/${BENCH_PAGE}`);
    await page.waitForFunction(() => 'qualityLensBench' in window);
    const all = COMPARE_QUESTIONS.map((q) => q.aspect);
    const overall: CompareAspect[] = ['overall'];
    for (const model of models) {
      // A loaded 2-core machine can take minutes for one full-size call.
      const spec: LoadSpec = { modelId: model.id, device: 'wasm', precision, hangMs: 900_000 };
      const loadBefore = loadAverage();
      await call(page, 'load', spec);
      for (const photo of photos) await call(page, 'score', photo.url, photo.id);
      log(`${model.id}: loaded, both photos scored (load average ${loadBefore.toFixed(2)})`);
      const newPair = await call(page, 'compare', photos, overall, 0);
      log(`${model.id}: new pair, one question, both orders ${seconds(newPair.endToEndMs)}`);
      const cachedPair = await call(page, 'compare', photos, overall, 0);
      log(`${model.id}: same pair again ${seconds(cachedPair.endToEndMs)}`);
      // The rest of what the compare view asks, from the pair's cached prefixes.
      const fullAsk = await call(page, 'compare', photos, all, reasonTokens);
      log(`${model.id}: the compare view's ask ${seconds(fullAsk.endToEndMs)}`);
      rows.push({
        model: model.id,
        precision,
        device: 'wasm',
        imageTokensPerPhoto: newPair.imageTokensPerPhoto,
        promptTokens: newPair.promptTokens,
        newPair,
        cachedPair,
        fullAsk,
        reasonTokens,
        loadBefore,
        loadAfter: loadAverage(),
      });
      await call(page, 'unload');
    }
  } finally {
    await context.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
  return rows;
}

/** The rows as a Markdown table. */
export function compareMarkdown(rows: CompareRow[]): string {
  const lines = [
    '| model | precision | tokens per photo / prompt | new pair: 1 question, both orders | same question again | compare view (cached prefixes): 4 questions × 2 orders + reason | load average |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const split = (f: CompareFigures) =>
      `${seconds(f.endToEndMs)} (A first ${seconds(f.timings.forwardMs)}, B first ${seconds(f.timings.swappedMs)}${f.timings.reasonMs ? `, reason ${seconds(f.timings.reasonMs)}` : ''})`;
    lines.push(
      `| ${r.model} | ${r.precision} | ${r.imageTokensPerPhoto} / ${r.promptTokens} | ${split(r.newPair)} | ${split(r.cachedPair)} | ${split(r.fullAsk)} | ${r.loadBefore.toFixed(2)} → ${r.loadAfter.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** Writes bench-results/compare-latest.{json,md}. */
export function writeCompareReport(rows: CompareRow[], outDir: string) {
  mkdirSync(outDir, { recursive: true });
  const machine = machineInfo();
  const at = new Date().toISOString();
  writeFileSync(
    join(outDir, 'compare-latest.json'),
    JSON.stringify({ at, machine, rows }, null, 2),
  );
  writeFileSync(
    join(outDir, 'compare-latest.md'),
    `# Compare-two benchmark (${at}, WASM, run once)\n\n${compareMarkdown(rows)}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'fixture,full' },
      precision: { type: 'string', default: 'q8' },
      'reason-tokens': { type: 'string', default: '16' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const started = performance.now();
  const log = (line: string) =>
    console.error(
      `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`,
    );
  const sizes = values.sizes
    .split(',')
    .filter((s): s is ModelSize => s === 'fixture' || s === 'full');
  const rows = await runCompareBench(
    sizes,
    values.precision as PrecisionName,
    Number(values['reason-tokens']),
    log,
  );
  writeCompareReport(rows, resolve(values.out));
  console.log(compareMarkdown(rows));
  if (rows.length !== sizes.length) process.exitCode = 1;
}
