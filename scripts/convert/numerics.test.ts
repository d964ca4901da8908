/**
 * The converted ONNX graphs (onnxruntime-node, fp32) against the plain TypeScript reference forward
 * pass, on a tiny random LLaVA-OneVision written as a real safetensors checkpoint with the legacy
 * names: vision tower, projector, image features (single crop and anyres packing), token embedding,
 * decoder without and with the KV cache, plus the 8-bit and 4-bit variants (looser, they quantize).
 *
 * Tolerance (fp32 graphs vs the float64 reference): max |difference| ≤ 2e-5 on values of order 1–10
 * (measured ≤ 4e-6). Quantized variants: RMS error relative to the fp32 logits' RMS (8-bit < 0.05, measured 0.025;
 * 4-bit < 0.35, measured 0.21; random tiny weights are a harsh case for 4-bit blocks of 32).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, GraphBuilder } from '../model-graphs/onnx-writer.ts';
import { PRECISIONS } from '../model-graphs/precisions.ts';
import { projector } from '../model-graphs/projector.ts';
import { visionTower } from '../model-graphs/vision-tower.ts';
import { anyresLayout, packImageFeatures, type Size } from './anyres.ts';
import { checkpointWeights, openCheckpoint } from './checkpoint.ts';
import { convertModel } from './convert.ts';
import {
  referenceDecoder,
  referenceEmbed,
  referenceProjector,
  referenceVisionTower,
  type Params,
} from './reference-forward.ts';
import { TINY_CONFIG, writeTinyCheckpoint } from './tiny-checkpoint.ts';

const TOLERANCE = 2e-5;

let root = '';
let params: Params;
const sessions = new Map<string, ort.InferenceSession>();
const measured: Record<string, number> = {};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

function agree(
  what: string,
  onnx: ArrayLike<number>,
  reference: ArrayLike<number>,
  tol = TOLERANCE,
) {
  const d = maxDiff(onnx, reference);
  measured[what] = d;
  expect(d, `${what}: max |onnx − reference|`).toBeLessThanOrEqual(tol);
}

function sinusoid(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.731 + seed) * 0.9);
}

const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
const i64 = (values: number[], dims: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);

async function session(name: string): Promise<ort.InferenceSession> {
  let s = sessions.get(name);
  if (!s) {
    s = await ort.InferenceSession.create(join(root, 'out', 'onnx', `${name}.onnx`));
    sessions.set(name, s);
  }
  return s;
}

/** A graph built from one builder function over the checkpoint's weights (tower or projector alone). */
async function partSession(
  build: (g: GraphBuilder) => { input: string; output: string },
): Promise<ort.InferenceSession> {
  const g = new GraphBuilder('part', DataType.FLOAT);
  const { output } = build(g);
  g.op('Identity', [output], {}, { outputs: ['out'] });
  g.output('out', DataType.FLOAT, ['batch_size', 'tokens', 'hidden']);
  return ort.InferenceSession.create(g.toModelBytes('numerics.test'));
}

const S = TINY_CONFIG.vision.imageSize;
const PATCHES = (S / TINY_CONFIG.vision.patchSize) ** 2;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'convert-numerics-'));
  const stored = writeTinyCheckpoint(join(root, 'checkpoint'), {
    config: TINY_CONFIG,
    seed: 7,
    names: 'legacy',
  });
  params = (name) => {
    const values = stored.get(name);
    if (!values) throw new Error(`reference asked for unknown ${name}`);
    return values;
  };
  await convertModel({
    source: join(root, 'checkpoint'),
    outDir: join(root, 'out'),
    precisions: ['fp32', 'q8', 'q4'],
  });
});

afterAll(async () => {
  for (const s of sessions.values()) await s.release();
  rmSync(root, { recursive: true, force: true });
  console.log('numerics: max |onnx − reference|', measured);
});

