import { Tensor } from '@huggingface/transformers';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of a number, rounded to nearest even. */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa rounds up into the exponent (up to Inf), as IEEE rounding does.
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/**
 * A float32 tensor as float16. transformers.js's `Tensor.to('float16')` is only right where the
 * platform has Float16Array; elsewhere (Node 20, older browsers) it would store integers, not
 * half-precision bits, so the bits are written here.
 */
export function toFloat16(tensor: Tensor): Tensor {
  if (tensor.type === 'float16') return tensor;
  if (typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function') {
    return tensor.to('float16');
  }
  const source = tensor.data as Float32Array;
  const bits = new Uint16Array(source.length);
  for (let i = 0; i < source.length; i++) bits[i] = float16Bits(source[i]!);
  return new Tensor('float16', bits, tensor.dims);
}

/** The value of IEEE 754 half-precision bits. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * A [1, tokens, width] feature tensor averaged over its tokens, as float32 (from float32 data,
 * half-precision bits in a Uint16Array, or a platform Float16Array).
 */
export function meanPooled(tensor: Tensor): Float32Array {
  const [, tokens = 1, width = 0] = tensor.dims;
  const data = tensor.data as ArrayLike<number>;
  const bits = tensor.type === 'float16' && data instanceof Uint16Array;
  const out = new Float32Array(width);
  for (let t = 0; t < tokens; t++) {
    const row = t * width;
    for (let c = 0; c < width; c++) {
      const v = data[row + c]!;
      out[c]! += bits ? float16Value(v) : v;
    }
  }
  for (let c = 0; c < width; c++) out[c]! /= tokens;
  return out;
}
