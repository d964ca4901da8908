/**
 * Bursts and near-duplicates of a shoot, and the app's suggested best of each (issue 10, item 4).
 *
 * Two photos are linked when they were taken close in time and look alike; groups are the
 * connected photos (single linkage, with a union–find). "Look alike" is the pixel fingerprint's
 * distance, and the model's mean-pooled image features join in once they agree with the
 * fingerprint on this shoot (a model with random or unsuited weights then cannot break grouping).
 *
 * Cost for n photos: sorting by capture time O(n log n); pairs are only formed within the time
 * window, O(n·k) for k photos per window (k ≈ 10 in a busy shoot), plus O(n·u) for the u photos
 * without a capture time, which are compared with every photo. Deterministic: the same photos
 * and strictness give the same groups in the same order, whatever order they arrive in.
 */
import type { PhotoFingerprint } from '../pixels/protocol.ts';

/** What grouping needs to know about one photo. */
export interface GroupingPhoto {
  id: string;
  /** Capture time in ms (EXIF DateTimeOriginal read as UTC), or null when the file has none. */
  takenMs: number | null;
  /** Position in the shoot (the order the photos were added): the tie-break for equal times. */
  order: number;
  fingerprint: PhotoFingerprint | null;
  /** The model's mean-pooled image features, once scored. */
  features: Float32Array | null;
}

/** Which signal decided how alike two photos look. */
export type GroupingSignal = 'fingerprint' | 'model+fingerprint';

export interface Grouping {
  /** Member ids in capture order; groups ordered by their first member. Singles included. */
  groups: string[][];
  signal: GroupingSignal;
  /**
   * How well the model's feature distance separates the photo pairs (close or next in time) that
   * the fingerprint links from those it does not: ROC area, 0.5 chance, 1 perfect (null when too
   * few pairs have both).
   */
  agreement: number | null;
}

/**
 * A capture time as the EXIF reader gives it ("2026-05-01T10:00:02": the camera's local time
 * without a zone) in ms, read as UTC: only differences between photos of one camera matter.
 */
