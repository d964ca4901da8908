/**
 * A full-size LLaVA-OneVision-0.5B with random weights (real shapes, SHAPES.md), for speed
 * measurements: same graphs and op types as the Hub's variants, so timings are representative.
 * Takes about 1.5 min and 1.1 GB on disk for q4 alone on a 2-core machine.
 */
import { FULL_SIZE_CONFIG, type ModelVariant } from './configs.ts';
import { writeModelFolder, type ModelFolderResult } from './model-folder.ts';
import type { PrecisionName } from './precisions.ts';
import { randomWeights } from './weights.ts';

const SEED = 1;

/** Writes the full-size random model into `outDir` (skips when already up to date). */
export function writeFullSizeRandomModel(
  outDir: string,
  precisions: PrecisionName[],
  force = false,
  variant: ModelVariant = {},
): ModelFolderResult {
  // No memoization: the full set of fp32 weights would need about 2 GB of memory.
  return writeModelFolder({
    outDir,
    config: { ...FULL_SIZE_CONFIG, ...variant },
    precisions,
    weights: randomWeights(SEED),
    weightsId: `random:seed=${SEED}`,
    force,
  });
}