describe('converted fp32 graphs agree with the TypeScript reference forward pass', () => {
  it('vision tower (SigLIP encoder, last hidden state before post_layernorm)', async () => {
    const checkpoint = openCheckpoint(join(root, 'checkpoint'));
    const tower = await partSession((g) => {
      const input = g.input('pixel_values', DataType.FLOAT, ['batch_size', 3, S, S]);
      const ctx = { g, precision: PRECISIONS.fp32, weights: checkpointWeights(checkpoint) };
      return { input, output: visionTower(ctx, TINY_CONFIG, input) };
    });
    const pixels = sinusoid(2 * 3 * S * S, 1);
    const out = await tower.run({ pixel_values: f32(pixels, [2, 3, S, S]) });
    const data = out.out!.data as Float32Array;
    const D = TINY_CONFIG.vision.hidden;
    for (let b = 0; b < 2; b++) {
      const reference = referenceVisionTower(
        TINY_CONFIG,
        params,
        pixels.subarray(b * 3 * S * S, (b + 1) * 3 * S * S),
      );
      agree(
        `vision tower image ${b}`,
        data.subarray(b * PATCHES * D, (b + 1) * PATCHES * D),
        reference,
      );
    }
    await tower.release();
  });

  it('projector (linear_1, exact GELU, linear_2)', async () => {
    const checkpoint = openCheckpoint(join(root, 'checkpoint'));
    const D = TINY_CONFIG.vision.hidden;
    const part = await partSession((g) => {
      const input = g.input('features', DataType.FLOAT, ['batch_size', PATCHES, D]);
      const ctx = { g, precision: PRECISIONS.fp32, weights: checkpointWeights(checkpoint) };
      return { input, output: projector(ctx, TINY_CONFIG, input) };
    });
    const features = sinusoid(PATCHES * D, 2).map((v) => v * 3);
    const out = await part.run({ features: f32(features, [1, PATCHES, D]) });
    agree(
      'projector',
      out.out!.data as Float32Array,
      referenceProjector(TINY_CONFIG, params, Float64Array.from(features)),
    );
    await part.release();
  });

  it('image features: vision_encoder.onnx of the converted folder', async () => {
    const pixels = sinusoid(3 * S * S, 3);
    const out = await (
      await session('vision_encoder')
    ).run({
      pixel_values: f32(pixels, [1, 3, S, S]),
    });
    expect(out.image_features!.dims).toEqual([1, PATCHES, TINY_CONFIG.text.hidden]);
    const reference = referenceProjector(
      TINY_CONFIG,
      params,
      referenceVisionTower(TINY_CONFIG, params, pixels),
    );
    agree('image features', out.image_features!.data as Float32Array, reference);
  });

  it('anyres image features: base + 16 tiles, unpadded, capped (anyres_max_9), newline rows', async () => {
    const geometry = {
      tileSize: S,
      patchSize: TINY_CONFIG.vision.patchSize,
      pinpoints: [1, 2, 3, 4].flatMap((i) => [1, 2, 3, 4].map((j): Size => [S * i, S * j])),
      maxTiles: 9,
    };
    const layout = anyresLayout([110, 105], geometry);
    expect(layout.grid).toEqual([4, 4]);
    expect(layout.capped).toEqual([6, 6]); // 8×8 patches > 9 tiles' worth → bilinear to 6×6
    const n = layout.imageCount;
    const pixels = sinusoid(n * 3 * S * S, 4);
    const out = await (
      await session('vision_encoder')
    ).run({
      pixel_values: f32(pixels, [n, 3, S, S]),
    });
    const T = TINY_CONFIG.text.hidden;
    const referenceRows = new Float64Array(n * PATCHES * T);
    for (let i = 0; i < n; i++) {
      const image = pixels.subarray(i * 3 * S * S, (i + 1) * 3 * S * S);
      referenceRows.set(
        referenceProjector(TINY_CONFIG, params, referenceVisionTower(TINY_CONFIG, params, image)),
        i * PATCHES * T,
      );
    }
    const newline = params('image_newline');
    const packedOnnx = packImageFeatures(
      out.image_features!.data as Float32Array,
      T,
      newline,
      layout,
    );
    const packedReference = packImageFeatures(referenceRows, T, newline, layout);
    expect(packedOnnx.length / T).toBe(layout.tokens);
    expect(layout.tokens).toBe(4 + 6 * 6 + 6);
    agree('anyres packed image features', packedOnnx, packedReference);
  });

  it('embed_tokens returns the checkpoint rows', async () => {
    const ids = [0, 5, 120, 127];
    const out = await (await session('embed_tokens')).run({ input_ids: i64(ids, [1, 4]) });
    agree(
      'embed_tokens',
      out.inputs_embeds!.data as Float32Array,
      referenceEmbed(TINY_CONFIG, params, ids),
      0,
    );
  });
});

