/**
 * SigLIP vision tower (HF modeling_siglip), as LLaVA-OneVision uses it:
 * patch-embedding Conv (kernel = stride = patch) + learned position embeddings, then pre-LN encoder
 * layers: x += attn(LN1(x)); x += MLP(LN2(x)), MLP = fc2(gelu_tanh(fc1(·))), full (unmasked)
 * multi-head attention softmax(QKᵀ/√d)V with biased q/k/v/out projections.
 *
 * `vision_feature_layer: -1` selects `hidden_states[-1]`, the output of the last encoder layer
 * *before* `post_layernorm` (post_layernorm only applies to `last_hidden_state`), so the graph does
 * not apply post_layernorm. The HF conversion already dropped SigLIP's 27th layer (SHAPES.md).
 */
import type { LlavaOnevisionConfig } from './configs.ts';
import { derived } from './configs.ts';
import {
  geluTanh,
  layerNorm,
  linear,
  mergeHeads,
  splitHeads,
  type BuildContext,
} from './layers.ts';
import { takeWeight } from './weights.ts';

const PREFIX = 'vision_tower.vision_model';

/** pixel_values [B, 3, S, S] → patch features [B, patches, vision hidden]. */
export function visionTower(
  ctx: BuildContext,
  config: LlavaOnevisionConfig,
  pixelValues: string,
): string {
  const { g } = ctx;
  const { vision } = config;
  const { imageTokens, visionHeadDim } = derived(config);
  const p = vision.patchSize;

  let x = g.scoped('embeddings', () => {
    const convName = `${PREFIX}.embeddings.patch_embedding`;
    const w = g.floatInitializer(
      `${convName}.weight`,
      [vision.hidden, 3, p, p],
      takeWeight(ctx.weights, `${convName}.weight`, [vision.hidden, 3, p, p]),
    );
    const b = g.floatInitializer(
      `${convName}.bias`,
      [vision.hidden],
      takeWeight(ctx.weights, `${convName}.bias`, [vision.hidden]),
    );
    // VALID padding: the last imageSize mod patch pixels of each side are not covered (384 → 27 patches).
    const patches = g.op('Conv', [pixelValues, w, b], { kernel_shape: [p, p], strides: [p, p] });
    const flat = g.op('Reshape', [patches, g.int64([0, vision.hidden, -1])]);
    const tokens = g.op('Transpose', [flat], { perm: [0, 2, 1] });
    // position_ids are 0..patches-1, so the embedding lookup is the whole table.
    const posName = `${PREFIX}.embeddings.position_embedding.weight`;
    const pos = g.floatInitializer(
      posName,
      [imageTokens, vision.hidden],
      takeWeight(ctx.weights, posName, [imageTokens, vision.hidden]),
    );
    return g.op('Add', [tokens, pos]);
  });

  for (let i = 0; i < vision.layers; i++) {
    const layer = `${PREFIX}.encoder.layers.${i}`;
    x = g.scoped(`encoder/layers.${i}`, () => {
      const n1 = layerNorm(ctx, x, `${layer}.layer_norm1`, vision.hidden, vision.layerNormEps);
      const q = splitHeads(
        ctx,
        linear(ctx, n1, `${layer}.self_attn.q_proj`, vision.hidden, vision.hidden, true),
        vision.heads,
        visionHeadDim,
      );
      const k = splitHeads(
        ctx,
        linear(ctx, n1, `${layer}.self_attn.k_proj`, vision.hidden, vision.hidden, true),
        vision.heads,
        visionHeadDim,
      );
      const v = splitHeads(
        ctx,
        linear(ctx, n1, `${layer}.self_attn.v_proj`, vision.hidden, vision.hidden, true),
        vision.heads,
        visionHeadDim,
      );
      const kT = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
      const scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.scalar(1 / Math.sqrt(visionHeadDim))]);
      const probs = g.op('Softmax', [scores], { axis: -1 });
      const attn = mergeHeads(ctx, g.op('MatMul', [probs, v]), vision.heads, visionHeadDim);
      const h = g.op('Add', [
        x,
        linear(ctx, attn, `${layer}.self_attn.out_proj`, vision.hidden, vision.hidden, true),
      ]);
      const n2 = layerNorm(ctx, h, `${layer}.layer_norm2`, vision.hidden, vision.layerNormEps);
      const up = geluTanh(
        ctx,
        linear(ctx, n2, `${layer}.mlp.fc1`, vision.hidden, vision.intermediate, true),
      );
      return g.op('Add', [
        h,
        linear(ctx, up, `${layer}.mlp.fc2`, vision.intermediate, vision.hidden, true),
      ]);
    });
  }
  return x;
}
