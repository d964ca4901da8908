/**
 * The converted stand-in for Q-SiT-mini that the journeys load: a checkpoint with the real
 * geometry (384 px, 729 image tokens), the real Qwen2 vocabulary and tokenizer, tiny random weights,
 * stored as F16 safetensors with the legacy llava-hf names — then run through the converter into
 * a model folder. Skips when the converter's sources have not changed since the last run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_CONFIG } from '../model-graphs/configs.ts';
import type { PrecisionName } from '../model-graphs/precisions.ts';
import { convertModel } from './convert.ts';
import { writeTinyCheckpoint } from './tiny-checkpoint.ts';

/** Folder name under public/models/ (the app opens it with `?model=local:<name>`). */
export const CONVERTED_MODEL_NAME = 'q-sit-mini-converted-tiny';
const PRECISIONS: PrecisionName[] = ['fp32', 'q8', 'q4'];
const SEED = 424242;
const STAMP = '.e2e-stamp';

function sourcesHash(): string {
  const hash = createHash('sha256').update(JSON.stringify({ FIXTURE_CONFIG, SEED, PRECISIONS }));
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, join(here, '../model-graphs')]) {
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        hash.update(file).update(readFileSync(join(dir, file)));
      }
    }
  }
  return hash.digest('hex');
}

/**
 * The stand-in checkpoint converted into `outDir`; one per output folder, as the unit tests and
 * the e2e set-up may run at once.
 */
export function testCheckpointDir(outDir: string): string {
  const tag = createHash('sha256').update(outDir).digest('hex').slice(0, 8);
  return resolve(`.cache/convert/e2e-checkpoint-${tag}`);
}

/** Writes (or keeps) the converted test model in `outDir`; returns whether it was rebuilt. */
export async function ensureConvertedTestModel(
  outDir = resolve('public/models', CONVERTED_MODEL_NAME),
): Promise<boolean> {
  const hash = sourcesHash();
  const stampPath = join(outDir, STAMP);
  const checkpoint = testCheckpointDir(outDir);
  const upToDate =
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === hash &&
    existsSync(join(checkpoint, 'model.safetensors'));
  if (upToDate) return false;
  rmSync(checkpoint, { recursive: true, force: true });
  writeTinyCheckpoint(checkpoint, {
    config: FIXTURE_CONFIG,
    seed: SEED,
    dtype: 'F16',
    names: 'legacy',
    tokenizer: 'real',
  });
  await convertModel({ source: checkpoint, outDir, precisions: PRECISIONS });
  writeFileSync(stampPath, hash);
  return true;
}