export function capturedMs(taken: string | undefined): number | null {
  if (!taken) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(taken) ? taken : `${taken}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Loose (0) ↔ strict (1); the slider's middle is the default. */
export const DEFAULT_STRICTNESS = 0.5;

/**
 * Model features are trusted when they separate the pairs the fingerprint links from the others
 * this well (ROC area; 0.5 is chance).
 */
export const MODEL_AGREEMENT = 0.9;
/** Fewest pairs of each kind (linked, not linked) to judge the model's agreement on. */
const MIN_AGREEMENT_PAIRS = 10;

/** Longest gap (seconds) between two photos that can still be linked, at this strictness. */
export function timeWindowSeconds(strictness: number): number {
  return 90 - 80 * clamp01(strictness);
}

/** Largest look-alike distance (0–1) that links two photos, at this strictness. */
export function distanceThreshold(strictness: number): number {
  return 0.3 - 0.2 * clamp01(strictness);
}

/** Photos without a capture time need to look this much closer to be linked (no time evidence). */
const UNTIMED_FACTOR = 0.6;

const clamp01 = (v: number) => Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0.5));

/** The difference hash as two 32-bit halves, parsed once per fingerprint. */
const hashHalves = new WeakMap<PhotoFingerprint, [number, number]>();
function halvesOf(f: PhotoFingerprint): [number, number] {
  let halves = hashHalves.get(f);
  if (!halves) {
    halves = [parseInt(f.dHash.slice(0, 8), 16) | 0, parseInt(f.dHash.slice(8, 16), 16) | 0];
    hashHalves.set(f, halves);
  }
  return halves;
}

function bitCount(x: number): number {
  let bits = 0;
  for (let v = x >>> 0; v; v &= v - 1) bits++;
  return bits;
}

function hamming(a: PhotoFingerprint, b: PhotoFingerprint): number {
  const [a0, a1] = halvesOf(a);
  const [b0, b1] = halvesOf(b);
  return bitCount(a0 ^ b0) + bitCount(a1 ^ b1);
}

/**
 * How different two fingerprints are, 0 (the same picture) to 1: the mean of the difference
 * hash's Hamming distance (of 64 bits), the greyscale layout's correlation distance and the
 * colour layout's distance.
 */
export function fingerprintDistance(a: PhotoFingerprint, b: PhotoFingerprint): number {
  const hash = hamming(a, b) / 64;
  let dot = 0;
  for (let i = 0; i < a.layout.length; i++) dot += a.layout[i]! * (b.layout[i] ?? 0);
  const layout = (1 - Math.max(-1, Math.min(1, dot))) / 2;
  let sq = 0;
  for (let i = 0; i < a.colour.length; i++) sq += (a.colour[i]! - (b.colour[i] ?? 0)) ** 2;
  // A colour difference of 0.5 (over the mean brightness, in every cell) counts as fully different.
  const colour = Math.min(1, Math.sqrt(sq / Math.max(1, a.colour.length)) / 0.5);
  return (hash + layout + colour) / 3;
}

/** Cosine distance (1 − cos) of two feature vectors, 0–2. */
export function featureDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return na > 0 && nb > 0 ? 1 - dot / Math.sqrt(na * nb) : 1;
}

/**
 * How well `scores` tell the positives from the negatives: the probability that a random positive
 * scores lower than a random negative (the ROC area, by the Mann–Whitney rank sum; ties count
 * half). 0.5 is chance, 1 a perfect separation.
 */
export function separation(scores: number[], positive: boolean[]): number {
  const order = scores.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]![1]]) {
        rankSum += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  // Low scores for positives are what we want, so the area counts negatives ranked above.
  return 1 - (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Groups a shoot's photos at a strictness from 0 (loose) to 1 (strict). */
export function groupShoot(photos: GroupingPhoto[], strictness = DEFAULT_STRICTNESS): Grouping {
  const sorted = [...photos].sort(
    (a, b) =>
      (a.takenMs ?? Infinity) - (b.takenMs ?? Infinity) || a.order - b.order || cmp(a.id, b.id),
  );
  const windowMs = timeWindowSeconds(strictness) * 1000;
  const loosestMs = timeWindowSeconds(0) * 1000;
  const threshold = distanceThreshold(strictness);

  // Candidate pairs: close in time, or either photo without a time; both with a fingerprint.
  // Pairs are formed over the loosest window, so the model's agreement (below) is the same at
  // every strictness and a stricter setting only ever removes links (groups split, never merge).
  const pairs: {
    i: number;
    j: number;
    timed: boolean;
    gapMs: number;
    fp: number;
    model: number | null;
  }[] = [];
  const consider = (i: number, j: number, timed: boolean) => {
    const a = sorted[i]!;
    const b = sorted[j]!;
    if (!a.fingerprint || !b.fingerprint) return;
    const model = a.features && b.features ? featureDistance(a.features, b.features) : null;
    const gapMs = timed ? b.takenMs! - a.takenMs! : 0;
    const fp = fingerprintDistance(a.fingerprint, b.fingerprint);
    pairs.push({ i, j, timed, gapMs, fp, model });
  };
  const timedCount = sorted.findIndex((p) => p.takenMs === null);
  const timedEnd = timedCount < 0 ? sorted.length : timedCount;
  for (let i = 0; i < timedEnd; i++) {
    for (let j = i + 1; j < timedEnd; j++) {
      // The next photo in time always makes a pair, however far: it cannot be linked beyond the
      // window, but it gives the model's agreement pairs of different scenes to rank.
      if (j > i + 1 && sorted[j]!.takenMs! - sorted[i]!.takenMs! > loosestMs) break;
      consider(i, j, true);
    }
  }
  for (let j = timedEnd; j < sorted.length; j++) for (let i = 0; i < j; i++) consider(i, j, false);

  // The model's features count only where they tell apart the pairs the fingerprint links (at
  // the default strictness) from those it does not, as well as MODEL_AGREEMENT: a model with
  // random weights scores about 0.5 and is left out. Once in, its distances are scaled so that
  // its boundary between those two kinds of pair falls on the fingerprint's.
  const both = pairs.filter((p) => p.model !== null && p.timed);
  const boundary = distanceThreshold(DEFAULT_STRICTNESS);
  const linked = both.map((p) => p.fp <= boundary);
  let agreement: number | null = null;
  let scale = 0;
  const linkedCount = linked.filter(Boolean).length;
  if (
    Math.min(linkedCount, both.length - linkedCount) >= MIN_AGREEMENT_PAIRS &&
    both.length >= 2 * MIN_AGREEMENT_PAIRS
  ) {
    agreement = separation(
      both.map((p) => p.model!),
      linked,
    );
    const inside = median(both.filter((_, i) => linked[i]).map((p) => p.model!));
    const outside = median(both.filter((_, i) => !linked[i]).map((p) => p.model!));
    const modelBoundary = (inside + outside) / 2;
    if (agreement >= MODEL_AGREEMENT && modelBoundary > 0) scale = boundary / modelBoundary;
  }
  const signal: GroupingSignal = scale > 0 ? 'model+fingerprint' : 'fingerprint';

  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const p of pairs) {
    if (p.gapMs > windowMs) continue;
    const d = scale > 0 && p.model !== null ? (p.fp + p.model * scale) / 2 : p.fp;
    if (d <= (p.timed ? threshold : threshold * UNTIMED_FACTOR)) {
      const [ri, rj] = [root(p.i), root(p.j)];
      if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
    }
  }
  const byRoot = new Map<number, string[]>();
  sorted.forEach((photo, i) => {
    const r = root(i);
    const members = byRoot.get(r) ?? [];
    members.push(photo.id);
    byRoot.set(r, members);
  });
  // Roots are the smallest index of each group, so map order is the first member's order.
  const groups = [...byRoot.entries()].sort((x, y) => x[0] - y[0]).map(([, ids]) => ids);
  return { groups, signal, agreement };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Pairwise precision and recall of a grouping against the truth (pairs of photos in one group). */
export function pairwiseAgreement(
  found: string[][],
  truth: string[][],
): { precision: number; recall: number; foundPairs: number; truePairs: number } {
  const truthOf = new Map<string, number>();
  truth.forEach((g, i) => g.forEach((id) => truthOf.set(id, i)));
  const foundOf = new Map<string, number>();
  found.forEach((g, i) => g.forEach((id) => foundOf.set(id, i)));
  const countPairs = (groups: string[][], other: Map<string, number>) => {
    let all = 0;
    let agreed = 0;
    for (const g of groups) {
      for (let i = 0; i < g.length; i++) {
        for (let j = i + 1; j < g.length; j++) {
          all++;
          const a = other.get(g[i]!);
          if (a !== undefined && a === other.get(g[j]!)) agreed++;
        }
      }
    }
    return { all, agreed };
  };
  const f = countPairs(found, truthOf);
  const t = countPairs(truth, foundOf);
  return {
    precision: f.all === 0 ? 1 : f.agreed / f.all,
    recall: t.all === 0 ? 1 : t.agreed / t.all,
    foundPairs: f.all,
    truePairs: t.all,
  };
}