/** Decoder feeds: embeddings of `ids` at `positions`, with a given past. */
function decoderFeeds(
  ids: number[],
  positions: number[],
  past: Record<string, ort.Tensor>,
  pastLength: number,
): Record<string, ort.Tensor> {
  const t = TINY_CONFIG.text;
  const hd = t.hidden / t.heads;
  const feeds: Record<string, ort.Tensor> = {
    inputs_embeds: f32(Float32Array.from(referenceEmbed(TINY_CONFIG, params, ids)), [
      1,
      ids.length,
      t.hidden,
    ]),
    attention_mask: i64(new Array(pastLength + ids.length).fill(1), [1, pastLength + ids.length]),
    position_ids: i64(positions, [1, ids.length]),
    num_logits_to_keep: i64([0], []),
  };
  for (let l = 0; l < t.layers; l++) {
    for (const kind of ['key', 'value'] as const) {
      feeds[`past_key_values.${l}.${kind}`] =
        past[`present.${l}.${kind}`] ?? f32(new Float32Array(0), [1, t.kvHeads, 0, hd]);
    }
  }
  return feeds;
}

describe('converted decoder agrees with the reference', () => {
  const ids = [3, 120, 120, 17, 64, 99, 5];

  it('without KV cache: logits for every position', async () => {
    const out = await (
      await session('decoder_model_merged')
    ).run(decoderFeeds(ids, [0, 1, 2, 3, 4, 5, 6], {}, 0));
    const reference = referenceDecoder(
      TINY_CONFIG,
      params,
      referenceEmbed(TINY_CONFIG, params, ids),
      [0, 1, 2, 3, 4, 5, 6],
    );
    expect(out.logits!.dims).toEqual([1, 7, TINY_CONFIG.text.vocab]);
    agree('decoder logits (no cache)', out.logits!.data as Float32Array, reference.logits);
  });

  it('with KV cache: 5 tokens, then 2 more from the returned cache', async () => {
    const decoder = await session('decoder_model_merged');
    const first = await decoder.run(decoderFeeds(ids.slice(0, 5), [0, 1, 2, 3, 4], {}, 0));
    const second = await decoder.run(decoderFeeds(ids.slice(5), [5, 6], first, 5));
    const embeds = referenceEmbed(TINY_CONFIG, params, ids);
    const full = referenceDecoder(TINY_CONFIG, params, embeds, [0, 1, 2, 3, 4, 5, 6]);
    const H = TINY_CONFIG.text.hidden;
    const V = TINY_CONFIG.text.vocab;
    const cachedStep1 = referenceDecoder(
      TINY_CONFIG,
      params,
      embeds.subarray(0, 5 * H),
      [0, 1, 2, 3, 4],
    );
    const cachedStep2 = referenceDecoder(
      TINY_CONFIG,
      params,
      embeds.subarray(5 * H),
      [5, 6],
      cachedStep1.present,
    );
    // The reference's own cache path equals its full pass (a check of the reference itself).
    expect(maxDiff(cachedStep2.logits, full.logits.subarray(5 * V))).toBeLessThan(1e-9);
    agree(
      'decoder logits (with cache)',
      second.logits!.data as Float32Array,
      full.logits.subarray(5 * V),
    );
    agree(
      'present.1.key',
      second['present.1.key']!.data as Float32Array,
      cachedStep2.present[1]!.key,
    );
    agree(
      'present.0.value',
      second['present.0.value']!.data as Float32Array,
      cachedStep2.present[0]!.value,
    );
  });

  it('8-bit (MatMulInteger) and 4-bit (MatMulNBits) variants stay near the fp32 logits', async () => {
    const feeds = decoderFeeds(ids, [0, 1, 2, 3, 4, 5, 6], {}, 0);
    const fp32 = (await (await session('decoder_model_merged')).run(feeds)).logits!
      .data as Float32Array;
    const rms = (values: ArrayLike<number>) =>
      Math.sqrt(Array.from(values).reduce((a, v) => a + v * v, 0) / values.length);
    const limits = { decoder_model_merged_quantized: 0.05, decoder_model_merged_q4: 0.35 };
    for (const [variant, limit] of Object.entries(limits)) {
      const logits = (await (await session(variant)).run(feeds)).logits!.data as Float32Array;
      const relative = rms(logits.map((v, i) => v - (fp32[i] ?? 0))) / rms(fp32);
      measured[`${variant} (relative RMS error)`] = relative;
      expect(relative).toBeLessThan(limit);
    }
  });
});
