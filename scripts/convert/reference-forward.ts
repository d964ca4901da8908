/**
 * A plain, slow TypeScript forward pass of LLaVA-OneVision (no ONNX), written from the reference
 * formulas so the converted graphs can be checked against something that shares no code with them.
 * Batch of one, float64 accumulation, weights looked up by the checkpoint's legacy names.
 *
 * Formulas follow the Hugging Face transformers modelling files:
 * - models/siglip/modeling_siglip.py: `SiglipVisionEmbeddings` (Conv2d kernel = stride = patch,
 *   flatten(2).transpose(1, 2), plus position_embedding(position_ids)), `SiglipEncoderLayer`
 *   (pre-LN: x + attn(LN1 x), then + mlp(LN2 x)), `SiglipAttention` (softmax(QKᵀ·d^-½)V, no mask),
 *   `SiglipMLP` (fc2(gelu_pytorch_tanh(fc1 x))). LLaVA-OneVision takes `hidden_states[-1]`
 *   (vision_feature_layer -1), i.e. the encoder output before post_layernorm.
 * - models/llava_onevision/modeling_llava_onevision.py: `LlavaOnevisionMultiModalProjector`
 *   (linear_1, exact GELU, linear_2).
 * - models/qwen2/modeling_qwen2.py: `Qwen2RMSNorm` (x·(mean x² + eps)^-½·w), `rotate_half` /
 *   `apply_rotary_pos_emb` (x·cos + rotate_half(x)·sin; inv_freq = θ^(-2i/d), the frequency table
 *   concatenated with itself), `repeat_kv` (query head h uses KV head ⌊h / (heads/kv_heads)⌋),
 *   `Qwen2MLP` (down(silu(gate x) · up x)), q/k/v with bias, o_proj without, causal mask.
 */
import type { LlavaOnevisionConfig } from '../model-graphs/configs.ts';

/** Parameter lookup by checkpoint (legacy) name. */
export type Params = (name: string) => Float32Array;

/** y[n, out] = x[n, in] · Wᵀ + b, W in PyTorch [out, in] layout. */
function linear(
  x: Float64Array,
  rows: number,
  inF: number,
  outF: number,
  w: Float32Array,
  b?: Float32Array,
): Float64Array {
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    const xAt = r * inF;
    for (let o = 0; o < outF; o++) {
      const wAt = o * inF;
      let s = b ? b[o]! : 0;
      for (let i = 0; i < inF; i++) s += x[xAt + i]! * w[wAt + i]!;
      y[r * outF + o] = s;
    }
  }
  return y;
}

function layerNorm(
  x: Float64Array,
  rows: number,
  d: number,
  w: Float32Array,
  b: Float32Array,
  eps: number,
): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[r * d + i] ?? 0;
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += ((x[r * d + i] ?? 0) - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < d; i++) {
      y[r * d + i] = ((x[r * d + i] ?? 0) - mean) * inv * (w[i] ?? 0) + (b[i] ?? 0);
    }
  }
  return y;
}

function rmsNorm(x: Float64Array, rows: number, d: number, w: Float32Array, eps: number) {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let ms = 0;
    for (let i = 0; i < d; i++) ms += (x[r * d + i] ?? 0) ** 2;
    const inv = 1 / Math.sqrt(ms / d + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = (x[r * d + i] ?? 0) * inv * (w[i] ?? 0);
  }
  return y;
}

