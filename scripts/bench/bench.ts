/**
 * The benchmark: generates the model folders it needs, builds and serves the benchmark page, and
 * drives the app's own model and pixels workers in headless Chromium (WASM for times; WebGPU on
 * SwiftShader only as a correctness smoke). Returns the raw measurements; report.ts turns them
 * into figures.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { preview } from 'vite';
import type {
  BenchPageApi,
  DecodeFigures,
  LoadFigures,
  LoadSpec,
  PixelFigures,
  ScoreFigures,
} from '../../src/bench/protocol.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';
import { ensureTestPhotos, photoPath, type TestPhotoName } from '../test-photos.ts';
import { buildBenchPage, stageFiles } from './build.ts';
import { loadAverage, machineInfo, type MachineInfo } from './machine.ts';
import {
  benchModels,
  ensureBenchModel,
  folderModel,
  type BenchModel,
  type ModelSize,
} from './models.ts';
import { nativeThreads, timeNative, type NativeTiming } from './native-pixels.ts';
import { readPeaks, resetPeaks, type ProcessKind } from './process-memory.ts';
import { BENCH_PAGE, benchViteConfig } from './vite-bench-config.ts';

/** What to measure and how often. */
export interface BenchOptions {
  smoke: boolean;
  size: ModelSize;
  /** Precisions of the model whose decoder declares num_logits_to_keep. */
  precisions: PrecisionName[];
  /** Precisions of the variant without num_logits_to_keep (empty: not measured). */
  noKeepPrecisions: PrecisionName[];
  repeats: number;
  decodeRepeats: number;
  decodeTokens: number;
  /** The photo scored and described. */
  scorePhoto: TestPhotoName;
  pixelPhotos: TestPhotoName[];
  /** A model folder to measure instead of the generated ones (e.g. the real weights). */
  modelDir?: string;
  /** Where the measured runs execute: WASM (default), or WebGPU on a machine with a real GPU. */
  device: LoadSpec['device'];
  /** Extra Chromium flags (e.g. to pick a GPU backend on a machine with a real GPU). */
  browserArgs: string[];
  /** Measure the variant without num_logits_to_keep before the one with it (order check). */
  noKeepFirst?: boolean;
  /** Run the WebGPU (SwiftShader) correctness smoke on the fixture. */
  webgpu: boolean;
  /** Preferred port for vite preview (the next free one is used if taken). */
  port: number;
  log: (line: string) => void;
  /** Called with the measurements so far after each step (a long run keeps what it measured). */
  onPartial?: (run: BenchRun) => void;
}

/** Peak resident memory (MiB) of Chromium's processes during one step. */
export type MemoryPeaks = Record<ProcessKind, number>;

/** Everything measured for one model folder at one precision on one device. */
export interface ModelRun {
  model: BenchModel;
  precision: PrecisionName;
  device: LoadSpec['device'];
  firstLoad: LoadFigures | null;
  firstLoadMemory: MemoryPeaks | null;
  cachedLoads: { figures: LoadFigures; memory: MemoryPeaks }[];
  scores: { figures: ScoreFigures; memory: MemoryPeaks }[];
  decodes: { figures: DecodeFigures; memory: MemoryPeaks }[];
  /** 1-minute load averages seen after each step (other work sharing the CPU). */
  loadAverages: number[];
  problem?: string;
}

/** One photo through the app's pixel worker and through libvips. */
export interface PixelRun {
  photo: TestPhotoName;
  file: string;
  browser: PixelFigures[];
  native: NativeTiming[];
}

/** The WebGPU correctness smoke: the same photo scored on WASM and on WebGPU. */
export interface WebGpuSmoke {
  model: string;
  precision: PrecisionName;
  wasmProbabilities: number[];
  webgpuProbabilities: number[];
  maxAbsDifference: number;
  /** Times on SwiftShader (a CPU emulation of a GPU): meaningless as speed. */
  scoreMs: number;
  decodeTokens: number;
  tokensPerSecond: number;
  problem?: string;
}

