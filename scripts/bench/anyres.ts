/**
 * `npm run bench:anyres`: what the reference image mode (anyres) costs beside the fast one (single
 * crop), per photo size, in headless Chromium through the app's own model worker (the benchmark
 * page, as `npm run bench`): image tokens, images through the vision encoder, encode and prefill
 * times, end to end, and the renderer's peak RSS (the model worker lives in the renderer process).
 *
 *   npm run bench:anyres                      # full-size random model, q8 (WASM's default), WASM
 *   npm run bench:anyres -- --smoke           # the fixture model, 0.3 and 12 MP (a quick check)
 *   npm run bench:anyres -- --precision q4 --sizes 0.3,1
 *
 * One scoring per photo size and mode (a 24 MP photo in reference mode takes minutes on a busy
 * CPU); the 1-minute load average before and after each row is written beside it. The photos are
 * made from the 24 MP test photo with sharp (4:3 crops resized, and the 24 MP photo itself), and
 * each is scored as a photo the worker has not seen. Writes bench-results/anyres.{json,md}
 * (smoke-anyres.… for --smoke). Exits non-zero when a figure is missing, never on the times.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { preview } from 'vite';
import type { AnyresTiling } from '../../src/model/protocol.ts';
import type { ImageMode } from '../../src/model/image-mode.ts';
import { parsePrecisions, type PrecisionName } from '../model-graphs/precisions.ts';
import { ensureTestPhotos, photoPath } from '../test-photos.ts';
import { CHROMIUM_ARGS, call, freePort, openPage, withPeaks } from './bench.ts';
import { buildBenchPage, stageFiles } from './build.ts';
import { loadAverage, machineInfo, type MachineInfo } from './machine.ts';
import { benchModels, ensureBenchModel } from './models.ts';
import { BENCH_PAGE, benchViteConfig } from './vite-bench-config.ts';

/** Photo sizes measured: name (megapixels) → pixel size. */
const SIZES: Record<string, { width: number; height: number }> = {
  '0.3': { width: 640, height: 480 },
  '1': { width: 1152, height: 864 },
  '12': { width: 4000, height: 3000 },
  '24': { width: 6000, height: 4000 },
};

/** One photo scored once in one image mode. */
export interface AnyresRow {
  size: string;
  width: number;
  height: number;
  mode: ImageMode;
  imageTokens: number;
  promptTokens: number;
  anyres: AnyresTiling | null;
  encodeMs: number;
  prefillMs: number;
  endToEndMs: number;
  rendererPeakMiB: number;
  loadBefore: number;
  loadAfter: number;
  problem?: string;
}

export interface AnyresReport {
  startedAt: string;
  finishedAt: string;
  model: string;
  precision: PrecisionName;
  device: 'wasm';
  machine: MachineInfo;
  rows: AnyresRow[];
}

/** The benchmark photos, made once into .cache/bench-anyres-photos/. */
async function makePhotos(sizes: string[]): Promise<Map<string, string>> {
  await ensureTestPhotos();
  const dir = resolve('.cache/bench-anyres-photos');
  mkdirSync(dir, { recursive: true });
  const source = photoPath('jpeg24mp');
  const files = new Map<string, string>();
  for (const size of sizes) {
    const { width, height } = SIZES[size]!;
    const file = join(dir, `anyres-${width}x${height}.jpg`);
    // 4:3 from the middle of the 3:2 original, then resized; the 24 MP photo is used as it is.
    const meta = await sharp(source).metadata();
    const pipeline =
      width === meta.width && height === meta.height
        ? sharp(source)
        : sharp(source)
            .extract({
              left: Math.round((meta.width! - (meta.height! * 4) / 3) / 2),
              top: 0,
              width: Math.round((meta.height! * 4) / 3),
              height: meta.height!,
            })
            .resize(width, height, { fit: 'fill' });
    await pipeline.jpeg({ quality: 90 }).toFile(file);
    files.set(size, file);
  }
  return files;
}

