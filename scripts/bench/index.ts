/**
 * `npm run bench`: speed and memory of the app's model and pixel pipelines in headless Chromium.
 *
 *   npm run bench                          # full-size random model (q4, q8; q4 without
 *                                          # num_logits_to_keep), 3 repeats, WebGPU smoke
 *   npm run bench -- --smoke               # CI: fixture model, one repeat (≈ 1 min)
 *   npm run bench -- --size fixture --repeats 5 --precisions fp32,q4 --no-keep q4 --no-webgpu
 *   npm run bench -- --precisions q4 --no-keep q4 --pixels '' --no-webgpu   # one pair only
 *   npm run bench -- --no-shoot            # without the shoot rows (20/200 of 12 MP, 50/500 small, grid)
 *   npm run bench -- --no-cache-rows       # without the prompt-cache rows (Node, fixture)
 *   npm run bench -- --no-compare          # without the compare-two rows (scripts/bench/compare.ts)
 *   npm run bench -- --no-quality-map      # without the quality-map rows (scripts/bench/quality-map.ts)
 *   npm run bench -- --no-anyres           # without the image-mode rows (bench:anyres)
 *   npm run bench -- --model-dir ~/models/llava-onevision-qwen2-0.5b-ov-hf --precisions q4f16 \
 *     --device webgpu --browser-arg=--enable-features=Vulkan   # real weights, real GPU
 *
 * Writes bench-results/{latest.json,latest.md,bench-<time>.json} (smoke-… for --smoke). Exits
 * non-zero when a figure is missing or not finite; never judges the times themselves.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePrecisions } from '../model-graphs/precisions.ts';
import { TEST_PHOTOS, type TestPhotoName } from '../test-photos.ts';
import { defaultOptions, runBench } from './bench.ts';
import { buildReport, missingFigures, reportMarkdown, writeReport } from './report.ts';
import {
  promptCacheMarkdown,
  runPromptCacheBench,
  writePromptCacheReport,
} from './prompt-cache.ts';
import { gridMarkdown, runGridBench } from './grid.ts';
import { runShootBench, shootMarkdown } from './shoot.ts';
import { compareMarkdown, runCompareBench, writeCompareReport } from './compare.ts';
import { qualityMapMarkdown, runQualityMapBench } from './quality-map.ts';
import { anyresMarkdown, missingAnyresFigures, runAnyresBench } from './anyres.ts';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    size: { type: 'string' },
    precisions: { type: 'string' },
    'no-keep': { type: 'string' },
    repeats: { type: 'string' },
    tokens: { type: 'string' },
    'decode-repeats': { type: 'string' },
    pixels: { type: 'string' },
    'no-keep-first': { type: 'boolean', default: false },
    'no-webgpu': { type: 'boolean', default: false },
    'model-dir': { type: 'string' },
    device: { type: 'string' },
    'browser-arg': { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'bench-results' },
    quiet: { type: 'boolean', default: false },
    'no-shoot': { type: 'boolean', default: false },
    'no-cache-rows': { type: 'boolean', default: false },
    'no-compare': { type: 'boolean', default: false },
    'no-quality-map': { type: 'boolean', default: false },
    'no-anyres': { type: 'boolean', default: false },
  },
});

const started = performance.now();
const log = (line: string) => {
  if (!values.quiet) {
    const at = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
    console.error(`[bench ${at} s] ${line}`);
  }
};
const options = defaultOptions(values.smoke, log);
if (values.size === 'fixture' || values.size === 'full') options.size = values.size;
if (values.precisions) options.precisions = parsePrecisions(values.precisions);
if (values['no-keep'] !== undefined) options.noKeepPrecisions = parsePrecisions(values['no-keep']);
if (values.repeats) options.repeats = Math.max(1, Number(values.repeats));
if (values.tokens) options.decodeTokens = Math.max(2, Number(values.tokens));
if (values['decode-repeats']) options.decodeRepeats = Math.max(1, Number(values['decode-repeats']));
if (values['no-webgpu']) options.webgpu = false;
options.noKeepFirst = values['no-keep-first'];
if (values.pixels !== undefined) {
  const known = Object.keys(TEST_PHOTOS);
  options.pixelPhotos = values.pixels
    .split(',')
    .filter(Boolean)
    .map((name) => {
      if (!known.includes(name))
        throw new Error(`--pixels: unknown photo ${name} (${known.join(', ')})`);
      return name as TestPhotoName;
    });
}
if (values['model-dir']) {
  options.modelDir = values['model-dir'];
  options.noKeepPrecisions = [];
}
if (values.device === 'wasm' || values.device === 'webgpu') options.device = values.device;
else if (values.device) throw new Error(`--device must be wasm or webgpu, not ${values.device}`);
options.browserArgs = values['browser-arg'];

// What a long run measured so far, kept if it stops half-way.
options.onPartial = (run) => writeReport(buildReport(run), resolve(values.out), 'partial-');
const report = buildReport(await runBench(options));
const paths = writeReport(report, resolve(values.out));
if (!values.quiet) console.log(reportMarkdown(report));
console.error(`wrote ${paths.join(', ')}`);
// The app itself with 20 and then 200 photos of 12 MP dropped at once (scripts/bench/shoot.ts).
if (!values.smoke && !values['no-shoot']) {
  const rows = await runShootBench([20, 200], 4000, resolve(values.out), log);
  if (!values.quiet) console.log(shootMarkdown(rows));
  // A culling shoot: 50 and 500 small photos (their count matters, not their size), written to
  // bench-results/cull-shoot/, then the grid's DOM size and long tasks while scrolling.
  const cull = await runShootBench([50, 500], 640, resolve(values.out, 'cull-shoot'), log);
  if (!values.quiet) console.log(shootMarkdown(cull));
  const grid = await runGridBench([50, 500], 480, resolve(values.out), log);
  if (!values.quiet) console.log(gridMarkdown(grid));
}
// The photo's prefix cache on and off, in Node on the fixture (scripts/bench/prompt-cache.ts).
if (!values.smoke && !values['no-cache-rows']) {
  const rows = await runPromptCacheBench('fixture', ['fp32'], 3, log);
  writePromptCacheReport(rows, resolve(values.out));
  if (!values.quiet) console.log(promptCacheMarkdown(rows));
}
// Two photos compared in one prompt, both orders, on WASM (scripts/bench/compare.ts).
if (!values.smoke && !values['no-compare']) {
  const rows = await runCompareBench(['fixture', 'full'], 'q8', 16, log);
  writeCompareReport(rows, resolve(values.out));
  if (!values.quiet) console.log(compareMarkdown(rows));
}
// "Show where" on one photo, per region and per photo, on WASM (scripts/bench/quality-map.ts).
if (!values.smoke && !values['no-quality-map']) {
  const rows = await runQualityMapBench(['fixture', 'full'], 'q8', resolve(values.out), log);
  if (!values.quiet) console.log(qualityMapMarkdown(rows));
}
// Reference (anyres) beside single crop at 0.3, 1, 12 and 24 MP (scripts/bench/anyres.ts).
const anyresMissing: string[] = [];
if (!values.smoke && !values['no-anyres']) {
  const anyres = await runAnyresBench({
    smoke: false,
    precision: 'q8',
    sizes: ['0.3', '1', '12', '24'],
    out: resolve(values.out),
    log,
  });
  if (!values.quiet) console.log(anyresMarkdown(anyres));
  anyresMissing.push(...missingAnyresFigures(anyres));
}
const missing = [...missingFigures(report), ...anyresMissing];
if (missing.length > 0 || report.run.problems.length > 0) {
  console.error(`Missing or non-finite figures: ${missing.join('; ') || 'none'}`);
  console.error(`Problems: ${report.run.problems.join('; ') || 'none'}`);
  process.exitCode = 1;
}
