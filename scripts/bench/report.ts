/**
 * Turns a benchmark run's raw measurements into figures (min / median / max over repeats, each
 * labelled with model, precision and backend) and writes them as JSON and a markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionRun } from '../../src/bench/protocol.ts';
import type { BenchRun, ModelRun, PixelRun } from './bench.ts';
import { sum, summarise, type Summary } from './stats.ts';

/** One reported figure. */
export interface Figure {
  section: 'model' | 'overhead' | 'memory' | 'pixels';
  name: string;
  unit: 's' | 'ms' | 'tokens/s' | 'MiB' | '×' | 'ms/MP';
  model: string;
  precision: string;
  backend: string;
  summary: Summary;
  note?: string;
}

/** The benchmark's report: the run's context and its figures. */
export interface BenchReport {
  kind: 'quality-lens-benchmark';
  version: 1;
  run: Omit<BenchRun, 'models' | 'pixels'>;
  /** Threads onnxruntime-web's WASM backend used (2 on a 2-core machine when cross-origin isolated). */
  wasm: { crossOriginIsolated: boolean; threads: number };
  figures: Figure[];
  /** Where the end-to-end time to score goes besides onnxruntime runs (median ms per part). */
  overheadParts: { model: string; precision: string; parts: Record<string, number> }[];
}

function modelLabel(run: ModelRun): string {
  const size =
    run.model.size === 'full'
      ? 'full-size (random)'
      : run.model.size === 'folder'
        ? run.model.id
        : 'fixture';
  return run.model.numLogitsToKeep ? size : `${size}, no num_logits_to_keep`;
}

/** Only the onnxruntime runs (not the image processor stage). */
function onlyRuns(records: SessionRun[]): SessionRun[] {
  return records.filter((r) => r.kind === 'run').sort((a, b) => a.start - b.start);
}

/** Sum of onnxruntime run times of one session (or all). */
function runMs(records: SessionRun[], session?: string): number {
  return sum(
    onlyRuns(records)
      .filter((r) => !session || r.session === session)
      .map((r) => r.ms),
  );
}

/** What happens in the app between two sessions' runs (quality-model.ts). */
const GAP_NAMES: Record<string, string> = {
  'vision_encoder→embed_tokens': 'prompt text and tokenizer',
  'embed_tokens→decoder_model_merged': 'image features merged into the embeddings',
};

/**
 * Splits a score's end-to-end time into what happened before the first onnxruntime run, between
 * runs (named by the two sessions) and after the last one.
 */
export function overheadParts(
  records: SessionRun[],
  pageStart: number,
  pageEnd: number,
): Record<string, number> {
  const parts: Record<string, number> = {};
  const runs = onlyRuns(records);
  if (runs.length === 0) return { 'outside onnxruntime': pageEnd - pageStart };
  const preprocessing = sum(
    records.filter((r) => r.kind === 'stage' && r.start < runs[0]!.start).map((r) => r.ms),
  );
  parts['image processor (resize to the model size, normalise)'] = preprocessing;
  parts['other work before the first run (bitmap copy, messages, drawing the photo)'] =
    runs[0]!.start - pageStart - preprocessing;
  for (let i = 1; i < runs.length; i++) {
    const previous = runs[i - 1]!;
    const pair = `${previous.session}→${runs[i]!.session}`;
    const key = `between ${pair}${GAP_NAMES[pair] ? ` (${GAP_NAMES[pair]})` : ''}`;
    parts[key] = (parts[key] ?? 0) + runs[i]!.start - (previous.start + previous.ms);
  }
  const last = runs.at(-1)!;
  parts['after the last run (logits slice, level softmax, result message)'] =
    pageEnd - (last.start + last.ms);
  return parts;
}

/** Decoder steps after the prefill and their raw time (embedding + decoder runs). */
function decodeSteps(runs: SessionRun[]): { steps: number; ms: number } {
  const sorted = onlyRuns(runs);
  const prefill = sorted.findIndex((r) => r.session === 'decoder_model_merged');
  const after = prefill < 0 ? [] : sorted.slice(prefill + 1);
  return {
    steps: after.filter((r) => r.session === 'decoder_model_merged').length,
    ms: runMs(after),
  };
}

