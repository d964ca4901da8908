/**
 * Building blocks shared by the three graphs: Linear (float / 4-bit / 8-bit), embedding Gather,
 * RMSNorm, LayerNorm, GELU variants, attention head reshapes.
 */
import { DataType, type GraphBuilder } from './onnx-writer.ts';
import type { Precision } from './precisions.ts';
import { quantizeInt8, quantizeQ4, quantizeUint8 } from './quantization.ts';
import { takeWeight, type WeightSource } from './weights.ts';

/** What every block needs: the graph under construction, the precision and the weight source. */
export interface BuildContext {
  g: GraphBuilder;
  precision: Precision;
  weights: WeightSource;
}

/** Block size of the 4-bit quantization (onnxruntime's default, and what the Hub's q4 files use). */
export const Q4_BLOCK_SIZE = 32;

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] ?? 0;
  }
  return out;
}

/**
 * y = x · Wᵀ (+ b) for a PyTorch Linear named `prefix` (weight [out, in]).
 * - float: a MatMul whose B initializer is named `<prefix>.weight` and holds Wᵀ ([in, out]), as
 *   torch.onnx exports it;
 * - q4: com.microsoft MatMulNBits(x, `<prefix>.weight_Q4`, `<prefix>.weight_scales`) with
 *   attributes K, N, bits 4, block_size 32 (onnxruntime's MatMulNBitsQuantizer naming);
 * - q8: DynamicQuantizeLinear(x) → MatMulInteger(x_q, `<prefix>.weight_quantized`, x_zp, w_zp)
 *   → Cast → Mul(x_scale · w_scale) (onnxruntime `quantize_dynamic`'s MatMul pattern).
 * Weights come from `ctx.weights(name, [out, in])` and `(name, [out])` for the bias.
 */
export function linear(
  ctx: BuildContext,
  x: string,
  prefix: string,
  inFeatures: number,
  outFeatures: number,
  bias: boolean,
  /** Override the source name of the weight (the tied LM head reads the embedding). */
  weightName = `${prefix}.weight`,
): string {
  const { g, precision } = ctx;
  const w = takeWeight(ctx.weights, weightName, [outFeatures, inFeatures]);
  let y: string;
  if (precision.matmul === 'q4') {
    const q = quantizeQ4(w, outFeatures, inFeatures, Q4_BLOCK_SIZE);
    const b = g.initializer(
      `${prefix}.weight_Q4`,
      DataType.UINT8,
      [outFeatures, q.kBlocks, Q4_BLOCK_SIZE / 2],
      q.packed,
    );
    const scales = g.floatInitializer(
      `${prefix}.weight_scales`,
      [outFeatures * q.kBlocks],
      q.scales,
    );
    y = g.op(
      'MatMulNBits',
      [x, b, scales],
      { K: inFeatures, N: outFeatures, bits: 4, block_size: Q4_BLOCK_SIZE },
      { domain: 'com.microsoft' },
    );
  } else if (precision.matmul === 'q8') {
    const q = quantizeInt8(transpose(w, outFeatures, inFeatures));
    const wq = g.initializer(
      `${prefix}.weight_quantized`,
      DataType.INT8,
      [inFeatures, outFeatures],
      q.values,
    );
    const wScale = g.initializer(
      `${prefix}.weight_scale`,
      DataType.FLOAT,
      [],
      Float32Array.of(q.scale),
    );
    const wZero = g.initializer(`${prefix}.weight_zero_point`, DataType.INT8, [], Int8Array.of(0));
    const [xq, xScale, xZero] = g.ops('DynamicQuantizeLinear', [x], {}, { outputCount: 3 });
    if (!xq || !xScale || !xZero) throw new Error('DynamicQuantizeLinear outputs missing');
    const acc = g.op('MatMulInteger', [xq, wq, xZero, wZero]);
    const accFloat = g.op('Cast', [acc], { to: DataType.FLOAT });
    y = g.op('Mul', [accFloat, g.op('Mul', [xScale, wScale])]);
  } else {
    const b = g.floatInitializer(
      `${prefix}.weight`,
      [inFeatures, outFeatures],
      transpose(w, outFeatures, inFeatures),
    );
    y = g.op('MatMul', [x, b]);
  }
  if (!bias) return y;
  const b = g.floatInitializer(
    `${prefix}.bias`,
    [outFeatures],
    takeWeight(ctx.weights, `${prefix}.bias`, [outFeatures]),
  );
  return g.op('Add', [y, b]);
}

