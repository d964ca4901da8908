/** Builds the three LLaVA-OneVision ONNX graphs of one precision variant. */
import type { LlavaOnevisionConfig } from './configs.ts';
import { decoderGraph } from './decoder.ts';
import { embedTokensGraph } from './embed-tokens.ts';
import type { BuildContext } from './layers.ts';
import { GraphBuilder } from './onnx-writer.ts';
import type { Precision } from './precisions.ts';
import { visionEncoderGraph } from './vision-encoder.ts';
import type { WeightSource } from './weights.ts';

/** The session names transformers.js uses for LLaVA-style models (file stems under onnx/). */
export const GRAPH_NAMES = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type GraphName = (typeof GRAPH_NAMES)[number];

const BUILDERS: Record<GraphName, (ctx: BuildContext, config: LlavaOnevisionConfig) => void> = {
  vision_encoder: visionEncoderGraph,
  embed_tokens: embedTokensGraph,
  decoder_model_merged: decoderGraph,
};

/** Serialised ONNX model bytes for one graph in one precision. */
export function buildGraph(
  name: GraphName,
  config: LlavaOnevisionConfig,
  precision: Precision,
  weights: WeightSource,
): Uint8Array {
  const g = new GraphBuilder(name, precision.floatType);
  BUILDERS[name]({ g, precision, weights }, config);
  return g.toModelBytes('quality-lens scripts/model-graphs');
}

/** `onnx/<graph><suffix>.onnx`, the path transformers.js resolves for a `dtype`. */
export function graphFileName(name: GraphName, precision: Precision): string {
  return `${name}${precision.suffix}.onnx`;
}