function modelFigures(run: ModelRun): { figures: Figure[]; parts: Record<string, number> } {
  const loads = run.loadAverages ?? [];
  const contention = loads.length > 0 ? `, load ${Math.min(...loads)}–${Math.max(...loads)}` : '';
  const backend = `${run.device === 'webgpu' ? 'WebGPU' : 'WASM'}${contention}`;
  const base = { model: modelLabel(run), precision: run.precision, backend };
  const figures: Figure[] = [];
  const add = (
    section: Figure['section'],
    name: string,
    unit: Figure['unit'],
    values: number[],
    note?: string,
  ) => figures.push({ section, name, unit, ...base, summary: summarise(values), note });
  const scores = run.scores.map((s) => s.figures);
  const decodes = run.decodes.map((d) => d.figures);
  const s = (ms: number) => ms / 1000;

  add(
    'model',
    'first load, from the local server (fills the cache)',
    's',
    run.firstLoad ? [s(run.firstLoad.ms)] : [],
  );
  add(
    'model',
    'model load from the browser cache (new worker)',
    's',
    run.cachedLoads.map((l) => s(l.figures.ms)),
    run.cachedLoads.every((l) => l.figures.fromCache)
      ? undefined
      : 'not every load came from the cache',
  );
  add(
    'model',
    'vision encoding (app: preprocessing + encoder)',
    's',
    scores.map((x) => s(x.encodeMs)),
  );
  add(
    'model',
    'vision encoder session.run',
    's',
    scores.map((x) => s(runMs(x.runs, 'vision_encoder'))),
  );
  add(
    'model',
    'prefill (app: one decoder pass + logits)',
    's',
    scores.map((x) => s(x.prefillMs)),
  );
  add(
    'model',
    'prefill decoder session.run',
    's',
    scores.map((x) => s(runMs(x.runs, 'decoder_model_merged'))),
  );
  add(
    'model',
    'time to score a new photo (end to end)',
    's',
    scores.map((x) => s(x.endToEndMs)),
  );
  add(
    'model',
    'decode speed (app)',
    'tokens/s',
    decodes.map((d) => d.tokensPerSecond),
  );
  add(
    'model',
    'decode speed (raw embed + decoder runs)',
    'tokens/s',
    decodes.map((d) => {
      const steps = decodeSteps(d.runs);
      return steps.steps / (steps.ms / 1000);
    }),
  );
  add(
    'overhead',
    'pipeline overhead: end-to-end score ÷ Σ session.run',
    '×',
    scores.map((x) => x.endToEndMs / runMs(x.runs)),
    'goal ≤ 1.10',
  );
  add(
    'overhead',
    'decode overhead: app decode time ÷ Σ step runs',
    '×',
    decodes.map((d) => d.decodeMs / decodeSteps(d.runs).ms),
  );
  add(
    'memory',
    'renderer peak RSS while loading from cache',
    'MiB',
    run.cachedLoads.map((l) => l.memory.renderer),
  );
  add(
    'memory',
    'renderer peak RSS while scoring',
    'MiB',
    run.scores.map((x) => x.memory.renderer),
  );
  add(
    'memory',
    'renderer peak RSS while decoding',
    'MiB',
    run.decodes.map((d) => d.memory.renderer),
  );

  if (run.device === 'webgpu') {
    add(
      'memory',
      'GPU process peak RSS while scoring',
      'MiB',
      run.scores.map((x) => x.memory.gpu),
    );
    add(
      'memory',
      'GPU process peak RSS while decoding',
      'MiB',
      run.decodes.map((d) => d.memory.gpu),
    );
  }
  const partLists = scores.map((x) => overheadParts(x.runs, x.pageStart, x.pageEnd));
  const keys = [...new Set(partLists.flatMap((p) => Object.keys(p)))];
  const parts = Object.fromEntries(
    keys.map((k) => [k, summarise(partLists.map((p) => p[k] ?? 0)).median]),
  );
  return { figures, parts };
}

function pixelFigures(run: PixelRun): Figure[] {
  const first = run.browser[0];
  const mp = first ? (first.width * first.height) / 1e6 : NaN;
  const label = `${run.photo} (${first?.width}×${first?.height}, ${mp.toFixed(1)} MP)`;
  const browser = { model: label, precision: '—', backend: 'Chromium, pixels worker' };
  const native = { model: label, precision: '—', backend: 'libvips (sharp)' };
  const fig = (
    meta: typeof browser,
    name: string,
    unit: Figure['unit'],
    values: number[],
    note?: string,
  ): Figure => ({ section: 'pixels', name, unit, ...meta, summary: summarise(values), note });
  const totals = run.browser.map((b) => b.totalMs);
  const nativeMs = run.native.map((n) => n.decodeConvolveMs);
  return [
    fig(browser, 'pixel analysis: decode + measures + maps', 'ms', totals),
    fig(
      browser,
      'pixel decode (to the ≤ 2048 px working copy)',
      'ms',
      run.browser.map((b) => b.decodeMs),
    ),
    fig(
      browser,
      'pixel measures and maps',
      'ms',
      run.browser.map((b) => b.analyseMs),
    ),
    fig(
      browser,
      'pixel analysis per megapixel',
      'ms/MP',
      totals.map((t) => t / mp),
    ),
    fig(native, 'native decode + one 3×3 convolution', 'ms', nativeMs),
    fig(
      native,
      'native decode only',
      'ms',
      run.native.map((n) => n.decodeMs),
    ),
    fig(
      browser,
      'browser analysis ÷ native decode + 3×3 (same repeat)',
      '×',
      totals.map((t, i) => t / (nativeMs[i] ?? NaN)),
    ),
  ];
}

