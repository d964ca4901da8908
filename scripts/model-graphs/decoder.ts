/**
 * Qwen2 decoder with KV cache (HF modeling_qwen2), as transformers.js 4.3.1 runs
 * `decoder_model_merged`: inputs_embeds, attention_mask, position_ids, past_key_values.{i}.key/value
 * and num_logits_to_keep in; logits and present.{i}.key/value out.
 *
 * Per layer: h += o_proj(attn(RMSNorm(h))); h += down(SiLU(gate(n)) · up(n)), n = RMSNorm(h).
 * - RoPE "rotate_half" convention: x·cos + rotate_half(x)·sin, rotate_half(x) = [-x₂, x₁] with
 *   x₁, x₂ the two halves of the head; cos/sin of position · θ^(-2i/d), halves concatenated.
 * - GQA: each KV head serves heads / kvHeads query heads (HF repeat_kv: expand then reshape).
 * - Mask: query i (absolute position past + i) sees keys 0..past + i, and only keys whose
 *   attention_mask is 1; masked scores are replaced by the dtype's lowest finite value (as HF does),
 *   so a fully padded row gives a uniform softmax instead of NaN.
 * - num_logits_to_keep (int64 scalar): only the last N positions go through the final norm and
 *   the LM head; 0 keeps all (Slice start -0 = 0). Left out when the config says
 *   `decoderNumLogitsToKeep: false` (every position's logits, always).
 * - LM head: tied to the token embedding in the checkpoint; the graph carries its own copy.
 * - `decoderLogitBias` (test variants only): a constant added to one entry's logit after the head.
 */
import type { LlavaOnevisionConfig } from './configs.ts';
import { derived } from './configs.ts';
import { linear, mergeHeads, rmsNorm, silu, splitHeads, type BuildContext } from './layers.ts';
import { vocabularyId } from './model-files.ts';
import { DataType } from './onnx-writer.ts';

const PREFIX = 'language_model.model';

/** Names of the decoder's cache inputs and outputs for layer `i`. */
export function cacheNames(i: number): {
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
} {
  return {
    pastKey: `past_key_values.${i}.key`,
    pastValue: `past_key_values.${i}.value`,
    presentKey: `present.${i}.key`,
    presentValue: `present.${i}.value`,
  };
}

