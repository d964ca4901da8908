/**
 * Precision variants, named like transformers.js `dtype` values, with the file suffixes
 * transformers.js 4.3.1 appends (fp32 → none, fp16 → `_fp16`, q8 → `_quantized`, q4 → `_q4`,
 * q4f16 → `_q4f16`).
 */
import { DataType, type FloatType } from './onnx-writer.ts';

/** How MatMul weights are stored. */
export type MatMulKind = 'float' | 'q4' | 'q8';

/** One precision variant of the three graphs. */
export interface Precision {
  /** transformers.js `dtype` name. */
  dtype: PrecisionName;
  /** File name suffix before `.onnx`. */
  suffix: string;
  /** Element type of graph inputs/outputs, activations and float weights. */
  floatType: FloatType;
  /** MatMul weights: plain float, com.microsoft MatMulNBits (4-bit), or MatMulInteger (8-bit). */
  matmul: MatMulKind;
  /** q8 only: the embedding Gather reads uint8 rows and dequantizes them (onnxruntime's dynamic quantizer does this). */
  quantizeGather: boolean;
}

export const PRECISION_NAMES = ['fp32', 'fp16', 'q4', 'q4f16', 'q8'] as const;
export type PrecisionName = (typeof PRECISION_NAMES)[number];

export const PRECISIONS: Record<PrecisionName, Precision> = {
  fp32: {
    dtype: 'fp32',
    suffix: '',
    floatType: DataType.FLOAT,
    matmul: 'float',
    quantizeGather: false,
  },
  fp16: {
    dtype: 'fp16',
    suffix: '_fp16',
    floatType: DataType.FLOAT16,
    matmul: 'float',
    quantizeGather: false,
  },
  // q4: only MatMul weights are 4-bit; the embedding Gather stays fp32 (embed_tokens_q4 on the Hub is
  // as large as the fp32 file), the Conv patch embedding stays fp32 too.
  q4: {
    dtype: 'q4',
    suffix: '_q4',
    floatType: DataType.FLOAT,
    matmul: 'q4',
    quantizeGather: false,
  },
  q4f16: {
    dtype: 'q4f16',
    suffix: '_q4f16',
    floatType: DataType.FLOAT16,
    matmul: 'q4',
    quantizeGather: false,
  },
  q8: {
    dtype: 'q8',
    suffix: '_quantized',
    floatType: DataType.FLOAT,
    matmul: 'q8',
    quantizeGather: true,
  },
};

/** Parses `fp32,q4` style lists; throws on unknown names. */
export function parsePrecisions(list: string): PrecisionName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(PRECISION_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown precision "${name}" (known: ${PRECISION_NAMES.join(', ')})`);
    }
  }
  return [...new Set(names)] as PrecisionName[];
}
