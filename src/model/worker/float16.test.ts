import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value, meanPooled, toFloat16 } from './float16.ts';

describe('float16Bits', () => {
  it('encodes exact values, infinities and tiny numbers as IEEE half precision', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.5)).toBe(0x3800);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(1e6)).toBe(0x7c00);
    expect(float16Bits(-Infinity)).toBe(0xfc00);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(0)).toBe(0);
  });
});

describe('toFloat16', () => {
  it('round-trips pixel values within half-precision accuracy', () => {
    const values = Float32Array.from([-1, -0.5, 0, 0.123, 0.999, 1]);
    const back = toFloat16(new Tensor('float32', values, [values.length])).to('float32');
    const data = back.data as Float32Array;
    values.forEach((v, i) => expect(data[i]).toBeCloseTo(v, 3));
  });
});

describe('meanPooled', () => {
  it('averages a [1, tokens, width] tensor over its tokens, from float32 or half-precision bits', () => {
    // Two tokens of width 3: (1, 2, 3) and (3, 4, −5) average to (2, 3, −1).
    const values = [1, 2, 3, 3, 4, -5];
    const f32 = new Tensor('float32', Float32Array.from(values), [1, 2, 3]);
    expect(Array.from(meanPooled(f32))).toEqual([2, 3, -1]);
    const f16 = new Tensor('float16', Uint16Array.from(values, float16Bits), [1, 2, 3]);
    expect(Array.from(meanPooled(f16))).toEqual([2, 3, -1]);
    expect(float16Value(float16Bits(0.1))).toBeCloseTo(0.1, 3);
  });
});
