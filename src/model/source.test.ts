import { describe, expect, it } from 'vitest';
import { formatModelSource, modelFileUrl, parseModelSource } from './source.ts';

describe('parseModelSource', () => {
  it('reads Hub ids and local folders, and round-trips them', () => {
    expect(parseModelSource('llava-hf/llava-onevision-qwen2-0.5b-ov-hf')).toEqual({
      kind: 'hub',
      id: 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
    });
    const local = parseModelSource('local:q-sit-mini');
    expect(local).toEqual({ kind: 'local', id: 'q-sit-mini' });
    expect(formatModelSource(local!)).toBe('local:q-sit-mini');
  });

  it('refuses paths that could leave the models folder, URLs and empty values', () => {
    for (const bad of [
      'local:../secrets',
      'a/../b',
      'https://example.com/x',
      '',
      'local:',
      'a/b/c',
    ]) {
      expect(parseModelSource(bad)).toBeNull();
    }
  });
});

describe('modelFileUrl', () => {
  it('uses the Hub layout for Hub ids and models/<folder>/ under the app for local folders', () => {
    expect(
      modelFileUrl(
        { kind: 'hub', id: 'org/name' },
        'onnx/a.onnx',
        'http://app/',
        'https://hub.example/',
      ),
    ).toBe('https://hub.example/org/name/resolve/main/onnx/a.onnx');
    expect(
      modelFileUrl(
        { kind: 'local', id: 'kiosk' },
        'config.json',
        'http://app/sub/',
        'https://hub/',
      ),
    ).toBe('http://app/sub/models/kiosk/config.json');
  });
});
