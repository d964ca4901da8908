/**
 * Fields transformers.js's LlavaProcessor needs that the real repository's processor_config.json
 * lacks (it has only image_token, num_image_tokens, processor_class, video_token and
 * vision_feature_select_strategy). Without them the processor expands `<image>` to NaN tokens and
 * the model refuses: "Number of tokens and features do not match".
 */

interface ModelConfigLike {
  vision_config?: { patch_size?: number; model_type?: string };
  vision_feature_select_strategy?: string;
}

export interface ProcessorFields {
  patch_size: number;
  num_additional_image_tokens: number;
}

/**
 * patch_size comes from the vision config (SigLIP so400m: 14). Extra tokens follow Hugging Face's
 * LlavaProcessor: a CLIP tower adds a CLS token (1), SigLIP none (0); the `default` selection
 * strategy drops the CLS token again.
 */
export function missingProcessorFields(
  processorConfig: Partial<ProcessorFields> & Record<string, unknown>,
  modelConfig: ModelConfigLike,
): ProcessorFields {
  const patch = processorConfig.patch_size ?? modelConfig.vision_config?.patch_size ?? 14;
  let additional = processorConfig.num_additional_image_tokens;
  if (additional === undefined) {
    const hasCls = /clip/i.test(modelConfig.vision_config?.model_type ?? '');
    additional = hasCls ? 1 : 0;
    const strategy =
      (processorConfig.vision_feature_select_strategy as string | undefined) ??
      modelConfig.vision_feature_select_strategy;
    if (hasCls && strategy === 'default') additional -= 1;
  }
  return { patch_size: patch, num_additional_image_tokens: additional };
}

/** Image tokens LlavaProcessor puts in the prompt for an image of this (processed) size. */
export function imageTokenCount(height: number, width: number, fields: ProcessorFields): number {
  return (
    Math.floor(height / fields.patch_size) * Math.floor(width / fields.patch_size) +
    fields.num_additional_image_tokens
  );
}