/** erf by its Maclaurin series (|x| < 3) or continued-fraction tail; far below fp32 error. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 100; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/(x√π) · 1/(1 + 1/(2x²) /(1 + 2/(2x²)/(1 + …))) (Lentz-free, fixed depth)
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

const geluTanh = (v: number): number =>
  0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
const geluErf = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));
const silu = (v: number): number => v / (1 + Math.exp(-v));

/** Softmax in place over `n` values starting at `offset`. */
function softmax(x: Float64Array, offset: number, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, x[offset + i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((x[offset + i] ?? 0) - max);
    x[offset + i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) x[offset + i] = (x[offset + i] ?? 0) / sum;
}

/** SigLIP tower on one image [3, S, S] (CHW): encoder output [patches, vision hidden]. */
export function referenceVisionTower(
  config: LlavaOnevisionConfig,
  params: Params,
  pixels: Float32Array,
): Float64Array {
  const { imageSize: S, patchSize: p, hidden: D, heads, intermediate, layers } = config.vision;
  const side = Math.floor(S / p);
  const P = side * side;
  const prefix = 'vision_tower.vision_model';
  const convW = params(`${prefix}.embeddings.patch_embedding.weight`);
  const convB = params(`${prefix}.embeddings.patch_embedding.bias`);
  const pos = params(`${prefix}.embeddings.position_embedding.weight`);
  let x: Float64Array = new Float64Array(P * D);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const token = py * side + px;
      for (let c = 0; c < D; c++) {
        let s = (convB[c] ?? 0) + (pos[token * D + c] ?? 0);
        for (let ch = 0; ch < 3; ch++) {
          for (let ky = 0; ky < p; ky++) {
            for (let kx = 0; kx < p; kx++) {
              const pixel = pixels[ch * S * S + (py * p + ky) * S + (px * p + kx)] ?? 0;
              s += (convW[((c * 3 + ch) * p + ky) * p + kx] ?? 0) * pixel;
            }
          }
        }
        x[token * D + c] = s;
      }
    }
  }
  const hd = D / heads;
  const eps = config.vision.layerNormEps;
  for (let l = 0; l < layers; l++) {
    const L = `${prefix}.encoder.layers.${l}`;
    const w = (n: string) => params(`${L}.${n}`);
    const n1 = layerNorm(x, P, D, w('layer_norm1.weight'), w('layer_norm1.bias'), eps);
    const q = linear(n1, P, D, D, w('self_attn.q_proj.weight'), w('self_attn.q_proj.bias'));
    const k = linear(n1, P, D, D, w('self_attn.k_proj.weight'), w('self_attn.k_proj.bias'));
    const v = linear(n1, P, D, D, w('self_attn.v_proj.weight'), w('self_attn.v_proj.bias'));
    const attn = new Float64Array(P * D);
    const scores = new Float64Array(P);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < P; i++) {
        const qAt = i * D + h * hd;
        for (let j = 0; j < P; j++) {
          const kAt = j * D + h * hd;
          let s = 0;
          for (let e = 0; e < hd; e++) s += q[qAt + e]! * k[kAt + e]!;
          scores[j] = s / Math.sqrt(hd);
        }
        softmax(scores, 0, P);
        for (let e = 0; e < hd; e++) {
          let s = 0;
          for (let j = 0; j < P; j++) s += scores[j]! * v[j * D + h * hd + e]!;
          attn[qAt + e] = s;
        }
      }
    }
    const o = linear(attn, P, D, D, w('self_attn.out_proj.weight'), w('self_attn.out_proj.bias'));
    for (let i = 0; i < x.length; i++) o[i] = (o[i] ?? 0) + (x[i] ?? 0);
    const n2 = layerNorm(o, P, D, w('layer_norm2.weight'), w('layer_norm2.bias'), eps);
    const up = linear(n2, P, D, intermediate, w('mlp.fc1.weight'), w('mlp.fc1.bias')).map(geluTanh);
    const down = linear(up, P, intermediate, D, w('mlp.fc2.weight'), w('mlp.fc2.bias'));
    for (let i = 0; i < x.length; i++) down[i] = (down[i] ?? 0) + (o[i] ?? 0);
    x = down;
  }
  return x;
}

/** Projector: [rows, vision hidden] → [rows, text hidden]. */
export function referenceProjector(
  config: LlavaOnevisionConfig,
  params: Params,
  features: Float64Array,
): Float64Array {
  const rows = features.length / config.vision.hidden;
  const T = config.text.hidden;
  const h = linear(
    features,
    rows,
    config.vision.hidden,
    T,
    params('multi_modal_projector.linear_1.weight'),
    params('multi_modal_projector.linear_1.bias'),
  ).map(geluErf);
  return linear(
    h,
    rows,
    T,
    T,
    params('multi_modal_projector.linear_2.weight'),
    params('multi_modal_projector.linear_2.bias'),
  );
}

/** One layer's cache: keys/values [kvHeads, length, headDim] (after RoPE for keys). */
export interface LayerCache {
  key: Float64Array;
  value: Float64Array;
  length: number;
}

/** What a decoder step returns. */
export interface DecoderStep {
  /** [sequence, vocab]. */
  logits: Float64Array;
  present: LayerCache[];
}

/**
 * Qwen2 decoder on `embeds` [S, hidden] at absolute positions `positions`, with an optional cache
 * of earlier tokens (all attended; no padding in the reference).
 */
