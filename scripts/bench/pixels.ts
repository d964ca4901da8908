/**
 * Benchmark of the instant pixel analysis against a native yardstick. Each photo is decoded and
 * measured by the app's own pixels worker in Chromium (Vite dev server, the real PixelsClient),
 * and, in the same round, decoded and run through one 3×3 convolution by libvips (sharp) in
 * Node. Rounds alternate the two, so both see the same load; the first round is a warm-up and is
 * not counted. The renderer's peak memory (page + pixels worker) is read per photo from /proc.
 *
 * Usage: npm run bench:pixels [-- --rounds 9 --photos jpeg24mp,landscapeJpeg --out name]
 * Writes bench-results/pixels.json (or <name>.json) and prints a table of medians.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { createServer, type Plugin } from 'vite';
import { ensureTestPhotos, photoPath, TEST_PHOTOS, type TestPhotoName } from '../test-photos.ts';
import { CHROMIUM_ARGS } from './bench.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { nativeThreads, timeNative } from './native-pixels.ts';
import { readPeaks, resetPeaks } from './process-memory.ts';
import { summarise, type Summary } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    photos: { type: 'string', default: 'landscapeJpeg,jpeg24mp,jpeg100mp' },
    out: { type: 'string', default: 'pixels' },
  },
});
const rounds = Math.max(2, Number(values.rounds));
const photos = values.photos.split(',').map((name) => {
  if (!(name in TEST_PHOTOS)) throw new Error(`--photos: unknown photo ${name}`);
  return name as TestPhotoName;
});

/** A bare page that loads the app's pixels client and times one decode + analysis. */
const benchPage: Plugin = {
  name: 'pixels-bench-page',
  configureServer(server) {
    server.middlewares.use('/__bench/pixels', (_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><title>pixels bench</title><script type="module">
        import { PixelsClient } from '/src/pixels/client.ts';
        const client = new PixelsClient();
        client.warmUp();
        window.benchPixels = async (url) => {
          const blob = await (await fetch(url)).blob();
          const t0 = performance.now();
          const photo = await client.decode(blob);
          const t1 = performance.now();
          const analysis = await client.analyse(photo);
          const t2 = performance.now();
          client.forget(photo);
          photo.bitmap.close();
          return { decodeMs: t1 - t0, analyseMs: t2 - t1, workerMeasureMs: analysis.elapsedMs,
            totalMs: t2 - t0, width: photo.sourceWidth, height: photo.sourceHeight,
            notes: photo.notes, reader: photo.reader, sharpness: analysis.measures.sharpness.value,
            noise: analysis.measures.noise.value, blockiness: analysis.measures.blockiness.value };
        };
      </script>`);
    });
  },
};

interface BrowserRun {
  decodeMs: number;
  analyseMs: number;
  workerMeasureMs: number;
  totalMs: number;
  width: number;
  height: number;
  notes: string[];
  reader: string;
  sharpness: number | null;
  noise: number | null;
  blockiness: number | null;
}

interface PhotoFigures {
  photo: string;
  size: string;
  decode: Summary;
  measures: Summary;
  /** The measuring alone, timed inside the worker (the rest of `measures` is messaging). */
  workerMeasures: Summary;
  total: Summary;
  nativeDecode: Summary;
  nativeDecodeConvolve: Summary;
  /** Per round: app total ÷ libvips decode + 3×3 of the same round. */
  ratio: Summary;
  rendererPeakMiB: number;
  load: { start: number; max: number; end: number };
  readings: Pick<BrowserRun, 'sharpness' | 'noise' | 'blockiness' | 'notes' | 'reader'>;
}

await ensureTestPhotos();
const server = await createServer({
  root: ROOT,
  configFile: join(ROOT, 'vite.config.ts'),
  plugins: [benchPage],
  server: { port: 0, strictPort: false },
  logLevel: 'error',
});
await server.listen();
const address = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
const profileRoot = resolve(ROOT, '.cache/bench-profiles');
mkdirSync(profileRoot, { recursive: true });
const profile = mkdtempSync(join(profileRoot, 'pixels-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
const figures: PhotoFigures[] = [];
try {
  const page = await context.newPage();
  await page.goto(new URL('__bench/pixels', address).href);
  await page.waitForFunction(() => 'benchPixels' in window);
  const runOnce = (url: string) =>
    page.evaluate(
      (u) =>
        (window as unknown as { benchPixels: (u: string) => Promise<BrowserRun> }).benchPixels(u),
      url,
    );
  for (const photo of photos) {
    const file = photoPath(photo);
    const url = `/@fs${file}`;
    const browser: BrowserRun[] = [];
    const native: Awaited<ReturnType<typeof timeNative>>[] = [];
    const loads = [loadAverage()];
    resetPeaks(profile);
    for (let round = 0; round < rounds; round++) {
      const b = await runOnce(url);
      const n = await timeNative(file);
      loads.push(loadAverage());
      if (round === 0) continue; // warm-up: worker start, JIT, libvips start-up
      browser.push(b);
      native.push(n);
    }
    const last = browser.at(-1)!;
    figures.push({
      photo,
      size: `${last.width} × ${last.height}`,
      decode: summarise(browser.map((r) => r.decodeMs)),
      measures: summarise(browser.map((r) => r.analyseMs)),
      workerMeasures: summarise(browser.map((r) => r.workerMeasureMs)),
      total: summarise(browser.map((r) => r.totalMs)),
      nativeDecode: summarise(native.map((r) => r.decodeMs)),
      nativeDecodeConvolve: summarise(native.map((r) => r.decodeConvolveMs)),
      ratio: summarise(browser.map((r, i) => r.totalMs / native[i]!.decodeConvolveMs)),
      rendererPeakMiB: readPeaks(profile).renderer,
      load: { start: loads[0]!, max: Math.max(...loads), end: loads.at(-1)! },
      readings: {
        sharpness: last.sharpness,
        noise: last.noise,
        blockiness: last.blockiness,
        notes: last.notes,
        reader: last.reader,
      },
    });
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

const ms = (s: Summary) => Math.round(s.median);
console.table(
  figures.map((f) => ({
    photo: `${f.photo} (${f.size})`,
    read: f.readings.reader,
    'app decode': ms(f.decode),
    'app measures': ms(f.measures),
    'in worker': ms(f.workerMeasures),
    'app total': ms(f.total),
    'libvips decode': ms(f.nativeDecode),
    'libvips decode+3×3': ms(f.nativeDecodeConvolve),
    'ratio (median)': f.ratio.median.toFixed(2),
    'ratio range': `${f.ratio.min.toFixed(2)}–${f.ratio.max.toFixed(2)}`,
    'renderer peak MiB': Math.round(f.rendererPeakMiB),
    load: `${f.load.start}–${f.load.max}`,
  })),
);
const result = {
  measuredAt: new Date().toISOString(),
  machine: machineInfo(),
  libvipsThreads: nativeThreads(),
  roundsCounted: rounds - 1,
  figures,
};
mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
const out = join(ROOT, 'bench-results', `${values.out}.json`);
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`written to ${out}`);
