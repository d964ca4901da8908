/**
 * The quality-map benchmark: the real app (production build) in headless Chromium on WASM, as a
 * person uses it: a photo is dropped and scored, then "Show where" scores each region of its grid
 * as a photo of its own. Reported per model: the grid, the whole map's time, and each region's
 * time (vision encoding of the crop, prefill, total; median and range over the regions). Run once
 * per model, with the machine's load average before and after beside the figures.
 *
 *   npm run bench:qmap                           # fixture and full-size random model, q8
 *   npm run bench:qmap -- --sizes fixture        # fixture only (about a minute)
 *
 * Writes bench-results/quality-map-latest.{json,md}. Never judges the figures.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, preview, type UserConfig } from 'vite';
import appConfig from '../../vite.config.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';
import { ensureTestPhotos, photoPath } from '../test-photos.ts';
import { CHROMIUM_ARGS, EXECUTABLE, freePort } from './bench.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { benchModels, ensureBenchModel, type BenchModel, type ModelSize } from './models.ts';
import { summarise, type Summary } from './stats.ts';

/** One model's quality-map figures. */
export interface QualityMapRow {
  model: string;
  precision: string;
  device: 'wasm';
  photo: string;
  grid: string;
  regions: number;
  /** The whole map, as the worker timed it (all regions, one after another). */
  mapMs: number;
  /** From the click on "Show where" until the map was drawn (what the person waits). */
  waitedMs: number;
  /** Per region, over the map's regions. */
  regionEncodeMs: Summary;
  regionPrefillMs: Summary;
  regionTotalMs: Summary;
  loadBefore: number;
  loadAfter: number;
}

const PHOTO = 'landscapeJpeg' as const;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function buildApp(outDir: string, models: BenchModel[]): Promise<void> {
  const app = appConfig as UserConfig;
  await build({
    ...app,
    configFile: false,
    logLevel: 'error',
    // public/models may hold e2e fixtures: the benchmark links its own model folders instead.
    publicDir: false,
    build: { ...app.build, outDir, emptyOutDir: true },
  });
  mkdirSync(join(outDir, 'models'), { recursive: true });
  for (const model of models) symlinkSync(model.dir, join(outDir, 'models', model.id), 'dir');
}

