import { LEVELS, type LevelKey } from './recipes.ts';

/** What a scoring pass yields: the five level probabilities and the score they imply. */
export interface QualityScore {
  /** Probabilities in LEVELS order (excellent … bad); they sum to 1. */
  probabilities: [number, number, number, number, number];
  /** S = Σ p_i · G(l_i), from 1 (bad) to 5 (excellent). */
  score: number;
  /** The same score on 0–100: (S − 1) / 4 · 100. */
  score100: number;
  /** The most probable level. */
  topLevel: LevelKey;
}

/** Numerically stable softmax over a handful of logits. */
export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Q-Align / Q-SiT scoring: softmax over the five level-word logits only, then the weighted sum of
 * the level weights (5 … 1).
 */
export function scoreFromLevelLogits(levelLogits: readonly number[]): QualityScore {
  if (levelLogits.length !== LEVELS.length) {
    throw new Error(`Expected ${LEVELS.length} level logits, got ${levelLogits.length}`);
  }
  if (levelLogits.some((l) => !Number.isFinite(l))) {
    throw new Error(
      'The model returned non-finite logits (the weights or precision may be broken)',
    );
  }
  const p = softmax(levelLogits) as QualityScore['probabilities'];
  const score = p.reduce((s, pi, i) => s + pi * LEVELS[i]!.weight, 0);
  let top = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[top]!) top = i;
  return { probabilities: p, score, score100: ((score - 1) / 4) * 100, topLevel: LEVELS[top]!.key };
}