/** Token embedding lookup (nn.Embedding): Gather rows of `name` [vocab, hidden] by int64 ids. */
export function embedding(
  ctx: BuildContext,
  ids: string,
  name: string,
  vocab: number,
  hidden: number,
): string {
  const { g, precision } = ctx;
  const table = takeWeight(ctx.weights, name, [vocab, hidden]);
  if (!precision.quantizeGather) {
    return g.op('Gather', [g.floatInitializer(name, [vocab, hidden], table), ids], { axis: 0 });
  }
  const q = quantizeUint8(table);
  const tq = g.initializer(`${name}_quantized`, DataType.UINT8, [vocab, hidden], q.values);
  const scale = g.initializer(`${name}_scale`, DataType.FLOAT, [], Float32Array.of(q.scale));
  const zero = g.initializer(`${name}_zero_point`, DataType.UINT8, [], Uint8Array.of(q.zeroPoint));
  const rows = g.op('Gather', [tq, ids], { axis: 0 });
  return g.op('DequantizeLinear', [rows, scale, zero]);
}

/**
 * Qwen2RMSNorm (HF modeling_qwen2): computed in fp32 even for fp16 models,
 * x · rsqrt(mean(x², -1) + eps), cast back, then · weight.
 */
export function rmsNorm(
  ctx: BuildContext,
  x: string,
  name: string,
  hidden: number,
  eps: number,
): string {
  const { g } = ctx;
  const half = g.floatType === DataType.FLOAT16;
  const x32 = half ? g.op('Cast', [x], { to: DataType.FLOAT }) : x;
  const meanSquare = g.op('ReduceMean', [g.op('Mul', [x32, x32])], { axes: [-1], keepdims: 1 });
  const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.scalar(eps, DataType.FLOAT)])]);
  const normed32 = g.op('Div', [x32, rms]);
  const normed = half ? g.op('Cast', [normed32], { to: DataType.FLOAT16 }) : normed32;
  const weight = g.floatInitializer(name, [hidden], takeWeight(ctx.weights, name, [hidden]));
  return g.op('Mul', [normed, weight]);
}

/** nn.LayerNorm over the last axis with weight and bias named `<prefix>.weight/.bias`. */
export function layerNorm(
  ctx: BuildContext,
  x: string,
  prefix: string,
  hidden: number,
  eps: number,
): string {
  const { g } = ctx;
  const scale = g.floatInitializer(
    `${prefix}.weight`,
    [hidden],
    takeWeight(ctx.weights, `${prefix}.weight`, [hidden]),
  );
  const bias = g.floatInitializer(
    `${prefix}.bias`,
    [hidden],
    takeWeight(ctx.weights, `${prefix}.bias`, [hidden]),
  );
  return g.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { f: eps } });
}

/** GELU with the tanh approximation (`gelu_pytorch_tanh`, SigLIP): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh(ctx: BuildContext, x: string): string {
  const { g } = ctx;
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Add', [x, g.op('Mul', [cube, g.scalar(0.044715)])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.scalar(Math.sqrt(2 / Math.PI))])]);
  return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [t, g.scalar(1)])]);
}

/** Exact GELU (`gelu`, nn.GELU()): ½x(1 + erf(x/√2)). */
export function geluErf(ctx: BuildContext, x: string): string {
  const { g } = ctx;
  const e = g.op('Erf', [g.op('Mul', [x, g.scalar(Math.SQRT1_2)])]);
  return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [e, g.scalar(1)])]);
}

/** SiLU (Swish): x · sigmoid(x). */
export function silu(ctx: BuildContext, x: string): string {
  return ctx.g.op('Mul', [x, ctx.g.op('Sigmoid', [x])]);
}

/** [B, S, heads·dim] → [B, heads, S, dim]. */
export function splitHeads(ctx: BuildContext, x: string, heads: number, headDim: number): string {
  const { g } = ctx;
  const r = g.op('Reshape', [x, g.int64([0, 0, heads, headDim])]);
  return g.op('Transpose', [r], { perm: [0, 2, 1, 3] });
}

/** [B, heads, S, dim] → [B, S, heads·dim]. */
export function mergeHeads(ctx: BuildContext, x: string, heads: number, headDim: number): string {
  const { g } = ctx;
  const t = g.op('Transpose', [x], { perm: [0, 2, 1, 3] });
  return g.op('Reshape', [t, g.int64([0, 0, heads * headDim])]);
}
