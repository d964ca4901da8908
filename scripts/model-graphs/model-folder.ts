/**
 * Writes a complete transformers.js model folder (JSON files, tokenizer, image_newline.json,
 * onnx/*.onnx) and keeps a stamp so an unchanged generator with an unchanged config does not
 * rewrite anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph, GRAPH_NAMES, graphFileName } from './build.ts';
import type { LlavaOnevisionConfig } from './configs.ts';
import { modelJsonFiles, tokenizerJson, tokenizerSourcePath } from './model-files.ts';
import { PRECISIONS, type PrecisionName } from './precisions.ts';
import type { WeightSource } from './weights.ts';
import { IMAGE_NEWLINE_FILE, imageNewlineJson } from '../../src/model/image-newline.ts';

/** Bump when the output changes in a way the hash cannot see (e.g. onnx-proto's encoder). */
export const GENERATOR_VERSION = 1;
const STAMP_FILE = '.generator-stamp.json';

interface Stamp {
  hash: string;
  precisions: PrecisionName[];
}

/** What to write and where. */
export interface ModelFolderOptions {
  outDir: string;
  config: LlavaOnevisionConfig;
  precisions: PrecisionName[];
  weights: WeightSource;
  /** Identifies the weight source in the stamp (e.g. `random:seed=1`). */
  weightsId: string;
  /** Rewrite even when the stamp matches. */
  force?: boolean;
}

/** What {@link writeModelFolder} did. */
export interface ModelFolderResult {
  skipped: boolean;
  written: string[];
}

/** Hash of the generator's own sources, the source vocabulary, the config and the weight source id. */
function generatorHash(config: LlavaOnevisionConfig, weightsId: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ GENERATOR_VERSION, config, weightsId }));
  hash.update(readFileSync(tokenizerSourcePath()));
  const here = dirname(fileURLToPath(import.meta.url));
  for (const file of readdirSync(here).sort()) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts'))
      hash.update(file).update(readFileSync(join(here, file)));
  }
  return hash.digest('hex');
}

function readStamp(outDir: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(join(outDir, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return null;
  }
}

/** Writes (or skips) the model folder; only missing precisions are built when the hash matches. */
export function writeModelFolder(options: ModelFolderOptions): ModelFolderResult {
  const { outDir, config, weights } = options;
  const hash = generatorHash(config, options.weightsId);
  const stamp = options.force ? null : readStamp(outDir);
  const sameGenerator = stamp?.hash === hash;
  const have = new Set(sameGenerator ? stamp.precisions : []);
  const filesPresent = (p: PrecisionName): boolean =>
    GRAPH_NAMES.every((g) => existsSync(join(outDir, 'onnx', graphFileName(g, PRECISIONS[p]))));
  const todo = options.precisions.filter((p) => !have.has(p) || !filesPresent(p));
  if (sameGenerator && todo.length === 0) return { skipped: true, written: [] };

  const written: string[] = [];
  const write = (relative: string, data: string | Uint8Array): void => {
    writeFileSync(join(outDir, relative), data);
    written.push(relative);
  };
  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  if (!sameGenerator) {
    rmSync(join(outDir, STAMP_FILE), { force: true });
    for (const file of readdirSync(join(outDir, 'onnx'))) {
      if (file.endsWith('.onnx')) rmSync(join(outDir, 'onnx', file));
    }
    for (const [name, text] of Object.entries(modelJsonFiles(config))) write(name, text);
    write('tokenizer.json', tokenizerJson());
    // The reference image mode's newline vector (no graph holds it).
    write(IMAGE_NEWLINE_FILE, imageNewlineJson(weights('image_newline', [config.text.hidden])));
  }
  for (const name of todo) {
    const precision = PRECISIONS[name];
    for (const graph of GRAPH_NAMES) {
      write(
        join('onnx', graphFileName(graph, precision)),
        buildGraph(graph, config, precision, weights),
      );
    }
  }
  const precisions = [...new Set([...have, ...todo])].sort();
  writeFileSync(join(outDir, STAMP_FILE), `${JSON.stringify({ hash, precisions }, null, 2)}\n`);
  return { skipped: false, written };
}
