/**
 * The prompt-cache benchmark: the app's own QualityModel (what the model worker runs) in Node on
 * onnxruntime-node's CPU backend, with the photo's prefix cache on and off. It reports the time
 * for the score plus every attribute question divided by the score alone, a chat follow-up's time
 * to first token with and without the cache, the cache's bytes per photo, and the process's memory
 * with 1 and 10 photos cached. Node's CPU backend is not the browser's WASM one: the ratios carry
 * over, the absolute times do not.
 *
 *   npm run bench:cache                              # fixture model, fp32, 3 repeats
 *   npm run bench:cache -- --size full --precisions q8   # the full-size random model (large)
 *
 * Writes bench-results/prompt-cache-latest.{json,md}. Never judges the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, type RawImage } from '@huggingface/transformers';
import { ATTRIBUTE_RATINGS, YES_NO_CHECKS } from '../../src/model/attribute-recipes.ts';
import { conversationTurns } from '../../src/model/conversation.ts';
import { PATHWAY_RECIPE } from '../../src/model/explain-recipes.ts';
import { presetDtypes } from '../../src/model/precision.ts';
import type { GenerationRequest } from '../../src/model/protocol.ts';
import { QSIT_RECIPE } from '../../src/model/recipes.ts';
import { rateAttributes } from '../../src/model/worker/attributes.ts';
import { generateText } from '../../src/model/worker/generation.ts';
import { QualityModel } from '../../src/model/worker/quality-model.ts';
import { loadModelParts } from '../../src/model/worker/runtime.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';
import { photoPixels } from '../node-model.ts';
import { ensureTestPhotos, TEST_PHOTOS } from '../test-photos.ts';
import { benchModels, ensureBenchModel } from './models.ts';
import { summarise, type Summary } from './stats.ts';

/** One model and precision measured with and without the cache. */
export interface PromptCacheRow {
  model: string;
  precision: string;
  /** Attribute ratings plus yes/no checks asked after the score. */
  questions: number;
  /** A new photo's score (encoding, prefix, question) with the cache; without it. */
  scoreMs: Summary;
  scoreNoCacheMs: Summary;
  /** Score plus every attribute question, divided by the score alone (median of repeats). */
  attributesRatio: number;
  attributesRatioNoCache: number;
  /** A follow-up question's time to first token (its prefill) after a 16-token description. */
  followUpMs: Summary;
  followUpNoCacheMs: Summary;
  /** Where the follow-up continued from with the cache on. */
  followUpFrom: string;
  /** Bytes of one photo's prefix cache, and its tokens. */
  prefixBytes: number;
  prefixTokens: number;
  /** Resident memory of this process and the caches' bytes with 1 and 10 photos cached. */
  rssOneMiB: number;
  rssTenMiB: number;
  cacheTenMiB: number;
}

const MiB = 1024 * 1024;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

function followUpRequest(photoId: string, description: string): GenerationRequest {
  return {
    photoId,
    turns: conversationTurns(
      [{ question: PATHWAY_RECIPE.describePrompt, answer: description }],
      'Why is it noisy, and how could I shoot it better?',
    ),
    maxNewTokens: 1,
    sampling: { kind: 'greedy' },
    repetitionPenalty: 1.1,
    contextTokens: 2048,
  };
}

/** Score, attributes and a follow-up for one fresh photo id on `model`; times in ms. */
async function onePhoto(model: QualityModel, photoId: string, photo: RawImage) {
  const [, scoreMs] = await timed(() => model.score(photoId, photo, QSIT_RECIPE));
  const [, attributesMs] = await timed(() =>
    rateAttributes(model, photoId, QSIT_RECIPE, PATHWAY_RECIPE, { isCancelled: () => false }),
  );
  const description = await generateText(
    model,
    null,
    {
      ...followUpRequest(photoId, ''),
      turns: conversationTurns([], PATHWAY_RECIPE.describePrompt),
      maxNewTokens: 16,
    },
    { isCancelled: () => false },
  );
  let from = 'none';
  const started = performance.now();
  let followUpMs = NaN;
  await generateText(model, null, followUpRequest(photoId, description.text), {
    isCancelled: () => false,
    onStart: (prompt) => {
      followUpMs = performance.now() - started;
      from = prompt.reusedFrom ?? 'none';
    },
  });
  return { scoreMs, attributesMs, followUpMs, from };
}