/** Builds the report from a run. */
export function buildReport(run: BenchRun): BenchReport {
  const figures: Figure[] = [];
  const overhead: BenchReport['overheadParts'] = [];
  for (const modelRun of run.models) {
    const { figures: f, parts } = modelFigures(modelRun);
    figures.push(...f);
    overhead.push({ model: modelLabel(modelRun), precision: modelRun.precision, parts });
  }
  for (const pixelRun of run.pixels) figures.push(...pixelFigures(pixelRun));
  const load = run.models.find((m) => m.firstLoad)?.firstLoad;
  const context: Omit<BenchRun, 'models' | 'pixels'> & Partial<BenchRun> = { ...run };
  delete context.models;
  delete context.pixels;
  return {
    kind: 'quality-lens-benchmark',
    version: 1,
    run: context,
    wasm: {
      crossOriginIsolated: load?.crossOriginIsolated ?? false,
      threads: load?.crossOriginIsolated ? Math.min(4, load.threads) : 1,
    },
    figures,
    overheadParts: overhead,
  };
}

/** Figures that are missing or not finite (the CI smoke asserts this list is empty). */
export function missingFigures(report: BenchReport): string[] {
  return report.figures
    .filter(
      (f) =>
        f.summary.n === 0 ||
        ![f.summary.min, f.summary.median, f.summary.max].every(Number.isFinite),
    )
    .map((f) => `${f.name} (${f.model}, ${f.precision})`);
}

function format(value: number, unit: Figure['unit']): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = unit === '×' ? 2 : unit === 'ms' || unit === 'MiB' ? 0 : value < 10 ? 2 : 1;
  return value.toFixed(digits);
}

/** The report as markdown: context, one table of all figures, the overhead breakdown. */
export function reportMarkdown(report: BenchReport): string {
  const { run } = report;
  const m = run.machine;
  const lines = [
    `Measured ${run.startedAt} – ${run.finishedAt} (${run.options.smoke ? 'CI smoke: fixture model, one repeat — not a speed figure' : `${run.options.size} model`}).`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; Node ${m.node}.`,
    `- Browser: ${run.browser.version}, headless, flags \`${run.browser.args.join(' ')}\`.`,
    `- WASM backend: onnxruntime-web via transformers.js, cross-origin isolated: ${report.wasm.crossOriginIsolated}, ${report.wasm.threads} thread(s).`,
    `- Load average (1 min) during the run: start ${run.loadAverage.start}, max ${run.loadAverage.max}, end ${run.loadAverage.end} on ${m.cores} cores${run.loadAverage.max > m.cores ? ' — **the CPU was shared with other work; times are pessimistic**' : ''}.`,
    `- Peak memory: VmHWM of Chromium's renderer process (page + model and pixels workers, WASM heap included), reset through /proc/<pid>/clear_refs before each step.`,
    `- libvips threads: ${run.nativeThreads}.`,
    '',
    '| Figure | Model | Precision | Backend | n | min | median | max | unit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of report.figures) {
    const { n, min, median, max } = f.summary;
    const name = f.note ? `${f.name} (${f.note})` : f.name;
    lines.push(
      `| ${name} | ${f.model} | ${f.precision} | ${f.backend} | ${n} | ${format(min, f.unit)} | ${format(median, f.unit)} | ${format(max, f.unit)} | ${f.unit} |`,
    );
  }
  lines.push(
    '',
    'Where the end-to-end time to score goes besides onnxruntime runs (median ms):',
    '',
  );
  for (const o of report.overheadParts) {
    const parts = Object.entries(o.parts)
      .map(([k, v]) => `${k}: ${v.toFixed(0)}`)
      .join('; ');
    lines.push(`- ${o.model} ${o.precision}: ${parts}`);
  }
  const gpu = run.webgpu;
  if (gpu) {
    lines.push(
      '',
      gpu.problem
        ? `WebGPU smoke (SwiftShader, ${gpu.model} ${gpu.precision}): FAILED — ${gpu.problem}`
        : `WebGPU smoke (SwiftShader, ${gpu.model} ${gpu.precision}): level probabilities differ from WASM by at most ${gpu.maxAbsDifference.toExponential(1)}; ${gpu.decodeTokens} tokens generated. Times on SwiftShader are meaningless (score ${(gpu.scoreMs / 1000).toFixed(1)} s, ${gpu.tokensPerSecond.toFixed(2)} tokens/s).`,
    );
  }
  if (run.problems.length > 0) {
    lines.push('', 'Problems:', '', ...run.problems.map((p) => `- ${p}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `<dir>/<tag>bench-<time>.json`, `<tag>latest.json` and `<tag>latest.md` (`smoke-` added
 * for the CI smoke); returns the paths.
 */
export function writeReport(report: BenchReport, dir: string, tag = ''): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = report.run.startedAt.replace(/[:.]/g, '-');
  const prefix = `${tag}${report.run.options.smoke ? 'smoke-' : ''}`;
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const paths = [
    join(dir, `${prefix}bench-${stamp}.json`),
    join(dir, `${prefix}latest.json`),
    join(dir, `${prefix}latest.md`),
  ];
  writeFileSync(paths[0]!, json);
  writeFileSync(paths[1]!, json);
  writeFileSync(paths[2]!, reportMarkdown(report));
  return paths;
}
