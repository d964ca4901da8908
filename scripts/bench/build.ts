/**
 * Builds the benchmark page with Vite (the app's config, src/bench/index.html as the entry) and
 * skips the build when nothing it is made of changed. Model folders are linked into the build and
 * the test photos copied, so `vite preview` serves them from the same origin.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'vite';
import type { BenchModel } from './models.ts';
import { benchViteConfig } from './vite-bench-config.ts';

const STAMP = '.bench-build-stamp';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** Hash of everything the bundle is built from. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(resolve('src')),
    resolve('vite.config.ts'),
    resolve('scripts/bench/vite-bench-config.ts'),
    resolve('package-lock.json'),
  ];
  for (const file of inputs) {
    if (existsSync(file)) hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Builds into `outDir` unless an up-to-date build is there; returns whether it built. */
export async function buildBenchPage(outDir: string): Promise<boolean> {
  const hash = sourceHash();
  const stampPath = join(outDir, STAMP);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) return false;
  await build(benchViteConfig(outDir, 0));
  writeFileSync(stampPath, hash);
  return true;
}

/** Links the model folders under `<outDir>/models/` and copies photos under `<outDir>/photos/`. */
export function stageFiles(outDir: string, models: BenchModel[], photos: string[]): void {
  const modelsDir = join(outDir, 'models');
  rmSync(modelsDir, { recursive: true, force: true });
  mkdirSync(modelsDir, { recursive: true });
  for (const model of models) symlinkSync(model.dir, join(modelsDir, model.id), 'dir');
  const photosDir = join(outDir, 'photos');
  mkdirSync(photosDir, { recursive: true });
  for (const photo of photos) {
    const target = join(photosDir, basename(photo));
    if (!existsSync(target) || statSync(target).size !== statSync(photo).size)
      copyFileSync(photo, target);
  }
}
