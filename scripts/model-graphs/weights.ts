/**
 * Where weights come from. The graph builders ask a {@link WeightSource} for each parameter by its
 * Hugging Face name and shape (PyTorch layout, e.g. Linear weights are [out, in]); a converter for
 * real checkpoints supplies another source with the same signature.
 */

/** Returns the fp32 values of one parameter, row-major in the Hugging Face (PyTorch) layout. */
export type WeightSource = (name: string, shape: readonly number[]) => Float32Array;

/** FNV-1a over the UTF-16 code units of `text`, mixed with `seed`. */
function hashName(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter), 32-bit state words; returns floats in [0, 1). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as the author recommends
  return next;
}

/** Fills `out` with N(0, std²) samples using the Box–Muller transform. */
function fillGaussian(out: Float32Array, std: number, random: () => number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - random(); // (0, 1], keeps log finite
    const u2 = random();
    const r = std * Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}

/**
 * Deterministic random weights: each parameter is drawn from its own stream seeded by
 * (seed, name), so values do not depend on the order the builders ask for them.
 *
 * Scales keep activations of order one so that a tiny model is not saturated:
 * - norm weights ≈ 1 (± 0.1), biases ± 0.02;
 * - Linear/Conv weights N(0, 1/fan_in) (variance-preserving, "LeCun normal");
 * - token embeddings N(0, 1/hidden), so tied-head logits = normed_hidden · row have std ≈ 1;
 * - position embeddings and image_newline N(0, 0.2²).
 */
export function randomWeights(seed: number): WeightSource {
  return (name, shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    const random = sfc32(hashName(name, seed));
    const isNorm = /(norm|layernorm|layer_norm)[^.]*\.weight$/.test(name);
    if (isNorm) {
      fillGaussian(out, 0.1, random);
      for (let i = 0; i < size; i++) out[i] = (out[i] ?? 0) + 1;
      return out;
    }
    if (name.endsWith('.bias')) {
      fillGaussian(out, 0.02, random);
      return out;
    }
    if (name.endsWith('embed_tokens.weight')) {
      fillGaussian(out, 1 / Math.sqrt(shape[1] ?? 1), random);
      return out;
    }
    if (name.includes('position_embedding') || name === 'image_newline') {
      fillGaussian(out, 0.2, random);
      return out;
    }
    const fanIn = size / (shape[0] ?? 1);
    fillGaussian(out, 1 / Math.sqrt(fanIn), random);
    return out;
  };
}

/** Caches each parameter so several precision variants reuse one draw (fixture-sized models only). */
export function memoizeWeights(source: WeightSource): WeightSource {
  const cache = new Map<string, Float32Array>();
  return (name, shape) => {
    const key = `${name}:${shape.join('x')}`;
    let values = cache.get(key);
    if (!values) {
      values = source(name, shape);
      cache.set(key, values);
    }
    return values;
  };
}

/** Checks a source's answer against the requested shape (converters can return the wrong tensor). */
export function takeWeight(
  source: WeightSource,
  name: string,
  shape: readonly number[],
): Float32Array {
  const values = source(name, shape);
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new Error(
      `weight ${name}: expected ${size} values for [${shape.join(', ')}], got ${values.length}`,
    );
  }
  return values;
}