async function mapOnce(
  origin: string,
  model: BenchModel,
  precision: PrecisionName,
  profileRoot: string,
  log: (line: string) => void,
): Promise<QualityMapRow> {
  const profile = mkdtempSync(join(profileRoot, 'qmap-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`  [page exception] ${error.message}`));
    // The full-size model's score takes minutes on busy cores: a 10-minute hang limit keeps the
    // app from taking a slow step for a hung worker. The description is cut to one token so it
    // competes little with the map (the attribute questions still run, as in the app).
    await page.goto(
      `${origin}/?model=local:${model.id}&device=wasm&precision=${precision}&hang=600&maxTokens=1`,
    );
    // A model not yet in the browser's cache asks before downloading (a local folder may not).
    const status = page.getByTestId('model-status');
    await page.waitForFunction(
      () =>
        /needs-consent|loading|ready/.test(
          document.querySelector('[data-testid="model-status"]')?.getAttribute('data-status') ?? '',
        ),
      undefined,
      { timeout: 120_000, polling: 200 },
    );
    if ((await status.getAttribute('data-status')) === 'needs-consent') {
      await page.getByRole('button', { name: 'Download and load the model' }).click();
    }
    const ready = page.getByTestId('model-ready');
    await ready.waitFor({ timeout: 1_200_000 });
    log(`${model.id}: loaded`);
    await page.getByTestId('photo-input').setInputFiles([photoPath(PHOTO)]);
    await page.getByTestId('score-value').waitFor({ timeout: 1_200_000 });
    log(`${model.id}: photo scored, mapping`);
    const loadBefore = loadAverage();
    const panel = page.getByTestId('quality-map-panel');
    const started = Date.now();
    await panel.getByRole('button', { name: 'Show where' }).click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="quality-map-panel"]')?.getAttribute('data-status') ===
        'done',
      undefined,
      { timeout: 3_600_000, polling: 200 },
    );
    const waitedMs = Date.now() - started;
    const loadAfter = loadAverage();
    const mapMs = Number(await panel.getAttribute('data-ms'));
    const cells = await page.getByTestId('quality-map-region').evaluateAll((items) =>
      items.map((item) => ({
        encode: Number(item.getAttribute('data-encode-ms')),
        prefill: Number(item.getAttribute('data-prefill-ms')),
        total: Number(item.getAttribute('data-total-ms')),
      })),
    );
    const grid = (await page.getByTestId('quality-map').getAttribute('data-grid')) ?? '?';
    return {
      model: model.id,
      precision,
      device: 'wasm',
      photo: PHOTO,
      grid,
      regions: cells.length,
      mapMs,
      waitedMs,
      regionEncodeMs: summarise(cells.map((c) => c.encode)),
      regionPrefillMs: summarise(cells.map((c) => c.prefill)),
      regionTotalMs: summarise(cells.map((c) => c.total)),
      loadBefore,
      loadAfter,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export function qualityMapMarkdown(rows: QualityMapRow[]): string {
  const range = (s: Summary) => `${seconds(s.median)} (${seconds(s.min)}–${seconds(s.max)})`;
  return [
    '| model | precision | grid | map (worker) | map (click to drawn) | per region: total | per region: encode | per region: prefill | load avg before → after |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.precision} | ${r.grid} | ${seconds(r.mapMs)} | ${seconds(r.waitedMs)} | ` +
        `${range(r.regionTotalMs)} | ${range(r.regionEncodeMs)} | ${range(r.regionPrefillMs)} | ` +
        `${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} |`,
    ),
  ].join('\n');
}

/** Maps one photo on each size's model once; writes bench-results/quality-map-latest.{json,md}. */
export async function runQualityMapBench(
  sizes: ModelSize[],
  precision: PrecisionName,
  outDir: string,
  log: (line: string) => void,
): Promise<QualityMapRow[]> {
  await ensureTestPhotos();
  const models = sizes.flatMap((size) => benchModels(size, [precision], []));
  for (const model of models) {
    const made = ensureBenchModel(model);
    log(
      `${model.id}: ${made.skipped ? 'up to date' : `generated in ${made.seconds.toFixed(0)} s`}`,
    );
  }
  const dist = resolve('.cache/bench-qmap-dist');
  await buildApp(dist, models);
  const port = await freePort(4197);
  const server = await preview({
    ...(appConfig as UserConfig),
    configFile: false,
    logLevel: 'error',
    build: { ...(appConfig as UserConfig).build, outDir: dist },
    preview: { ...(appConfig as UserConfig).preview, port, strictPort: true, host: 'localhost' },
  });
  const profileRoot = resolve('.cache/bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const rows: QualityMapRow[] = [];
  try {
    for (const model of models) {
      const row = await mapOnce(`http://localhost:${port}`, model, precision, profileRoot, log);
      log(
        `${model.id}: map ${seconds(row.mapMs)}, per region ${seconds(row.regionTotalMs.median)}`,
      );
      rows.push(row);
    }
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
  mkdirSync(outDir, { recursive: true });
  const machine = machineInfo();
  const at = new Date().toISOString();
  writeFileSync(
    join(outDir, 'quality-map-latest.json'),
    JSON.stringify({ at, machine, rows }, null, 2),
  );
  writeFileSync(
    join(outDir, 'quality-map-latest.md'),
    `# Quality map benchmark (${at}, ${machine.cores} × ${machine.cpu})\n\n${qualityMapMarkdown(rows)}\n`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'fixture,full' },
      precision: { type: 'string', default: 'q8' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const started = performance.now();
  const log = (line: string) =>
    console.error(
      `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`,
    );
  const sizes = values.sizes.split(',').filter(Boolean) as ModelSize[];
  const rows = await runQualityMapBench(
    sizes,
    values.precision as PrecisionName,
    resolve(values.out),
    log,
  );
  console.log(qualityMapMarkdown(rows));
}