export function referenceDecoder(
  config: LlavaOnevisionConfig,
  params: Params,
  embeds: Float64Array,
  positions: number[],
  past: LayerCache[] = [],
  lmHeadName = 'language_model.model.embed_tokens.weight',
  /** Compute logits for the last N positions only (all when absent), like num_logits_to_keep. */
  logitRows?: number,
): DecoderStep {
  const t = config.text;
  const H = t.hidden;
  const S = positions.length;
  const hd = H / t.heads;
  const groups = t.heads / t.kvHeads;
  const half = hd / 2;
  const prefix = 'language_model.model';
  const rope = (x: Float64Array, heads: number): void => {
    for (let s = 0; s < S; s++) {
      const position = positions[s] ?? 0;
      for (let h = 0; h < heads; h++) {
        const base = s * heads * hd + h * hd;
        const rotated = new Float64Array(hd);
        for (let i = 0; i < half; i++) {
          rotated[i] = -(x[base + half + i] ?? 0);
          rotated[half + i] = x[base + i] ?? 0;
        }
        for (let i = 0; i < hd; i++) {
          const angle = position * Math.pow(t.ropeTheta, -(2 * (i % half)) / hd);
          x[base + i] = (x[base + i] ?? 0) * Math.cos(angle) + (rotated[i] ?? 0) * Math.sin(angle);
        }
      }
    }
  };
  let x: Float64Array = Float64Array.from(embeds);
  const present: LayerCache[] = [];
  for (let l = 0; l < t.layers; l++) {
    const L = `${prefix}.layers.${l}`;
    const w = (n: string) => params(`${L}.${n}`);
    const n = rmsNorm(x, S, H, w('input_layernorm.weight'), t.rmsNormEps);
    const q = linear(
      n,
      S,
      H,
      t.heads * hd,
      w('self_attn.q_proj.weight'),
      w('self_attn.q_proj.bias'),
    );
    const k = linear(
      n,
      S,
      H,
      t.kvHeads * hd,
      w('self_attn.k_proj.weight'),
      w('self_attn.k_proj.bias'),
    );
    const v = linear(
      n,
      S,
      H,
      t.kvHeads * hd,
      w('self_attn.v_proj.weight'),
      w('self_attn.v_proj.bias'),
    );
    rope(q, t.heads);
    rope(k, t.kvHeads);
    const before = past[l] ?? { key: new Float64Array(0), value: new Float64Array(0), length: 0 };
    const T = before.length + S;
    const key = new Float64Array(t.kvHeads * T * hd);
    const value = new Float64Array(t.kvHeads * T * hd);
    for (let g = 0; g < t.kvHeads; g++) {
      for (let j = 0; j < T; j++) {
        for (let e = 0; e < hd; e++) {
          const at = (g * T + j) * hd + e;
          if (j < before.length) {
            key[at] = before.key[(g * before.length + j) * hd + e] ?? 0;
            value[at] = before.value[(g * before.length + j) * hd + e] ?? 0;
          } else {
            const s = j - before.length;
            key[at] = k[s * t.kvHeads * hd + g * hd + e] ?? 0;
            value[at] = v[s * t.kvHeads * hd + g * hd + e] ?? 0;
          }
        }
      }
    }
    present.push({ key, value, length: T });
    const attn = new Float64Array(S * t.heads * hd);
    const scores = new Float64Array(T);
    // In the last layer only the rows whose logits are asked for matter (nothing reads the others).
    const firstQuery =
      l === t.layers - 1 && logitRows !== undefined ? Math.max(0, S - logitRows) : 0;
    for (let h = 0; h < t.heads; h++) {
      const g = Math.floor(h / groups);
      for (let s = firstQuery; s < S; s++) {
        const visible = before.length + s + 1; // causal: keys up to this query's position
        const qAt = s * t.heads * hd + h * hd;
        for (let j = 0; j < visible; j++) {
          const kAt = (g * T + j) * hd;
          let dot = 0;
          for (let e = 0; e < hd; e++) dot += q[qAt + e]! * key[kAt + e]!;
          scores[j] = dot / Math.sqrt(hd);
        }
        softmax(scores, 0, visible);
        for (let e = 0; e < hd; e++) {
          let sum = 0;
          for (let j = 0; j < visible; j++) sum += scores[j]! * value[(g * T + j) * hd + e]!;
          attn[qAt + e] = sum;
        }
      }
    }
    const o = linear(attn, S, t.heads * hd, H, w('self_attn.o_proj.weight'));
    for (let i = 0; i < x.length; i++) o[i] = (o[i] ?? 0) + (x[i] ?? 0);
    const m = rmsNorm(o, S, H, w('post_attention_layernorm.weight'), t.rmsNormEps);
    const gate = linear(m, S, H, t.intermediate, w('mlp.gate_proj.weight')).map(silu);
    const up = linear(m, S, H, t.intermediate, w('mlp.up_proj.weight'));
    for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] ?? 0) * (up[i] ?? 0);
    const down = linear(gate, S, t.intermediate, H, w('mlp.down_proj.weight'));
    for (let i = 0; i < x.length; i++) down[i] = (down[i] ?? 0) + (o[i] ?? 0);
    x = down;
  }
  const rows = Math.min(logitRows ?? S, S);
  const normed = rmsNorm(
    x.subarray((S - rows) * H),
    rows,
    H,
    params(`${prefix}.norm.weight`),
    t.rmsNormEps,
  );
  return { logits: linear(normed, rows, H, t.vocab, params(lmHeadName)), present };
}

/** Token embedding rows for `ids`. */
export function referenceEmbed(
  config: LlavaOnevisionConfig,
  params: Params,
  ids: number[],
): Float64Array {
  const H = config.text.hidden;
  const table = params('language_model.model.embed_tokens.weight');
  const out = new Float64Array(ids.length * H);
  ids.forEach((id, s) => {
    for (let i = 0; i < H; i++) out[s * H + i] = table[id * H + i] ?? 0;
  });
  return out;
}