/** Builds the whole decoder graph's body; inputs and outputs are declared here. */
export function decoderGraph(ctx: BuildContext, config: LlavaOnevisionConfig): void {
  const { g } = ctx;
  const { text } = config;
  const { headDim } = derived(config);
  const ft = g.floatType;
  const kvGroups = text.heads / text.kvHeads;

  let h = g.input('inputs_embeds', ft, ['batch_size', 'sequence_length', text.hidden]);
  const attentionMask = g.input('attention_mask', DataType.INT64, [
    'batch_size',
    'total_sequence_length',
  ]);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  for (let i = 0; i < text.layers; i++) {
    const names = cacheNames(i);
    g.input(names.pastKey, ft, ['batch_size', text.kvHeads, 'past_sequence_length', headDim]);
    g.input(names.pastValue, ft, ['batch_size', text.kvHeads, 'past_sequence_length', headDim]);
  }
  const numLogitsToKeep =
    config.decoderNumLogitsToKeep === false
      ? null
      : g.input('num_logits_to_keep', DataType.INT64, []);

  // Mask [B, 1, S, T] (bool): causal over absolute positions, AND the padding mask.
  const allowed = g.scoped('mask', () => {
    const seqLen = g.op('Shape', [h], { start: 1, end: 2 });
    const pastLen = g.op('Shape', [cacheNames(0).pastKey], { start: 2, end: 3 });
    const zero = g.int64([0]);
    const past = g.op('Squeeze', [pastLen, zero]);
    const total = g.op('Squeeze', [g.op('Add', [pastLen, seqLen]), zero]);
    const one = g.int64([1], []);
    const keyPositions = g.op('Range', [g.int64([0], []), total, one]);
    const queryPositions = g.op('Range', [past, total, one]);
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyPositions, zero]),
      g.op('Unsqueeze', [queryPositions, g.int64([1])]),
    ]);
    const padding = g.op('Unsqueeze', [
      g.op('Cast', [attentionMask], { to: DataType.BOOL }),
      g.int64([1, 2]),
    ]);
    return g.op('And', [causal, padding]);
  });
  const lowest = g.scalar(ft === DataType.FLOAT16 ? -65504 : -3.4028234663852886e38);

  // RoPE tables [B, 1, S, headDim], computed in fp32 like HF's rotary embedding.
  const [cos, sin] = g.scoped('rotary_emb', () => {
    const invFreq = new Float32Array(headDim / 2);
    for (let i = 0; i < headDim / 2; i++)
      invFreq[i] = 1 / Math.pow(text.ropeTheta, (2 * i) / headDim);
    const inv = g.initializer('rotary_emb.inv_freq', DataType.FLOAT, [headDim / 2], invFreq);
    const pos = g.op('Unsqueeze', [
      g.op('Cast', [positionIds], { to: DataType.FLOAT }),
      g.int64([-1]),
    ]);
    const freqs = g.op('Mul', [pos, inv]);
    const emb = g.op('Unsqueeze', [g.op('Concat', [freqs, freqs], { axis: -1 }), g.int64([1])]);
    const tables = [g.op('Cos', [emb]), g.op('Sin', [emb])];
    return ft === DataType.FLOAT16
      ? tables.map((t) => g.op('Cast', [t], { to: DataType.FLOAT16 }))
      : tables;
  });
  if (!cos || !sin) throw new Error('rotary tables missing');
  const halfDim = g.int64([headDim / 2]);
  const lastAxis = g.int64([-1]);
  const rope = (x: string): string => {
    const x1 = g.op('Slice', [x, g.int64([0]), halfDim, lastAxis]);
    const x2 = g.op('Slice', [x, halfDim, g.int64Max(), lastAxis]);
    const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
    return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotated, sin])]);
  };
  const repeatKv = (x: string): string => {
    if (kvGroups === 1) return x;
    const expanded = g.op('Expand', [
      g.op('Unsqueeze', [x, g.int64([2])]),
      g.int64([1, 1, kvGroups, 1, 1]),
    ]);
    return g.op('Reshape', [expanded, g.int64([0, text.heads, -1, headDim])]);
  };

  for (let i = 0; i < text.layers; i++) {
    const layer = `${PREFIX}.layers.${i}`;
    const names = cacheNames(i);
    h = g.scoped(`layers.${i}`, () => {
      const n = rmsNorm(ctx, h, `${layer}.input_layernorm.weight`, text.hidden, text.rmsNormEps);
      const qkv = (proj: string, heads: number): string =>
        splitHeads(
          ctx,
          linear(ctx, n, `${layer}.self_attn.${proj}`, text.hidden, heads * headDim, true),
          heads,
          headDim,
        );
      const q = rope(qkv('q_proj', text.heads));
      const k = rope(qkv('k_proj', text.kvHeads));
      const v = qkv('v_proj', text.kvHeads);
      const keys = g.op('Concat', [names.pastKey, k], { axis: 2 }, { outputs: [names.presentKey] });
      const values = g.op(
        'Concat',
        [names.pastValue, v],
        { axis: 2 },
        { outputs: [names.presentValue] },
      );
      const kT = g.op('Transpose', [repeatKv(keys)], { perm: [0, 1, 3, 2] });
      const scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.scalar(1 / Math.sqrt(headDim))]);
      const probs = g.op('Softmax', [g.op('Where', [allowed, scores, lowest])], { axis: -1 });
      const attn = mergeHeads(ctx, g.op('MatMul', [probs, repeatKv(values)]), text.heads, headDim);
      const afterAttn = g.op('Add', [
        h,
        linear(ctx, attn, `${layer}.self_attn.o_proj`, text.heads * headDim, text.hidden, false),
      ]);
      const m = rmsNorm(
        ctx,
        afterAttn,
        `${layer}.post_attention_layernorm.weight`,
        text.hidden,
        text.rmsNormEps,
      );
      const gate = silu(
        ctx,
        linear(ctx, m, `${layer}.mlp.gate_proj`, text.hidden, text.intermediate, false),
      );
      const up = linear(ctx, m, `${layer}.mlp.up_proj`, text.hidden, text.intermediate, false);
      const down = linear(
        ctx,
        g.op('Mul', [gate, up]),
        `${layer}.mlp.down_proj`,
        text.intermediate,
        text.hidden,
        false,
      );
      return g.op('Add', [afterAttn, down]);
    });
    g.output(names.presentKey, ft, ['batch_size', text.kvHeads, 'total_sequence_length', headDim]);
    g.output(names.presentValue, ft, [
      'batch_size',
      text.kvHeads,
      'total_sequence_length',
      headDim,
    ]);
  }

  g.scoped('lm_head', () => {
    const kept = numLogitsToKeep
      ? g.op('Slice', [
          h,
          g.op('Neg', [g.op('Reshape', [numLogitsToKeep, g.int64([1])])]),
          g.int64Max(),
          g.int64([1]),
        ])
      : h;
    const normed = rmsNorm(ctx, kept, `${PREFIX}.norm.weight`, text.hidden, text.rmsNormEps);
    const logits = linear(
      ctx,
      normed,
      'language_model.lm_head',
      text.hidden,
      text.vocab,
      false,
      `${PREFIX}.embed_tokens.weight`,
    );
    const bias = config.decoderLogitBias;
    if (!bias) {
      g.op('Identity', [logits], {}, { outputs: ['logits'] });
      return;
    }
    const added = new Float32Array(text.vocab);
    added[vocabularyId(bias.piece)] = bias.value;
    g.op(
      'Add',
      [logits, g.floatInitializer('fixture_logit_bias', [text.vocab], added)],
      {},
      {
        outputs: ['logits'],
      },
    );
  });
  g.output('logits', ft, ['batch_size', 'logits_sequence_length', text.vocab]);
}
