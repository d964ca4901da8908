/**
 * Benchmark of the instant pixel analysis: a real 24 MP camera-sized JPEG is decoded and measured
 * by the app's own pixels worker in Chromium (Vite dev server, real client.ts), several times; the
 * main thread's long tasks are recorded meanwhile. The pure measures are also timed in Node.
 *
 * Usage: npm run bench:pixels  (writes bench-results/pixels.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import { createServer, type Plugin } from 'vite';
import { analysePixels } from '../../src/pixels/worker/measures/analyse.ts';
import { ensureTestPhotos, photoPath } from '../test-photos.ts';

const RUNS = 6;
const ROOT = resolve(import.meta.dirname, '../..');

/** A bare page that loads the app's pixels client and times it. */
const benchPage: Plugin = {
  name: 'pixels-bench-page',
  configureServer(server) {
    server.middlewares.use('/__bench/pixels', (_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><script type="module">
        import { decodePhoto, analysePhoto, warmUpPixels } from '/src/pixels/client.ts';
        window.benchPixels = async (url, runs, warmUp) => {
          const blob = await (await fetch(url)).blob();
          // As the app does after loading: start the worker and compile the measures first.
          if (warmUp) {
            warmUpPixels();
            await new Promise((r) => setTimeout(r, 2000));
          }
          const longTasks = [];
          new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(e.duration)))
            .observe({ type: 'longtask' });
          const results = [];
          for (let i = 0; i < runs; i++) {
            const t0 = performance.now();
            const photo = await decodePhoto(blob);
            const t1 = performance.now();
            const analysis = await analysePhoto(photo);
            const t2 = performance.now();
            results.push({ decodeMs: t1 - t0, analyseMs: t2 - t1, workerMeasureMs: analysis.elapsedMs,
              totalMs: t2 - t0, width: photo.width, height: photo.height });
            photo.bitmap.close();
          }
          await new Promise((r) => setTimeout(r, 100));
          return { results, longTasks };
        };
      </script>`);
    });
  },
};

interface BenchRun {
  results: {
    decodeMs: number;
    analyseMs: number;
    workerMeasureMs: number;
    totalMs: number;
    width: number;
    height: number;
  }[];
  longTasks: number[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

await ensureTestPhotos();
const file = photoPath('jpeg24mp');
const server = await createServer({
  root: ROOT,
  configFile: join(ROOT, 'vite.config.ts'),
  plugins: [benchPage],
  server: { port: 0, strictPort: false },
  logLevel: 'error',
});
await server.listen();
const address = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking'],
});
try {
  const run = async (warmUp: boolean) => {
    const page = await browser.newPage();
    await page.goto(new URL('__bench/pixels', address).href);
    await page.waitForFunction(() => 'benchPixels' in window);
    const measured = await page.evaluate(
      ([url, runs, warm]) =>
        (
          window as unknown as {
            benchPixels: (u: string, r: number, w: boolean) => Promise<BenchRun>;
          }
        ).benchPixels(url, runs, warm),
      [`/@fs${file}`, RUNS, warmUp] as const,
    );
    await page.close();
    return measured;
  };
  const { results, longTasks } = await run(false);
  const afterWarmUp = await run(true);

  // The same measures in Node on the same working copy, for comparison without a browser.
  const { data, info } = await sharp(file)
    .resize(2048, 2048, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image = { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
  const nodeMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    analysePixels({
      image,
      sourceWidth: 6000,
      sourceHeight: 4000,
      format: 'jpeg',
      nativeCrops: [],
    });
    nodeMs.push(performance.now() - started);
  }

  const warm = results.slice(1);
  const summary = {
    photo: '6000 × 4000 JPEG (storm-24mp.jpg, 6.1 MB), measured at 2048 × 1365',
    machine: `${process.platform}, ${(await import('node:os')).cpus().length} cores, load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
    coldMs: results[0],
    firstPhotoAfterWarmUpMs: afterWarmUp.results[0],
    warmMedianMs: {
      decode: median(warm.map((r) => r.decodeMs)),
      analyse: median(warm.map((r) => r.analyseMs)),
      workerMeasure: median(warm.map((r) => r.workerMeasureMs)),
      total: median(warm.map((r) => r.totalMs)),
    },
    nodeMeasuresMedianMs: median(nodeMs.slice(1)),
    mainThreadLongTasksMs: [...longTasks, ...afterWarmUp.longTasks],
  };
  console.table(
    results.map((r, i) => ({
      run: i === 0 ? 'cold' : `warm ${i}`,
      decode: Math.round(r.decodeMs),
      analyse: Math.round(r.analyseMs),
      'in worker': Math.round(r.workerMeasureMs),
      total: Math.round(r.totalMs),
    })),
  );
  console.log(JSON.stringify(summary, null, 2));
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench-results', 'pixels.json'), JSON.stringify(summary, null, 2));
} finally {
  await browser.close();
  await server.close();
}
