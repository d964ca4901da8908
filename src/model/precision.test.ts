import { describe, expect, it } from 'vitest';
import {
  checkBoundaryTypes,
  defaultRuntime,
  describeDtypes,
  parseDtypeSetting,
  presetDtypes,
  presetProblem,
  type Capabilities,
} from './precision.ts';

const caps = (change: Partial<Capabilities>): Capabilities => ({
  webgpu: false,
  shaderF16: false,
  crossOriginIsolated: true,
  threads: 2,
  ...change,
});

describe('defaultRuntime', () => {
  it('picks q4f16 on WebGPU with shader-f16, q4 on plain WebGPU, and q8 on WASM', () => {
    expect(defaultRuntime(caps({ webgpu: true, shaderF16: true }))).toEqual({
      device: 'webgpu',
      preset: 'q4f16',
    });
    expect(defaultRuntime(caps({ webgpu: true }))).toEqual({ device: 'webgpu', preset: 'q4' });
    expect(defaultRuntime(caps({}))).toEqual({ device: 'wasm', preset: 'q8' });
  });
});

describe('presetProblem', () => {
  it('refuses fp16 presets on a GPU without shader-f16 and WebGPU where there is none', () => {
    expect(presetProblem('q4f16', 'webgpu', caps({ webgpu: true }))).toMatch(/shader-f16/);
    expect(presetProblem('q4', 'webgpu', caps({}))).toMatch(/not available/);
    expect(presetProblem('q4f16', 'webgpu', caps({ webgpu: true, shaderF16: true }))).toBeNull();
    expect(presetProblem('fp16', 'wasm', caps({}))).toBeNull();
  });
});

describe('parseDtypeSetting', () => {
  it('reads a preset name or a complete per-graph map, and nothing else', () => {
    expect(parseDtypeSetting('q4')).toEqual(presetDtypes('q4'));
    expect(
      parseDtypeSetting('vision_encoder:fp16,embed_tokens:fp16,decoder_model_merged:q4f16'),
    ).toEqual({ vision_encoder: 'fp16', embed_tokens: 'fp16', decoder_model_merged: 'q4f16' });
    expect(parseDtypeSetting('vision_encoder:fp16')).toBeNull();
    expect(
      parseDtypeSetting('vision_encoder:fp99,embed_tokens:q4,decoder_model_merged:q4'),
    ).toBeNull();
    expect(parseDtypeSetting('nonsense')).toBeNull();
  });

  it('names a uniform map by its preset and a mix by its parts', () => {
    expect(describeDtypes(presetDtypes('q4f16'))).toBe('q4f16');
    expect(
      describeDtypes({ vision_encoder: 'fp16', embed_tokens: 'fp16', decoder_model_merged: 'q4' }),
    ).toBe('vision fp16, embed fp16, decoder q4');
  });
});

describe('checkBoundaryTypes', () => {
  const t = (type: string) => ({ name: 'x', type });

  it('accepts graphs that agree on the embedding type', () => {
    expect(
      checkBoundaryTypes({
        visionInput: t('float16'),
        visionOutput: t('float16'),
        embedOutput: t('float16'),
        decoderEmbedsInput: t('float16'),
      }),
    ).toBeNull();
  });

  it('names each graph whose output does not match what the decoder reads', () => {
    const problem = checkBoundaryTypes({
      visionInput: t('float32'),
      visionOutput: t('float32'),
      embedOutput: t('float16'),
      decoderEmbedsInput: t('float32'),
    });
    expect(problem).toMatch(/do not fit together/);
    expect(problem).toMatch(/token embedding outputs float16/);
    expect(problem).not.toMatch(/vision encoder outputs/);
  });

  it('refuses graphs that are not a LLaVA-OneVision export', () => {
    expect(
      checkBoundaryTypes({
        visionInput: undefined,
        visionOutput: undefined,
        embedOutput: t('float32'),
        decoderEmbedsInput: undefined,
      }),
    ).toMatch(/not a LLaVA-OneVision export/);
  });
});
