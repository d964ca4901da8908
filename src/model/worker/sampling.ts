/**
 * Choosing the next token from one step's logits: a repetition penalty, then either the most
 * probable token (greedy, as the papers evaluate) or a draw from the top tokens (Regenerate).
 */
import type { Sampling } from '../protocol.ts';

/** A small seeded generator (mulberry32), so a sampled answer can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * CTRL-style repetition penalty, in place: each token already generated has its logit divided by
 * `penalty` when positive and multiplied when negative.
 */
export function penaliseRepeats(
  logits: Float32Array,
  generated: readonly number[],
  penalty: number,
) {
  if (penalty === 1) return;
  for (const id of new Set(generated)) {
    const value = logits[id];
    if (value === undefined) continue;
    logits[id] = value > 0 ? value / penalty : value * penalty;
  }
}

/** Index of the largest logit (the first one on ties). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i]!;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** The `k` largest logits, best first, as [token, logit] pairs. */
export function topK(logits: ArrayLike<number>, k: number): [number, number][] {
  const top: [number, number][] = [];
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i]!;
    if (top.length === k && value <= top[k - 1]![1]) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]![1] < value) at--;
    top.splice(at, 0, [i, value]);
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * A draw from the `topK` most probable tokens at `temperature`, cut to the smallest set whose
 * probability reaches `topP` (nucleus sampling).
 */
export function sampleToken(
  logits: ArrayLike<number>,
  options: { temperature: number; topP: number; topK: number },
  random: () => number,
): number {
  const candidates = topK(logits, Math.max(1, options.topK));
  const temperature = Math.max(1e-3, options.temperature);
  const max = candidates[0]![1];
  const weights = candidates.map(([, logit]) => Math.exp((logit - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let kept = 0;
  let mass = 0;
  while (kept < candidates.length && mass < options.topP * total) mass += weights[kept++]!;
  let r = random() * mass;
  for (let i = 0; i < kept; i++) {
    r -= weights[i]!;
    if (r <= 0) return candidates[i]![0];
  }
  return candidates[kept - 1]![0];
}

/** Picks the next token for a step: penalty, then greedy or sampled. */
export class TokenChooser {
  private readonly random: () => number;
  constructor(
    private readonly sampling: Sampling,
    private readonly repetitionPenalty: number,
  ) {
    this.random = seededRandom(sampling.kind === 'sample' ? sampling.seed : 0);
  }

  /** `logits` is modified in place (the penalty). */
  choose(logits: Float32Array, generated: readonly number[]): number {
    penaliseRepeats(logits, generated, this.repetitionPenalty);
    return this.sampling.kind === 'greedy'
      ? argmax(logits)
      : sampleToken(logits, this.sampling, this.random);
  }
}
