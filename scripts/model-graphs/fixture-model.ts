/** The test fixture: the real architecture, files and vocabulary with tiny random weights. */
import { FIXTURE_CONFIG, type ModelVariant } from './configs.ts';
import { writeModelFolder, type ModelFolderResult } from './model-folder.ts';
import type { PrecisionName } from './precisions.ts';
import { memoizeWeights, randomWeights } from './weights.ts';

/** Model id the app and tests use for the fixture (a folder under the local model path). */
export const FIXTURE_MODEL_ID = 'llava-onevision-fixture';
/** Default output folder, relative to the repository root. */
export const FIXTURE_DEFAULT_DIR = `.cache/models/${FIXTURE_MODEL_ID}`;
/**
 * The fixture with a known opinion: +30 on the logit of `Excellent`, Q-SiT's best level word (no
 * leading space), so it rates every photo and every attribute 5 / 5 whatever it sees. The journeys
 * use it to show a disagreement with the pixel measures on a photo made noisy on purpose.
 */
export const OPINIONATED_FIXTURE_ID = 'llava-onevision-fixture-opinionated';
export const OPINIONATED_FIXTURE: ModelVariant = {
  decoderLogitBias: { piece: 'Excellent', value: 30 },
};
/** Precisions written when none are asked for. */
export const FIXTURE_DEFAULT_PRECISIONS: PrecisionName[] = ['fp32', 'q4', 'fp16'];
const SEED = 20240816;

/** Writes the fixture model folder into `outDir` (skips when already up to date). */
export function writeFixtureModel(
  outDir: string,
  precisions: PrecisionName[] = FIXTURE_DEFAULT_PRECISIONS,
  force = false,
  variant: ModelVariant = {},
): ModelFolderResult {
  return writeModelFolder({
    outDir,
    config: { ...FIXTURE_CONFIG, ...variant },
    precisions,
    weights: memoizeWeights(randomWeights(SEED)),
    weightsId: `random:seed=${SEED}`,
    force,
  });
}