export async function runPromptCacheBench(
  size: 'fixture' | 'full',
  precisions: PrecisionName[],
  repeats: number,
  log: (line: string) => void,
): Promise<PromptCacheRow[]> {
  await ensureTestPhotos();
  const photo = await photoPixels(TEST_PHOTOS.landscapeJpeg);
  const rows: PromptCacheRow[] = [];
  for (const bench of benchModels(size, precisions, [])) {
    ensureBenchModel(bench);
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${resolve(bench.dir, '..')}/`;
    for (const precision of precisions) {
      log(`${bench.id} ${precision}: loading`);
      const parts = await loadModelParts(bench.id, presetDtypes(precision), 'cpu');
      const cached = new QualityModel(parts);
      const plain = new QualityModel(parts, 12, 0);
      // Warm-up: the first runs of a session allocate.
      await onePhoto(cached, 'warm-up', photo);
      await onePhoto(plain, 'warm-up', photo);
      const on = { score: [] as number[], ratio: [] as number[], followUp: [] as number[] };
      const off = { score: [] as number[], ratio: [] as number[], followUp: [] as number[] };
      let from = '';
      for (let r = 0; r < repeats; r++) {
        const a = await onePhoto(cached, `photo-${r}`, photo);
        const b = await onePhoto(plain, `photo-${r}`, photo);
        on.score.push(a.scoreMs);
        on.ratio.push((a.scoreMs + a.attributesMs) / a.scoreMs);
        on.followUp.push(a.followUpMs);
        off.score.push(b.scoreMs);
        off.ratio.push((b.scoreMs + b.attributesMs) / b.scoreMs);
        off.followUp.push(b.followUpMs);
        from = a.from;
        log(
          `${precision} repeat ${r + 1}: score ${a.scoreMs.toFixed(0)} / ${b.scoreMs.toFixed(0)} ms, ` +
            `follow-up ${a.followUpMs.toFixed(0)} / ${b.followUpMs.toFixed(0)} ms (cache / none)`,
        );
      }
      // Memory: one photo's prefix, then ten.
      const memory = new QualityModel(parts);
      await memory.score('mem-0', photo, QSIT_RECIPE);
      const prefix = memory.caches.status().entries[0]!;
      const rssOne = process.memoryUsage().rss;
      for (let i = 1; i < 10; i++) await memory.score(`mem-${i}`, photo, QSIT_RECIPE);
      const rssTen = process.memoryUsage().rss;
      rows.push({
        model: bench.id,
        precision,
        questions: ATTRIBUTE_RATINGS.length + YES_NO_CHECKS.length,
        scoreMs: summarise(on.score),
        scoreNoCacheMs: summarise(off.score),
        attributesRatio: summarise(on.ratio).median,
        attributesRatioNoCache: summarise(off.ratio).median,
        followUpMs: summarise(on.followUp),
        followUpNoCacheMs: summarise(off.followUp),
        followUpFrom: from,
        prefixBytes: prefix.bytes,
        prefixTokens: prefix.tokens,
        rssOneMiB: rssOne / MiB,
        rssTenMiB: rssTen / MiB,
        cacheTenMiB: memory.caches.status().usedBytes / MiB,
      });
      for (const model of [cached, plain, memory]) model.caches.clear();
    }
  }
  return rows;
}

const ms = (s: Summary) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;

export function promptCacheMarkdown(rows: PromptCacheRow[]): string {
  const lines = [
    `## Prompt cache (Node, onnxruntime-node CPU, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)})`,
    '',
    '| model | precision | score (cache / none) | score + all attribute questions ÷ score (cache / none) | follow-up time to first token (cache / none) | ratio | prefix cache per photo | RSS with 1 / 10 photos cached (caches) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.model} | ${r.precision} | ${ms(r.scoreMs)} / ${ms(r.scoreNoCacheMs)} | ` +
        `${r.attributesRatio.toFixed(2)} / ${r.attributesRatioNoCache.toFixed(2)} (${r.questions} questions) | ` +
        `${ms(r.followUpMs)} (from ${r.followUpFrom}) / ${ms(r.followUpNoCacheMs)} | ` +
        `${(r.followUpMs.median / r.followUpNoCacheMs.median).toFixed(2)}× | ` +
        `${(r.prefixBytes / 1024).toFixed(0)} kB (${r.prefixTokens} tokens) | ` +
        `${r.rssOneMiB.toFixed(0)} / ${r.rssTenMiB.toFixed(0)} MiB (${r.cacheTenMiB.toFixed(1)} MiB) |`,
    );
  }
  return lines.join('\n');
}

export function writePromptCacheReport(rows: PromptCacheRow[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'prompt-cache-latest.json');
  const md = join(dir, 'prompt-cache-latest.md');
  writeFileSync(json, JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  writeFileSync(md, `${promptCacheMarkdown(rows)}\n`);
  return [json, md];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'fixture' },
      precisions: { type: 'string', default: 'fp32' },
      repeats: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const size = values.size === 'full' ? 'full' : 'fixture';
  const rows = await runPromptCacheBench(
    size,
    values.precisions.split(',') as PrecisionName[],
    Math.max(1, Number(values.repeats)),
    (line) => console.error(`[bench:cache] ${line}`),
  );
  console.log(promptCacheMarkdown(rows));
  console.error(`wrote ${writePromptCacheReport(rows, resolve(values.out)).join(', ')}`);
}
