/**
 * Generates the fixture model (tiny random LLaVA-OneVision with the real files and vocabulary).
 *
 *   npm run fixture                         # fp32, q4, fp16 into .cache/models/llava-onevision-fixture
 *   npm run fixture -- --out DIR --precisions fp32,q4,fp16,q4f16,q8 --force
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FIXTURE_DEFAULT_DIR,
  FIXTURE_DEFAULT_PRECISIONS,
  writeFixtureModel,
} from './model-graphs/fixture-model.ts';
import { parsePrecisions } from './model-graphs/precisions.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: FIXTURE_DEFAULT_DIR },
    precisions: { type: 'string', default: FIXTURE_DEFAULT_PRECISIONS.join(',') },
    force: { type: 'boolean', default: false },
  },
});

const outDir = resolve(values.out);
const started = performance.now();
const result = writeFixtureModel(outDir, parsePrecisions(values.precisions), values.force);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (result.skipped) {
  console.log(`fixture up to date in ${outDir}`);
} else {
  console.log(`fixture written to ${outDir} in ${seconds} s: ${result.written.join(', ')}`);
}
