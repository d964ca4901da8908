/**
 * Guards the files copied from the real repo (or its siblings): their byte sizes match the Hub's
 * listing (NOTES.md), and config.json opens with the confirmed lines.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_CONFIG } from './configs.ts';
import { modelJsonFiles, tokenizerJson } from './model-files.ts';

const files = modelJsonFiles(FIXTURE_CONFIG);
const bytes = (name: string): number => Buffer.byteLength(files[name] ?? '', 'utf8');

describe('model folder JSON files', () => {
  it('reproduces the Hub byte sizes of the copied files', () => {
    expect(bytes('generation_config.json')).toBe(126);
    expect(bytes('added_tokens.json')).toBe(122);
    expect(bytes('processor_config.json')).toBe(178);
    expect(bytes('special_tokens_map.json')).toBe(367);
    expect(bytes('chat_template.json')).toBe(824);
  });

  it('opens config.json with the confirmed lines and keeps the processor config lean', () => {
    const opening = [
      '{',
      '  "_name_or_path": "/raid/raushan/ov-500",',
      '  "architectures": [',
      '    "LlavaOnevisionForConditionalGeneration"',
      '  ],',
      '  "ignore_index": -100,',
      '  "image_grid_pinpoints": [',
      '    [',
      '      384,',
      '      384',
      '    ],',
    ].join('\n');
    expect(files['config.json']?.startsWith(opening)).toBe(true);
    const config = JSON.parse(files['config.json'] ?? '{}') as Record<string, unknown>;
    expect(config).toMatchObject({
      model_type: 'llava_onevision',
      image_token_index: 151646,
      vision_feature_select_strategy: 'full',
      vision_feature_layer: -1,
      vision_aspect_ratio: 'anyres_max_9',
      text_config: { model_type: 'qwen2', num_hidden_layers: 2, vocab_size: 152000 },
    });
    const processor = JSON.parse(files['processor_config.json'] ?? '{}') as Record<string, unknown>;
    expect(processor).not.toHaveProperty('patch_size');
    expect(processor).not.toHaveProperty('num_additional_image_tokens');
    expect(JSON.parse(files['tokenizer_config.json'] ?? '{}')).not.toHaveProperty('chat_template');
  });

  it('builds tokenizer.json with exactly the five added tokens', () => {
    const tokenizer = JSON.parse(tokenizerJson()) as {
      added_tokens: { id: number; content: string; special: boolean }[];
    };
    expect(tokenizer.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual([
      [151643, '<|endoftext|>', true],
      [151644, '<|im_start|>', true],
      [151645, '<|im_end|>', true],
      [151646, '<image>', true],
      [151647, '<video>', true],
    ]);
  });
});
