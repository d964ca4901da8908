/**
 * LlavaOnevisionMultiModalProjector (HF modeling_llava_onevision): linear_1 → GELU → linear_2,
 * mapping vision hidden → text hidden. `projector_hidden_act` is "gelu" (exact, erf-based).
 * It sits inside the vision_encoder graph because transformers.js writes the `image_features`
 * rows straight into the token embeddings (NOTES.md Q3, inferred from the JS merge code).
 */
import type { LlavaOnevisionConfig } from './configs.ts';
import { geluErf, linear, type BuildContext } from './layers.ts';

/** [B, patches, vision hidden] → [B, patches, text hidden]. */
export function projector(
  ctx: BuildContext,
  config: LlavaOnevisionConfig,
  features: string,
): string {
  return ctx.g.scoped('multi_modal_projector', () => {
    const { vision, text } = config;
    const h = linear(
      ctx,
      features,
      'multi_modal_projector.linear_1',
      vision.hidden,
      text.hidden,
      true,
    );
    return linear(
      ctx,
      geluErf(ctx, h),
      'multi_modal_projector.linear_2',
      text.hidden,
      text.hidden,
      true,
    );
  });
}