/**
 * A 24 MP photo in the reference mode runs minutes of silent work in the worker on a busy CPU; the
 * app's hang limit (180 s) would take that for a hang.
 */
const HANG_LIMIT_MS = 3 * 3600_000;

/**
 * The order rows are measured in: the fast mode on the smallest photo, then the reference mode
 * from small to large, then the fast mode on the rest (whose cost barely depends on the photo's
 * size), so a run cut short keeps the rows that matter most.
 */
export function plan(sizes: string[]): { size: string; mode: ImageMode }[] {
  const [first, ...rest] = sizes;
  return [
    ...(first ? [{ size: first, mode: 'fast' as const }] : []),
    ...sizes.map((size) => ({ size, mode: 'reference' as const })),
    ...rest.map((size) => ({ size, mode: 'fast' as const })),
  ];
}

const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '–');

/** The rows as a Markdown table. */
export function anyresMarkdown(report: AnyresReport): string {
  const lines = [
    `${report.model}, ${report.precision}, WASM; ${report.machine.cores} cores (${report.machine.cpu}), ` +
      `${report.startedAt} – ${report.finishedAt}. One scoring per row.`,
    '',
    '| Photo | Mode | Image tokens | Images encoded (grid) | Encode (s) | Prefill (s) | End to end (s) | Renderer peak RSS (MiB) | Load average (before → after) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of report.rows) {
    const photo = `${r.width} × ${r.height} (${r.size} MP)`;
    const images = r.anyres
      ? `${r.anyres.images} (${r.anyres.grid[0]} × ${r.anyres.grid[1]})`
      : '1';
    const cells = r.problem
      ? [
          photo,
          r.mode,
          `failed: ${r.problem}`,
          '',
          '',
          '',
          '',
          '',
          `${r.loadBefore} → ${r.loadAfter}`,
        ]
      : [
          photo,
          r.mode,
          String(r.imageTokens),
          images,
          seconds(r.encodeMs),
          seconds(r.prefillMs),
          seconds(r.endToEndMs),
          String(Math.round(r.rendererPeakMiB)),
          `${r.loadBefore} → ${r.loadAfter}`,
        ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface AnyresOptions {
  smoke: boolean;
  precision: PrecisionName;
  sizes: string[];
  out: string;
  log: (line: string) => void;
}

/** Runs the rows and writes the report; returns it. */
export async function runAnyresBench(options: AnyresOptions): Promise<AnyresReport> {
  const { log } = options;
  const [model] = benchModels(options.smoke ? 'fixture' : 'full', [options.precision], []);
  const made = ensureBenchModel(model!);
  log(`${model!.id}: ${made.skipped ? 'up to date' : `generated in ${made.seconds.toFixed(0)} s`}`);
  const photos = await makePhotos(options.sizes);
  const outDir = resolve('.cache/bench-dist-anyres');
  if (await buildBenchPage(outDir)) log('benchmark page built');
  stageFiles(outDir, [model!], [...photos.values()]);
  const port = await freePort(4290);
  const server = await preview(benchViteConfig(outDir, port));
  const origin = `http://localhost:${port}`;
  const profileRoot = resolve('.cache/bench-profiles');
  mkdirSync(profileRoot, { recursive: true });
  const profile = mkdtempSync(join(profileRoot, 'anyres-'));
  const report: AnyresReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    model: model!.id,
    precision: options.precision,
    device: 'wasm',
    machine: machineInfo(),
    rows: [],
  };
  const write = () => {
    report.finishedAt = new Date().toISOString();
    mkdirSync(options.out, { recursive: true });
    const name = options.smoke ? 'smoke-anyres' : 'anyres';
    writeFileSync(join(options.out, `${name}.json`), JSON.stringify(report, null, 2));
    writeFileSync(join(options.out, `${name}.md`), anyresMarkdown(report) + '\n');
  };
  try {
    const { context, page } = await openPage(
      profile,
      CHROMIUM_ARGS,
      `${origin}/${BENCH_PAGE}`,
      log,
    );
    try {
      await call(page, 'load', {
        modelId: model!.id,
        device: 'wasm',
        precision: options.precision,
        hangMs: HANG_LIMIT_MS,
      });
      log(`${model!.id} ${options.precision} loaded on WASM`);
      for (const { size, mode } of plan(options.sizes)) {
        const file = photos.get(size)!;
        const url = `${origin}/photos/${file.split('/').pop()}`;
        const { width, height } = SIZES[size]!;
        const photoId = `${mode}-${size}`;
        const loadBefore = loadAverage();
        const row: AnyresRow = {
          size,
          width,
          height,
          mode,
          imageTokens: NaN,
          promptTokens: NaN,
          anyres: null,
          encodeMs: NaN,
          prefillMs: NaN,
          endToEndMs: NaN,
          rendererPeakMiB: NaN,
          loadBefore,
          loadAfter: NaN,
        };
        try {
          const { value, memory } = await withPeaks(profile, () =>
            call(page, 'score', url, photoId, mode),
          );
          Object.assign(row, {
            imageTokens: value.imageTokens,
            promptTokens: value.promptTokens,
            anyres: value.anyres ?? null,
            encodeMs: value.encodeMs,
            prefillMs: value.prefillMs,
            endToEndMs: value.endToEndMs,
            rendererPeakMiB: memory.renderer,
          });
        } catch (error) {
          row.problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
          // After running out of memory the page's client replaced the model worker (its heap is
          // spent): load the model in the new one, so the rows after this one measure something.
          await call(page, 'load', {
            modelId: model!.id,
            device: 'wasm',
            precision: options.precision,
            hangMs: HANG_LIMIT_MS,
          }).then(
            () => log('model loaded again after the failure'),
            (reload: unknown) => log(`could not load the model again: ${String(reload)}`),
          );
        }
        row.loadAfter = loadAverage();
        await call(page, 'forget', photoId).catch(() => {});
        report.rows.push(row);
        write();
        log(
          row.problem
            ? `${size} MP ${mode}: FAILED ${row.problem}`
            : `${size} MP ${mode}: ${row.imageTokens} image tokens, encode ${seconds(row.encodeMs)} s, ` +
                `prefill ${seconds(row.prefillMs)} s, renderer ${Math.round(row.rendererPeakMiB)} MiB ` +
                `(load ${loadBefore} → ${row.loadAfter})`,
        );
      }
    } finally {
      await call(page, 'unload').catch(() => {});
      await context.close();
    }
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
    rmSync(profile, { recursive: true, force: true });
  }
  write();
  return report;
}

/** Rows with a missing or non-finite figure. */
export function missingAnyresFigures(report: AnyresReport): string[] {
  return report.rows
    .filter(
      (r) =>
        r.problem ||
        ![r.imageTokens, r.encodeMs, r.prefillMs, r.rendererPeakMiB].every(Number.isFinite) ||
        (r.mode === 'reference') !== (r.anyres !== null),
    )
    .map((r) => `${r.size} MP ${r.mode}${r.problem ? `: ${r.problem}` : ''}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      precision: { type: 'string' },
      sizes: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const started = performance.now();
  const log = (line: string) => {
    if (values.quiet) return;
    const at = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
    console.error(`[bench:anyres ${at} s] ${line}`);
  };
  const sizes = (values.sizes ?? (values.smoke ? '0.3,12' : '0.3,1,12,24')).split(',');
  for (const size of sizes) {
    if (!SIZES[size])
      throw new Error(`--sizes: unknown size ${size} (${Object.keys(SIZES).join(', ')})`);
  }
  const [precision] = parsePrecisions(values.precision ?? (values.smoke ? 'q4' : 'q8'));
  const report = await runAnyresBench({
    smoke: values.smoke,
    precision: precision!,
    sizes,
    out: resolve(values.out),
    log,
  });
  if (!values.quiet) console.log(anyresMarkdown(report));
  const missing = missingAnyresFigures(report);
  if (missing.length > 0) {
    console.error(`Missing or failed rows: ${missing.join('; ')}`);
    process.exitCode = 1;
  }
}
