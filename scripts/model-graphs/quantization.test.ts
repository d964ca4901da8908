/**
 * Checks the quantized Linear layouts against onnxruntime itself: a one-node graph per variant must
 * compute x · dequant(W)ᵀ exactly as the quantizer's own dequantization says.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { linear } from './layers.ts';
import { DataType, GraphBuilder, toFloat16Bits } from './onnx-writer.ts';
import { PRECISIONS, type PrecisionName } from './precisions.ts';
import { quantizeInt8, quantizeQ4 } from './quantization.ts';
import { randomWeights } from './weights.ts';

const K = 80; // not a multiple of 32: exercises the padded last block
const N = 24;
const ROWS = 3;
const weights = randomWeights(7);
const W = weights('layer.weight', [N, K]);
const X = weights('x', [ROWS, K]);

async function runLinear(precision: PrecisionName): Promise<Float32Array> {
  const g = new GraphBuilder('linear', DataType.FLOAT);
  const x = g.input('x', DataType.FLOAT, [ROWS, K]);
  const y = linear({ g, precision: PRECISIONS[precision], weights }, x, 'layer', K, N, false);
  g.op('Identity', [y], {}, { outputs: ['y'] });
  g.output('y', DataType.FLOAT, [ROWS, N]);
  const session = await ort.InferenceSession.create(g.toModelBytes('test'));
  const out = await session.run({ x: new ort.Tensor('float32', X, [ROWS, K]) });
  return out.y!.data as Float32Array;
}

function reference(dequantized: (n: number, k: number) => number): Float32Array {
  const y = new Float32Array(ROWS * N);
  for (let r = 0; r < ROWS; r++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (X[r * K + k] ?? 0) * dequantized(n, k);
      y[r * N + n] = sum;
    }
  }
  return y;
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++)
    expect(Math.abs((actual[i] ?? 0) - (expected[i] ?? 0))).toBeLessThan(tolerance);
}

describe('quantized Linear layouts', () => {
  it('fp32 MatMul stores Wᵀ', async () => {
    expectClose(
      await runLinear('fp32'),
      reference((n, k) => W[n * K + k] ?? 0),
      1e-4,
    );
  });

  it('q4 MatMulNBits matches (code − 8) · scale per 32-block', async () => {
    const q = quantizeQ4(W, N, K, 32);
    const dequantized = (n: number, k: number): number => {
      const block = Math.floor(k / 32);
      const byte = q.packed[(n * q.kBlocks + block) * 16 + Math.floor((k % 32) / 2)] ?? 0;
      const code = k % 2 === 0 ? byte & 0x0f : byte >> 4;
      return (code - 8) * (q.scales[n * q.kBlocks + block] ?? 0);
    };
    // The quantizer itself stays close to the weights…
    let worst = 0;
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++)
        worst = Math.max(worst, Math.abs(dequantized(n, k) - (W[n * K + k] ?? 0)));
    expect(worst).toBeLessThan(0.1);
    // …and onnxruntime reads the layout the same way.
    expectClose(await runLinear('q4'), reference(dequantized), 1e-4);
  });

  it('q8 DynamicQuantizeLinear + MatMulInteger stays close to the float result', async () => {
    const q = quantizeInt8(W);
    expectClose(
      await runLinear('q8'),
      reference((n, k) => (q.values[n * K + k] ?? 0) * q.scale),
      0.05,
    );
  });
});

describe('toFloat16Bits', () => {
  it('rounds to nearest even and handles specials', () => {
    const bits = toFloat16Bits(Float32Array.of(1, -2, 65504, 70000, 1e-8, 0.1, Number.NaN, 6.1e-5));
    expect(Array.from(bits.slice(0, 6))).toEqual([0x3c00, 0xc000, 0x7bff, 0x7c00, 0x0000, 0x2e66]);
    expect((bits[6] ?? 0) & 0x7c00).toBe(0x7c00);
    expect(bits[7]).toBe(0x03ff); // subnormal: 6.1e-5 / 2^-24 ≈ 1023.4
  });
});
