/** The `embed_tokens` graph: input_ids [batch_size, sequence_length] int64 → inputs_embeds. */
import type { LlavaOnevisionConfig } from './configs.ts';
import { embedding, type BuildContext } from './layers.ts';
import { DataType } from './onnx-writer.ts';

/** Declares I/O and builds the token-embedding graph. */
export function embedTokensGraph(ctx: BuildContext, config: LlavaOnevisionConfig): void {
  const { g } = ctx;
  const { text } = config;
  const ids = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const rows = embedding(
    ctx,
    ids,
    'language_model.model.embed_tokens.weight',
    text.vocab,
    text.hidden,
  );
  g.op('Identity', [rows], {}, { outputs: ['inputs_embeds'] });
  g.output('inputs_embeds', g.floatType, ['batch_size', 'sequence_length', text.hidden]);
}
