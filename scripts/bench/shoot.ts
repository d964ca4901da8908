/**
 * The shoot benchmark: the real app (production build, fixture model on WASM) in headless
 * Chromium, with N photos of 12 MP dropped at once through the file picker. For each N it reports
 * how long until every photo is measured and scored, photos per minute for each, and the peak
 * memory of the renderer (which holds the page and its workers) and GPU processes. The ratio of
 * the renderer peak at the largest N to the smallest is the pipeline's memory goal (≤ 1.3).
 *
 *   npm run bench:shoot                          # 20 and 200 photos of 12 MP
 *   npm run bench:shoot -- --counts 10,50 --long-side 2048
 *
 * Writes bench-results/shoot-latest.{json,md}. Never judges the figures; exits non-zero only when
 * a run did not finish.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, preview, type UserConfig } from 'vite';
import appConfig from '../../vite.config.ts';
import { FIXTURE_MODEL_ID, writeFixtureModel } from '../model-graphs/fixture-model.ts';
import { ensureShootPhotos } from '../shoot-photos.ts';
import { CHROMIUM_ARGS, EXECUTABLE, freePort } from './bench.ts';
import { readPeaks, resetPeaks } from './process-memory.ts';

/** One drop of `photos` photos. */
export interface ShootRow {
  photos: number;
  megapixels: number;
  /** From the drop until every photo is measured / scored. */
  measuredMs: number;
  scoredMs: number;
  pixelsPerMinute: number;
  scoresPerMinute: number;
  rendererPeakMiB: number;
  gpuPeakMiB: number;
  /** The page's main-thread JS heap once every photo is scored, after a garbage collection. */
  mainHeapMiB?: number;
  loadAverage: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function buildApp(outDir: string, modelDir: string): Promise<void> {
  const app = appConfig as UserConfig;
  await build({
    ...app,
    configFile: false,
    logLevel: 'error',
    // public/models may hold e2e fixtures: the benchmark links its own model folder instead.
    publicDir: false,
    build: { ...app.build, outDir, emptyOutDir: true },
  });
  mkdirSync(join(outDir, 'models'), { recursive: true });
  symlinkSync(resolve(modelDir), join(outDir, 'models', FIXTURE_MODEL_ID), 'dir');
}

async function dropShoot(
  origin: string,
  photos: string[],
  megapixels: number,
  profileRoot: string,
  log: (line: string) => void,
): Promise<ShootRow> {
  const profile = mkdtempSync(join(profileRoot, 'shoot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`  [page exception] ${error.message}`));
    await page.goto(`${origin}/?model=local:${FIXTURE_MODEL_ID}&device=wasm&precision=q8`);
    await page.getByTestId('model-ready').waitFor({ timeout: 120_000 });
    resetPeaks(profile);
    const started = Date.now();
    await page.getByTestId('photo-input').setInputFiles(photos);
    const progress = page.getByTestId('work-progress');
    const reached = async (attribute: string) => {
      await page.waitForFunction(
        ([name, n]) =>
          document.querySelector('[data-testid="work-progress"]')?.getAttribute(name) === n,
        [attribute, String(photos.length)] as const,
        { timeout: 3_600_000, polling: 200 },
      );
      return Date.now() - started;
    };
    const measuredMs = await reached('data-measured');
    const scoredMs = await reached('data-scored');
    const failed = Number(await progress.getAttribute('data-failed'));
    if (failed > 0) log(`  ${failed} photos failed`);
    const peaks = readPeaks(profile);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    return {
      photos: photos.length,
      megapixels,
      measuredMs,
      scoredMs,
      pixelsPerMinute: (photos.length / measuredMs) * 60_000,
      scoresPerMinute: (photos.length / scoredMs) * 60_000,
      rendererPeakMiB: peaks.renderer,
      gpuPeakMiB: peaks.gpu,
      mainHeapMiB: heap.usedSize / 2 ** 20,
      loadAverage: loadavg()[0]!,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export function shootMarkdown(rows: ShootRow[]): string {
  const lines = [
    '| photos | MP each | all measured | all scored | pixels / min | scores / min | renderer peak | GPU process peak | main JS heap after | load avg |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.photos} | ${r.megapixels.toFixed(1)} | ${seconds(r.measuredMs)} | ${seconds(r.scoredMs)} | ` +
        `${r.pixelsPerMinute.toFixed(0)} | ${r.scoresPerMinute.toFixed(0)} | ${r.rendererPeakMiB.toFixed(0)} MiB | ` +
        `${r.gpuPeakMiB.toFixed(0)} MiB | ${r.mainHeapMiB?.toFixed(1) ?? '–'} MiB | ${r.loadAverage.toFixed(1)} |`,
    ),
  ];
  const first = rows[0];
  const last = rows.at(-1);
  if (first && last && last !== first) {
    const perPhotoKiB =
      ((last.rendererPeakMiB - first.rendererPeakMiB) * 1024) / (last.photos - first.photos);
    lines.push(
      '',
      `Renderer peak at ${last.photos} photos ÷ at ${first.photos}: **${(last.rendererPeakMiB / first.rendererPeakMiB).toFixed(2)}** ` +
        `(goal ≤ 1.2); ${perPhotoKiB.toFixed(0)} KiB more a photo.`,
    );
  }
  return lines.join('\n');
}

/** Runs the drops and writes bench-results/shoot-latest.{json,md}. */
export async function runShootBench(
  counts: number[],
  longSide: number,
  outDir: string,
  log: (line: string) => void,
): Promise<ShootRow[]> {
  const modelDir = resolve('.cache/bench-shoot-model', FIXTURE_MODEL_ID);
  writeFixtureModel(modelDir, ['q8']);
  const photos = await ensureShootPhotos(Math.max(...counts), longSide);
  const megapixels = (longSide * Math.round((longSide * 3) / 4)) / 1e6;
  log(`shoot: ${photos.length} photos of ${megapixels.toFixed(1)} MP ready`);
  const dist = resolve('.cache/bench-shoot-dist');
  await buildApp(dist, modelDir);
  const port = await freePort(4195);
  const server = await preview({
    ...(appConfig as UserConfig),
    configFile: false,
    logLevel: 'error',
    build: { ...(appConfig as UserConfig).build, outDir: dist },
    preview: { ...(appConfig as UserConfig).preview, port, strictPort: true, host: 'localhost' },
  });
  const profileRoot = resolve('.cache/bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const rows: ShootRow[] = [];
  try {
    for (const count of counts) {
      log(`shoot: dropping ${count} photos`);
      const row = await dropShoot(
        `http://localhost:${port}`,
        photos.slice(0, count),
        megapixels,
        profileRoot,
        log,
      );
      log(
        `shoot: ${count} photos measured in ${seconds(row.measuredMs)}, scored in ${seconds(row.scoredMs)}, renderer peak ${row.rendererPeakMiB.toFixed(0)} MiB`,
      );
      rows.push(row);
    }
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
  mkdirSync(outDir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  writeFileSync(
    join(outDir, 'shoot-latest.json'),
    JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2),
  );
  writeFileSync(
    join(outDir, 'shoot-latest.md'),
    `# Shoot benchmark (${new Date().toISOString()}, ${machine})\n\n${shootMarkdown(rows)}\n`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      counts: { type: 'string', default: '20,200' },
      'long-side': { type: 'string', default: '4000' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const started = performance.now();
  const log = (line: string) =>
    console.error(
      `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`,
    );
  const counts = values.counts
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const rows = await runShootBench(counts, Number(values['long-side']), resolve(values.out), log);
  console.log(shootMarkdown(rows));
  if (rows.length !== counts.length) process.exitCode = 1;
}