/** Raw measurements of one benchmark run. */
export interface BenchRun {
  startedAt: string;
  finishedAt: string;
  options: Omit<BenchOptions, 'log' | 'onPartial'>;
  machine: MachineInfo;
  browser: { version: string; args: string[] };
  loadAverage: { start: number; end: number; max: number };
  nativeThreads: number;
  models: ModelRun[];
  pixels: PixelRun[];
  webgpu: WebGpuSmoke | null;
  problems: string[];
}

export const EXECUTABLE = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
/** The flags playwright.config.ts uses, for the same browser behaviour. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
];

/** Options for a full run (`npm run bench`) or the CI smoke (`--smoke`). */
export function defaultOptions(smoke: boolean, log: (line: string) => void): BenchOptions {
  return smoke
    ? {
        smoke,
        size: 'fixture',
        precisions: ['q4'],
        noKeepPrecisions: ['q4'],
        repeats: 1,
        decodeRepeats: 1,
        decodeTokens: 8,
        scorePhoto: 'landscapeJpeg',
        pixelPhotos: ['landscapeJpeg', 'jpeg24mp'],
        device: 'wasm',
        browserArgs: [],
        webgpu: false,
        port: 4191,
        log,
      }
    : {
        smoke,
        size: 'full',
        precisions: ['q4', 'q8'],
        noKeepPrecisions: ['q4'],
        repeats: 3,
        decodeRepeats: 2,
        decodeTokens: 16,
        scorePhoto: 'landscapeJpeg',
        pixelPhotos: ['landscapeJpeg', 'jpeg24mp', 'jpeg100mp'],
        device: 'wasm',
        browserArgs: [],
        webgpu: true,
        port: 4190,
        log,
      };
}

export function freePort(preferred: number): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(freePort(preferred + 1)));
    server.listen(preferred, 'localhost', () => server.close(() => resolvePort(preferred)));
  });
}

type Api = BenchPageApi;

