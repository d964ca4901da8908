import { describe, expect, it } from 'vitest';
import { imageTokenCount, missingProcessorFields } from './processor-config.ts';

// processor_config.json as the real llava-onevision-qwen2-0.5b-ov-hf repository has it.
const realProcessorConfig = {
  image_token: '<image>',
  num_image_tokens: 729,
  processor_class: 'LlavaOnevisionProcessor',
  video_token: '<video>',
  vision_feature_select_strategy: 'full',
};

describe('missingProcessorFields', () => {
  it('supplies patch 14 and no extra tokens for the SigLIP tower, giving 729 tokens at 384 px', () => {
    const fields = missingProcessorFields(realProcessorConfig, {
      vision_config: { patch_size: 14, model_type: 'siglip_vision_model' },
    });
    expect(fields).toEqual({ patch_size: 14, num_additional_image_tokens: 0 });
    expect(imageTokenCount(384, 384, fields)).toBe(realProcessorConfig.num_image_tokens);
  });

  it('keeps values the processor config already has', () => {
    const fields = missingProcessorFields(
      { ...realProcessorConfig, patch_size: 16, num_additional_image_tokens: 2 },
      { vision_config: { patch_size: 14 } },
    );
    expect(fields).toEqual({ patch_size: 16, num_additional_image_tokens: 2 });
  });

  it('counts the CLS token of a CLIP tower unless the default strategy drops it', () => {
    const clip = { vision_config: { patch_size: 14, model_type: 'clip_vision_model' } };
    expect(
      missingProcessorFields({ vision_feature_select_strategy: 'full' }, clip)
        .num_additional_image_tokens,
    ).toBe(1);
    expect(
      missingProcessorFields({ vision_feature_select_strategy: 'default' }, clip)
        .num_additional_image_tokens,
    ).toBe(0);
  });
});
