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
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { FIXTURE_MODEL_ID, writeFixtureModel } from '../model-graphs/fixture-model.ts';
import { ensureShootPhotos } from '../shoot-photos.ts';
import { inFreshBrowser, runDropBenchCli, serveAppBuild, writeLatest } from './app-bench.ts';
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

async function dropShoot(
  origin: string,
  photos: string[],
  megapixels: number,
  log: (line: string) => void,
): Promise<ShootRow> {
  return inFreshBrowser('shoot', async (page, context, profile) => {
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
  });
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
  const app = await serveAppBuild(resolve('.cache/bench-shoot-dist'), 4195, {
    id: FIXTURE_MODEL_ID,
    dir: modelDir,
  });
  const rows: ShootRow[] = [];
  try {
    for (const count of counts) {
      log(`shoot: dropping ${count} photos`);
      const row = await dropShoot(app.origin, photos.slice(0, count), megapixels, log);
      log(
        `shoot: ${count} photos measured in ${seconds(row.measuredMs)}, scored in ${seconds(row.scoredMs)}, renderer peak ${row.rendererPeakMiB.toFixed(0)} MiB`,
      );
      rows.push(row);
    }
  } finally {
    await app.close();
  }
  writeLatest(outDir, 'shoot', 'Shoot benchmark', rows, shootMarkdown(rows));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDropBenchCli({ counts: '20,200', longSide: '4000' }, runShootBench, shootMarkdown);
}
