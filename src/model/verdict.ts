/**
 * What a score says in words, and when a score should not be trusted at all. Both are read by the
 * score card; they are rules about the model's output and input, so they live with the model.
 */
import { LEVELS, type LevelKey } from './recipes.ts';

/**
 * The level a score stands for: the one whose weight G (5 excellent … 1 bad) is nearest to the
 * score, halves going up (3.5 reads "good"). The most probable single level can disagree (3.06
 * with "excellent" at 21.6 % when the five are nearly even); the score weighs all five, so the
 * verdict follows the score.
 */
export function verdictForScore(score: number): LevelKey {
  const weight = Math.min(5, Math.max(1, Math.floor(score + 0.5)));
  return LEVELS.find((level) => level.weight === weight)!.key;
}

/**
 * The vision encoder (SigLIP, as in LLaVA-OneVision and Q-SiT) sees every picture resized to
 * 384 × 384 and cut into a grid of 27 × 27 patches of 14 px.
 */
export const ENCODER_PATCH_GRID = 27;

/**
 * Why a score says little about this picture, or null when it can be judged. The rule: a side
 * shorter than the encoder's patch grid (27 px) leaves every patch along it less than one source
 * pixel of detail; what the model then rates is the blur of the enlargement, not the photo. This
 * covers 1 × 1, 8 × 8 and 3000 × 2 pictures, and every picture the pixel analysis already calls
 * too small to judge (short side below 16 px).
 */
export function tooSmallToScore(width: number, height: number): string | null {
  const short = Math.min(width, height);
  if (!(short > 0) || short >= ENCODER_PATCH_GRID) return null;
  const side = width === height ? 'wide and tall' : width < height ? 'wide' : 'tall';
  return (
    `This picture is only ${short} ${short === 1 ? 'pixel' : 'pixels'} ${side} (${width} × ${height}): ` +
    `the model sees it enlarged to 384 × 384, so this score rates the enlargement's blur, not the ` +
    `picture. Treat it as not meaningful.`
  );
}