/** Calls one method of the page's benchmark API. */
export function call<K extends keyof Api>(
  page: Page,
  method: K,
  ...args: Parameters<Api[K]>
): Promise<Awaited<ReturnType<Api[K]>>> {
  return page.evaluate(
    ([name, list]) => {
      const bench = (window as unknown as { qualityLensBench: Record<string, unknown> })
        .qualityLensBench;
      return (bench[name] as (...a: unknown[]) => unknown)(...list);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<Api[K]>>>;
}

export async function openPage(
  profile: string,
  args: string[],
  url: string,
  log: (line: string) => void,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    // Failed requests are logged with their address below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      log(`  [page error] ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) log(`  [page] ${response.status()} for ${response.url()}`);
  });
  page.on('pageerror', (error) => log(`  [page exception] ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => 'qualityLensBench' in window);
  return { context, page };
}

/** Runs one step with the memory peaks of Chromium's processes reset before and read after. */
export async function withPeaks<T>(
  profile: string,
  step: () => Promise<T>,
): Promise<{ value: T; memory: MemoryPeaks }> {
  resetPeaks(profile);
  const value = await step();
  return { value, memory: readPeaks(profile) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function measureModel(
  page: Page,
  profile: string,
  model: BenchModel,
  precision: PrecisionName,
  options: BenchOptions,
  photoUrl: string,
  track: () => void,
): Promise<ModelRun> {
  const { log } = options;
  const spec: LoadSpec = { modelId: model.id, device: options.device, precision };
  const run: ModelRun = {
    model,
    precision,
    device: options.device,
    firstLoad: null,
    firstLoadMemory: null,
    cachedLoads: [],
    scores: [],
    decodes: [],
    loadAverages: [],
  };
  const label = `${model.id} ${precision}`;
  const step = () => {
    track();
    run.loadAverages.push(loadAverage());
  };
  try {
    await call(page, 'clearModelCache');
    const first = await withPeaks(profile, () => call(page, 'load', spec));
    run.firstLoad = first.value;
    if (first.value.device !== options.device)
      throw new Error(`loaded on ${first.value.device}, not ${options.device}`);
    // A given folder's decoder may or may not declare num_logits_to_keep: the load says.
    if (model.size === 'folder') model.numLogitsToKeep = first.value.hasNumLogitsToKeep;
    run.firstLoadMemory = first.memory;
    log(`${label}: first load (from the server) ${seconds(first.value.ms)}`);
    step();
    for (let r = 0; r < options.repeats; r++) {
      const { value, memory } = await withPeaks(profile, () => call(page, 'load', spec));
      run.cachedLoads.push({ figures: value, memory });
      log(
        `${label}: load from the browser cache ${seconds(value.ms)} (cached: ${value.fromCache})`,
      );
      step();
    }
    for (let r = 0; r < options.repeats; r++) {
      const photoId = `photo-${r}`;
      const { value, memory } = await withPeaks(profile, () =>
        call(page, 'score', photoUrl, photoId),
      );
      run.scores.push({ figures: value, memory });
      log(
        `${label}: score ${seconds(value.endToEndMs)} (encode ${seconds(value.encodeMs)}, prefill ${seconds(value.prefillMs)}, ${value.promptTokens} tokens)`,
      );
      step();
    }
    for (let r = 0; r < options.decodeRepeats; r++) {
      const { value, memory } = await withPeaks(profile, () =>
        call(page, 'decode', photoUrl, 'photo-0', options.decodeTokens),
      );
      run.decodes.push({ figures: value, memory });
      log(
        `${label}: ${value.tokens} tokens at ${value.tokensPerSecond.toFixed(2)} tokens/s (${value.stopReason})`,
      );
      step();
    }
  } catch (error) {
    run.problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`${label}: FAILED: ${run.problem}`);
  } finally {
    await call(page, 'unload').catch(() => {});
    await call(page, 'clearModelCache').catch(() => {});
  }
  return run;
}

async function webgpuSmoke(
  url: string,
  profileRoot: string,
  model: BenchModel,
  photoUrl: string,
  log: (line: string) => void,
): Promise<WebGpuSmoke> {
  const precision: PrecisionName = 'q4';
  const profile = mkdtempSync(join(profileRoot, 'webgpu-'));
  const smoke: WebGpuSmoke = {
    model: model.id,
    precision,
    wasmProbabilities: [],
    webgpuProbabilities: [],
    maxAbsDifference: NaN,
    scoreMs: NaN,
    decodeTokens: 0,
    tokensPerSecond: NaN,
  };
  const { context, page } = await openPage(profile, [...CHROMIUM_ARGS, ...WEBGPU_ARGS], url, log);
  try {
    await call(page, 'load', { modelId: model.id, device: 'wasm', precision });
    smoke.wasmProbabilities = (await call(page, 'score', photoUrl, 'gpu-check')).probabilities;
    const loaded = await call(page, 'load', { modelId: model.id, device: 'webgpu', precision });
    if (loaded.device !== 'webgpu') throw new Error(`loaded on ${loaded.device}, not WebGPU`);
    const scored = await call(page, 'score', photoUrl, 'gpu-check');
    smoke.webgpuProbabilities = scored.probabilities;
    smoke.scoreMs = scored.endToEndMs;
    smoke.maxAbsDifference = Math.max(
      ...scored.probabilities.map((p, i) => Math.abs(p - (smoke.wasmProbabilities[i] ?? NaN))),
    );
    const decoded = await call(page, 'decode', photoUrl, 'gpu-check', 3);
    smoke.decodeTokens = decoded.tokens;
    smoke.tokensPerSecond = decoded.tokensPerSecond;
    log(`WebGPU smoke: level probabilities differ from WASM by ≤ ${smoke.maxAbsDifference}`);
  } catch (error) {
    smoke.problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`WebGPU smoke FAILED: ${smoke.problem}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return smoke;
}

/** Runs the whole benchmark and returns its raw measurements. */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  const loads = [loadAverage()];
  const track = () => loads.push(loadAverage());
  const problems: string[] = [];

  const models = options.modelDir
    ? [folderModel(options.modelDir, options.precisions)]
    : benchModels(options.size, options.precisions, options.noKeepPrecisions);
  const fixtureForGpu = options.webgpu ? benchModels('fixture', ['q4'], [])[0]! : null;
  const allModels =
    fixtureForGpu && options.size !== 'fixture' ? [...models, fixtureForGpu] : models;
  for (const model of allModels) {
    const made = ensureBenchModel(model);
    log(
      `${model.id} (${model.precisions.join(', ')}): ${made.skipped ? 'up to date' : `generated in ${made.seconds.toFixed(0)} s`}`,
    );
  }
  await ensureTestPhotos();

  const outDir = resolve(options.smoke ? '.cache/bench-dist-smoke' : '.cache/bench-dist');
  const started = performance.now();
  const built = await buildBenchPage(outDir);
  log(
    built
      ? `benchmark page built in ${seconds(performance.now() - started)}`
      : 'benchmark page up to date',
  );
  const photoFiles = [...new Set([options.scorePhoto, ...options.pixelPhotos])].map(photoPath);
  stageFiles(outDir, allModels, photoFiles);

  const port = await freePort(options.port);
  const server = await preview(benchViteConfig(outDir, port));
  const origin = `http://localhost:${port}`;
  const pageUrl = `${origin}/${BENCH_PAGE}`;
  const photoUrl = (name: TestPhotoName) => `${origin}/photos/${photoPath(name).split('/').pop()}`;

  const profileRoot = resolve('.cache/bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const profile = mkdtempSync(join(profileRoot, 'wasm-'));
  const runs: ModelRun[] = [];
  const pixels: PixelRun[] = [];
  const browser = { version: 'unknown', args: [...CHROMIUM_ARGS, ...options.browserArgs] };
  let webgpu: WebGpuSmoke | null = null;
  const snapshot = (): BenchRun => {
    const rest: Omit<BenchOptions, 'log' | 'onPartial'> & { log?: unknown; onPartial?: unknown } = {
      ...options,
    };
    delete rest.log;
    delete rest.onPartial;
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      options: rest,
      machine: machineInfo(),
      browser,
      loadAverage: { start: loads[0]!, end: loads.at(-1)!, max: Math.max(...loads) },
      nativeThreads: nativeThreads(),
      models: runs,
      pixels,
      webgpu,
      problems,
    };
  };
  try {
    const args = [
      ...CHROMIUM_ARGS,
      ...(options.device === 'webgpu' ? ['--enable-unsafe-webgpu'] : []),
      ...options.browserArgs,
    ];
    const { context, page } = await openPage(profile, args, pageUrl, log);
    try {
      const cdp = await context.newCDPSession(page);
      browser.version = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
      // Warm-up (not reported): starts the pixels worker and libvips.
      await call(page, 'pixels', photoUrl(options.scorePhoto));
      await timeNative(photoPath(options.scorePhoto));
      for (const photo of options.pixelPhotos) {
        const run: PixelRun = { photo, file: photoPath(photo), browser: [], native: [] };
        for (let r = 0; r < options.repeats; r++) {
          run.browser.push(await call(page, 'pixels', photoUrl(photo)));
          run.native.push(await timeNative(run.file));
          track();
        }
        const last = run.browser.at(-1)!;
        log(
          `pixels ${photo}: ${last.width}×${last.height} in ${seconds(last.totalMs)}; libvips decode+3×3 ${seconds(run.native.at(-1)!.decodeConvolveMs)}`,
        );
        pixels.push(run);
      }
      options.onPartial?.(snapshot());
      // Precision by precision, so the with/without num_logits_to_keep pair comes early.
      const plan = [...new Set(models.flatMap((m) => m.precisions))].flatMap((precision) =>
        (options.noKeepFirst ? [...models].reverse() : models)
          .filter((m) => m.precisions.includes(precision))
          .map((m) => ({ m, precision })),
      );
      for (const { m: model, precision } of plan) {
        const run = await measureModel(
          page,
          profile,
          model,
          precision,
          options,
          photoUrl(options.scorePhoto),
          track,
        );
        if (run.problem) problems.push(`${model.id} ${precision}: ${run.problem}`);
        runs.push(run);
        options.onPartial?.(snapshot());
      }
    } finally {
      await context.close();
    }
    if (fixtureForGpu) {
      webgpu = await webgpuSmoke(
        pageUrl,
        profileRoot,
        fixtureForGpu,
        photoUrl(options.scorePhoto),
        log,
      );
      if (webgpu.problem) problems.push(`WebGPU smoke: ${webgpu.problem}`);
    }
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
    rmSync(profile, { recursive: true, force: true });
  }
  track();
  return snapshot();
}
