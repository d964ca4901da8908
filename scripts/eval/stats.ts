/**
 * The statistics `npm run eval` prints: Spearman's rank correlation (SRCC), Pearson's linear
 * correlation (PLCC) raw and after the four-parameter logistic fit the IQA papers use (VQEG), and
 * seeded percentile-bootstrap 95 % intervals for each.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';

/** Ranks from 1, ties sharing the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's correlation; NaN when either side is constant or there are fewer than 2 pairs. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n !== b.length) throw new Error('pearson: the two lists differ in length');
  if (n < 2) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation: Pearson's on average ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** β1…β4 of f(x) = (β1 − β2) / (1 + exp(−(x − β3) / |β4|)) + β2. */
export type LogisticParams = [number, number, number, number];

/** The four-parameter logistic (VQEG, as the IQA papers' PLCC code fits it). */
export function logistic4([b1, b2, b3, b4]: readonly number[], x: number): number {
  return (b1! - b2!) / (1 + Math.exp(-(x - b3!) / Math.abs(b4!))) + b2!;
}

/**
 * Least-squares fit of the logistic mapping predictions `x` to MOS `y` (Levenberg–Marquardt from
 * ml-levenberg-marquardt, analytical Jacobian). Starts from the usual guess (β1 = max MOS,
 * β2 = min MOS, β3 = mean prediction, β4 = its standard deviation / 2) unless `start` is given.
 *
 * The mapping is kept increasing (β1 ≥ β2, β4 > 0): unconstrained, it can turn over and make a
 * score that falls as MOS rises look well correlated (PLCC 0.8 beside SRCC −0.5).
 */
export function fitLogistic4(
  x: readonly number[],
  y: readonly number[],
  start?: LogisticParams,
  iterations = 100,
): LogisticParams | null {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length) || 1;
  const initial: LogisticParams = start ?? [Math.max(...y), Math.min(...y), mean, sd / 2];
  // Fitted as (span = β1 − β2 ≥ 0, β2, β3, β4 > 0) so that box limits keep it increasing.
  const span = (p: readonly number[]) => Math.max(0, p[0]!);
  let result;
  try {
    result = levenbergMarquardt(
      { x, y },
      (p) => (v) => logistic4([p[0]! + p[1]!, p[1]!, p[2]!, p[3]!], v),
      {
        initialValues: [
          Math.max(0, initial[0] - initial[1]),
          initial[1],
          initial[2],
          Math.abs(initial[3]) || sd,
        ],
        minValues: [0, -Infinity, -Infinity, 1e-9],
        maxValues: [Infinity, Infinity, Infinity, Infinity],
        jacobianFunction: (p: number[]) => (v: number) => {
          const s = p[3]!;
          const g = 1 / (1 + Math.exp(-(v - p[2]!) / s));
          // ∂g/∂β3 = −g(1 − g)/s and ∂g/∂β4 = −g(1 − g)(v − β3)/s², finite where exp overflows.
          const slope = -span(p) * g * (1 - g);
          return [g, 1, slope / s, (slope * (v - p[2]!)) / (s * s)];
        },
        damping: 1e-2,
        maxIterations: iterations,
        errorTolerance: 1e-12,
      },
    );
  } catch {
    // The solver gives up on degenerate data (e.g. all scores equal): no fit, no fitted PLCC.
    return null;
  }
  const [d, b2, b3, b4] = result.parameterValues;
  const params: LogisticParams = [d! + b2!, b2!, b3!, b4!];
  return params.every(Number.isFinite) ? params : null;
}

/** PLCC after mapping the predictions through the fitted logistic (NaN: no usable fit). */
export function fittedPearson(
  x: readonly number[],
  y: readonly number[],
  start?: LogisticParams,
): { plcc: number; params: LogisticParams | null } {
  const params = fitLogistic4(x, y, start);
  if (!params) return { plcc: NaN, params };
  const mapped = x.map((v) => logistic4(params, v));
  // A flat best fit (the scores fall as MOS rises) has no correlation to report.
  const range = Math.max(...y) - Math.min(...y);
  const spread = Math.max(...mapped) - Math.min(...mapped);
  return { plcc: spread <= 1e-9 * range ? NaN : pearson(mapped, y), params };
}

/** A small seeded generator (mulberry32): the same seed gives the same resamples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value of a statistic and its 95 % percentile-bootstrap interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/** Value at quantile q of sorted finite values (linear interpolation, as numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The statistic on the data, and the 2.5 % and 97.5 % quantiles of the statistic over `samples`
 * resamples of the pairs with replacement (seeded). Resamples where it is undefined (all one
 * value) are left out.
 */
export function bootstrap(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: number[], y: number[]) => number,
  samples: number,
  seed: number,
): Estimate {
  const value = statistic([...x], [...y]);
  const random = seededRandom(seed);
  const n = x.length;
  const values: number[] = [];
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      bx[i] = x[j]!;
      by[i] = y[j]!;
    }
    const v = statistic(bx, by);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return { value, low: quantile(values, 0.025), high: quantile(values, 0.975) };
}

/** What `npm run eval` reports for one image mode. */
export interface CorrelationSummary {
  n: number;
  srcc: Estimate;
  /** Pearson's on the scores as they are. */
  plccRaw: Estimate;
  /**
   * Pearson's after the four-parameter logistic fit (what papers report as PLCC); NaN when the
   * best increasing fit is flat. Its interval resamples with the mapping fitted on all photos.
   */
  plcc: Estimate;
  /** The fitted β1…β4 (null when the fit failed). */
  logistic: LogisticParams | null;
  bootstrapSamples: number;
  seed: number;
}

/** SRCC and PLCC (raw and fitted) of scores against MOS, each with its bootstrap interval. */
export function correlations(
  scores: readonly number[],
  mos: readonly number[],
  samples = 1000,
  seed = 1,
): CorrelationSummary {
  const full = fittedPearson(scores, mos);
  const params = full.params;
  const mapped =
    params && !Number.isNaN(full.plcc)
      ? scores.map((v) => logistic4(params, v))
      : scores.map(() => 0);
  return {
    n: scores.length,
    srcc: bootstrap(scores, mos, spearman, samples, seed),
    plccRaw: bootstrap(scores, mos, pearson, samples, seed),
    // The mapping is fitted once, on every photo; the resamples correlate its output with MOS.
    // This leaves the fit's own uncertainty out (4 parameters against hundreds of photos): a
    // refit per resample costs ~0.5 s at 2,000 photos, minutes for 1,000 resamples.
    plcc: bootstrap(mapped, mos, pearson, samples, seed),
    logistic: full.params,
    bootstrapSamples: samples,
    seed,
  };
}
