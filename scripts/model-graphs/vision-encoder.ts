/**
 * The `vision_encoder` graph: pixel_values [batch_size, 3, 384, 384] → image_features
 * [batch_size, 729, text hidden] (SigLIP tower + projector).
 *
 * ASSUMPTION (NOTES.md Q3): the Hub's graph emits one row per patch (27 × 27 = 729) with no
 * `image_newline` row; processor_config's `num_image_tokens: 729` (sibling evidence) agrees.
 */
import type { LlavaOnevisionConfig } from './configs.ts';
import { derived } from './configs.ts';
import type { BuildContext } from './layers.ts';
import { projector } from './projector.ts';
import { visionTower } from './vision-tower.ts';

/** Declares I/O and builds the vision encoder graph. */
export function visionEncoderGraph(ctx: BuildContext, config: LlavaOnevisionConfig): void {
  const { g } = ctx;
  const size = config.vision.imageSize;
  const pixels = g.input('pixel_values', g.floatType, ['batch_size', 3, size, size]);
  const features = projector(ctx, config, visionTower(ctx, config, pixels));
  g.op('Identity', [features], {}, { outputs: ['image_features'] });
  g.output('image_features', g.floatType, [
    'batch_size',
    derived(config).imageTokens,
    config.text.hidden,
  ]);
}
