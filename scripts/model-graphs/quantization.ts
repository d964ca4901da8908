/**
 * Weight quantizers that write the layouts onnxruntime's own tools write, so the fixture and the
 * benchmark model use the same op types as the Hub's variants (TRANSFORMERS_JS_NOTES.md).
 */

/** Packed 4-bit weights for com.microsoft `MatMulNBits`. */
export interface Q4Weight {
  /** uint8 [N, kBlocks, blockSize / 2]: codes packed two per byte, low nibble first along K. */
  packed: Uint8Array;
  /** [N * kBlocks] per-block scales (row n's blocks are contiguous). */
  scales: Float32Array;
  kBlocks: number;
}

/**
 * Symmetric block-wise 4-bit quantization of a weight stored [N, K] (PyTorch Linear layout: N = out
 * features, K = in features), blocks of `blockSize` along K, as onnxruntime's
 * MatMulNBitsQuantizer (`is_symmetric=True`) does:
 * the value with the largest magnitude in a block maps to code 0 (scale = that value / -8), codes
 * are round(w / scale) + 8 clamped to [0, 15], and no zero_points input is written (the op then
 * uses 8). Dequantized: w ≈ (code - 8) · scale. A ragged last block is padded with zeros.
 */
export function quantizeQ4(weight: Float32Array, n: number, k: number, blockSize = 32): Q4Weight {
  const kBlocks = Math.ceil(k / blockSize);
  const blobSize = blockSize / 2;
  const packed = new Uint8Array(n * kBlocks * blobSize);
  const scales = new Float32Array(n * kBlocks);
  const codes = new Uint8Array(blockSize);
  for (let row = 0; row < n; row++) {
    for (let block = 0; block < kBlocks; block++) {
      const start = row * k + block * blockSize;
      const end = Math.min(start + blockSize, row * k + k);
      let extreme = 0;
      for (let i = start; i < end; i++) {
        const v = weight[i] ?? 0;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      const scale = extreme / -8;
      const inverse = scale === 0 ? 0 : 1 / scale;
      codes.fill(8);
      for (let i = start; i < end; i++) {
        const q = Math.round((weight[i] ?? 0) * inverse) + 8;
        codes[i - start] = Math.min(15, Math.max(0, q));
      }
      scales[row * kBlocks + block] = scale;
      const base = (row * kBlocks + block) * blobSize;
      for (let j = 0; j < blobSize; j++) {
        packed[base + j] = ((codes[2 * j] ?? 8) & 0x0f) | (((codes[2 * j + 1] ?? 8) & 0x0f) << 4);
      }
    }
  }
  return { packed, scales, kBlocks };
}

/** Per-tensor symmetric int8 weights for `MatMulInteger` (zero point 0). */
export interface Int8Weight {
  values: Int8Array;
  scale: number;
}

/**
 * Per-tensor symmetric int8 quantization (onnxruntime `quantize_dynamic` with
 * `weight_type=QInt8`, `per_channel=False`): scale = max|w| / 127, q = round(w / scale).
 */
export function quantizeInt8(weight: Float32Array): Int8Weight {
  let maxAbs = 0;
  for (const v of weight) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs === 0 ? 1 : maxAbs / 127;
  const values = new Int8Array(weight.length);
  for (let i = 0; i < weight.length; i++) {
    values[i] = Math.max(-127, Math.min(127, Math.round((weight[i] ?? 0) / scale)));
  }
  return { values, scale };
}

/** Per-tensor asymmetric uint8 values for a quantized Gather followed by DequantizeLinear. */
export interface Uint8Weight {
  values: Uint8Array;
  scale: number;
  zeroPoint: number;
}

/**
 * Per-tensor asymmetric uint8 quantization (onnxruntime's QUInt8 scheme): the range is widened to
 * include 0, scale = (max - min) / 255, zero point = round(-min / scale).
 */
export function quantizeUint8(weight: Float32Array): Uint8Weight {
  let min = 0;
  let max = 0;
  for (const v of weight) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max === min ? 1 : (max - min) / 255;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-min / scale)));
  const values = new Uint8Array(weight.length);
  for (let i = 0; i < weight.length; i++) {
    values[i] = Math.max(0, Math.min(255, Math.round((weight[i] ?? 0) / scale) + zeroPoint));
  }
  return { values, scale, zeroPoint };
}
