/**
 * Loads the generated fixture with the real transformers.js runtime (Node, onnxruntime-node CPU)
 * and checks what the app relies on: tokens, the 729-token image prompt, level probabilities,
 * the KV cache, num_logits_to_keep, the q4 variant and generate().
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  env,
  LlavaOnevisionForConditionalGeneration,
  LlavaProcessor,
  RawImage,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_ID, writeFixtureModel } from './fixture-model.ts';
import { toFloat16Bits } from './onnx-writer.ts';

const QUESTION =
  'Assume you are an image quality evaluator. \nYour rating should be chosen from the following five categories: Excellent, Good, Fair, Poor, and Bad (from high to low). \nHow would you rate the quality of this image?';
const PROMPT = `<|im_start|>user\n<image>\n${QUESTION}<|im_end|>\n<|im_start|>assistant\nThe quality of this image is `;
const LEVELS = ['Excellent', 'Good', 'Fair', 'Poor', 'Bad'];
/** Ids reported for the real Qwen2 tokenizer (Q-SiT issue #12); they prove the vocabulary is real. */
const KNOWN_LEVEL_IDS = [49655, 15216, 60795, 84103, 17082];

type Model = Awaited<ReturnType<typeof LlavaOnevisionForConditionalGeneration.from_pretrained>>;
type Processor = Awaited<ReturnType<typeof LlavaProcessor.from_pretrained>>;
/** A plain `model(inputs)` call returns the raw session outputs: logits and present.{i}.key/value. */
type ModelOutput = { logits: Tensor } & Record<string, Tensor>;

let dir = '';
let processor: Processor;
let model: Model;
let levelIds: number[] = [];

/** A 384×384 RGB test image from a pixel function (values 0..255). */
function makeImage(pixel: (x: number, y: number, c: number) => number): RawImage {
  const size = 384;
  const data = new Uint8ClampedArray(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = pixel(x, y, c);
    }
  }
  return new RawImage(data, size, size, 3);
}

const gradient = makeImage((x, y, c) => (c === 0 ? x : c === 1 ? y : 255 - x) * (255 / 383));
let noiseState = 12345;
const noise = makeImage(() => {
  noiseState = (Math.imul(noiseState, 1103515245) + 12345) >>> 0;
  return noiseState >>> 24;
});

function keep(n: number): Tensor {
  return new Tensor('int64', BigInt64Array.of(BigInt(n)), []);
}

/** Logits of the last position as a plain array. */
function lastLogits(logits: Tensor): Float32Array {
  const [, seq, vocab] = logits.dims as [number, number, number];
  return (logits.data as Float32Array).slice((seq - 1) * vocab, seq * vocab);
}

function levelProbabilities(logits: Float32Array): number[] {
  const picked = levelIds.map((id) => logits[id] ?? 0);
  const max = Math.max(...picked);
  const exps = picked.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

async function scoreInputs(image: RawImage) {
  return processor(image, PROMPT);
}

async function levelsFor(m: Model, image: RawImage): Promise<number[]> {
  const inputs = await scoreInputs(image);
  const out = (await m({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
  return levelProbabilities(lastLogits(out.logits));
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return ab / Math.sqrt(aa * bb);
}

/** IEEE half bits → number. */
function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Last-position logits of any precision as fp32 (float16 tensors hold raw bits in Node 20). */
function lastLogitsAnyPrecision(logits: Tensor): Float32Array {
  if (logits.type !== 'float16') return lastLogits(logits);
  const [, seq, vocab] = logits.dims as [number, number, number];
  const bits = (logits.data as Uint16Array).slice((seq - 1) * vocab, seq * vocab);
  return Float32Array.from(bits, fromHalf);
}

function sha256Tree(root: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes[path.slice(root.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return hashes;
}

/** Turns `present.{i}.*` outputs into the `past_key_values.{i}.*` feeds of the next call. */
function cacheFrom(output: ModelOutput): Record<string, Tensor> {
  const cache: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(output)) {
    if (name.startsWith('present.')) cache[name.replace('present.', 'past_key_values.')] = tensor;
  }
  return cache;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llava-fixture-'));
  writeFixtureModel(join(dir, FIXTURE_MODEL_ID), ['fp32', 'q4', 'fp16', 'q8']);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dir}/`;
  processor = await LlavaProcessor.from_pretrained(FIXTURE_MODEL_ID);
  // The real processor_config.json lacks these; the app sets them the same way.
  Object.assign(processor.config, { patch_size: 14, num_additional_image_tokens: 0 });
  model = await LlavaOnevisionForConditionalGeneration.from_pretrained(FIXTURE_MODEL_ID, {
    dtype: 'fp32',
    device: 'cpu',
  });
  levelIds = LEVELS.map((word) => {
    const ids = processor.tokenizer!.encode(word, { add_special_tokens: false });
    expect(ids, word).toHaveLength(1);
    return ids[0] ?? -1;
  });
});

afterAll(async () => {
  await model?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fixture model with transformers.js', () => {
  it('uses the real Qwen2 vocabulary: each level word is one known token', () => {
    expect(levelIds).toEqual(KNOWN_LEVEL_IDS);
    const tokenizer = processor.tokenizer!;
    expect(
      tokenizer.encode('<image><video><|im_start|><|im_end|><|endoftext|>', {
        add_special_tokens: false,
      }),
    ).toEqual([151646, 151647, 151644, 151645, 151643]);
  });

  it('expands the scoring prompt to 729 image tokens and scores it', async () => {
    const inputs = await scoreInputs(gradient);
    const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    expect(ids.filter((id) => id === 151646)).toHaveLength(729);
    expect(inputs.pixel_values.dims).toEqual([1, 3, 384, 384]);
    const probabilities = await levelsFor(model, gradient);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const p of probabilities) expect(p).toBeGreaterThan(0.01);
  });

  it('gives the same levels for the same photo and different levels for different photos', async () => {
    const a = await levelsFor(model, gradient);
    const again = await levelsFor(model, gradient);
    const b = await levelsFor(model, noise);
    expect(again).toEqual(a);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0.01);
  });

  it('has a correct KV cache: cached last step equals the full pass', async () => {
    const inputs = await scoreInputs(noise);
    const length = inputs.input_ids.dims[1] as number;
    const full = (await model({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
    const prefill = (await model({
      pixel_values: inputs.pixel_values,
      input_ids: inputs.input_ids.slice(null, [0, length - 1]),
      attention_mask: inputs.attention_mask.slice(null, [0, length - 1]),
      num_logits_to_keep: keep(1),
    })) as ModelOutput;
    const step = (await model({
      input_ids: inputs.input_ids.slice(null, [length - 1, length]),
      attention_mask: inputs.attention_mask,
      past_key_values: cacheFrom(prefill),
      num_logits_to_keep: keep(1),
    })) as ModelOutput;
    expect(step.logits.dims).toEqual([1, 1, 152000]);
    expect(maxAbsDiff(lastLogits(step.logits), lastLogits(full.logits))).toBeLessThan(1e-4);
  });

  it('keeps only the last logits with num_logits_to_keep = 1 (0 keeps all)', async () => {
    const text = processor.tokenizer!(
      '<|im_start|>user\nIs this photo sharp?<|im_end|>\n<|im_start|>assistant\n',
    );
    const all = (await model({ ...text, num_logits_to_keep: keep(0) })) as ModelOutput;
    const last = (await model({ ...text, num_logits_to_keep: keep(1) })) as ModelOutput;
    expect(all.logits.dims[1]).toBe(text.input_ids.dims[1]);
    expect(last.logits.dims[1]).toBe(1);
    expect(maxAbsDiff(lastLogits(last.logits), lastLogits(all.logits))).toBeLessThan(1e-5);
  });

  it('masks left padding: a padded batch gives the same last logits as single runs', async () => {
    const tokenizer = processor.tokenizer!;
    const prompts = [
      '<|im_start|>user\nIs it sharp?<|im_end|>\n',
      '<|im_start|>user\nIs the exposure right here?<|im_end|>\n',
    ];
    const previousSide = tokenizer.padding_side;
    tokenizer.padding_side = 'left';
    try {
      const batch = tokenizer(prompts, { padding: true });
      expect(Array.from(batch.attention_mask.data as BigInt64Array).includes(0n)).toBe(true);
      const batched = (await model({ ...batch, num_logits_to_keep: keep(1) })) as ModelOutput;
      const vocab = 152000;
      for (let row = 0; row < prompts.length; row++) {
        const single = (await model({
          ...tokenizer(prompts[row]!),
          num_logits_to_keep: keep(1),
        })) as ModelOutput;
        const rowLogits = (batched.logits.data as Float32Array).slice(
          row * vocab,
          (row + 1) * vocab,
        );
        expect(maxAbsDiff(rowLogits, lastLogits(single.logits))).toBeLessThan(1e-4);
      }
    } finally {
      tokenizer.padding_side = previousSide;
    }
  });

  it('generates with generate()', async () => {
    const inputs = await scoreInputs(gradient);
    const length = inputs.input_ids.dims[1] as number;
    const sequences = (await model.generate({
      ...inputs,
      max_new_tokens: 5,
      do_sample: false,
    })) as Tensor;
    expect(sequences.dims).toEqual([1, length + 5]);
  });

  it('loads and runs the q4 variant (MatMulNBits) close to fp32', async () => {
    const q4 = await LlavaOnevisionForConditionalGeneration.from_pretrained(FIXTURE_MODEL_ID, {
      dtype: 'q4',
      device: 'cpu',
    });
    try {
      const inputs = await scoreInputs(gradient);
      const fp32Out = (await model({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
      const q4Out = (await q4({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
      const fp32Logits = lastLogits(fp32Out.logits);
      const q4Logits = lastLogits(q4Out.logits);
      // 4-bit weights move a tiny random model noticeably (measured: logits correlation 0.89, level
      // probabilities within 0.13 of fp32); the bounds catch a wrong layout, which gives noise.
      expect(correlation(q4Logits, fp32Logits)).toBeGreaterThan(0.8);
      expect(maxAbsDiff(levelProbabilities(q4Logits), levelProbabilities(fp32Logits))).toBeLessThan(
        0.25,
      );
    } finally {
      await q4.dispose();
    }
  });

  it('runs the fp16 variant with float16 I/O (pixel_values cast by the caller) close to fp32', async () => {
    const fp16 = await LlavaOnevisionForConditionalGeneration.from_pretrained(FIXTURE_MODEL_ID, {
      dtype: 'fp16',
      device: 'cpu',
    });
    try {
      const inputs = await scoreInputs(noise);
      const pixels = inputs.pixel_values;
      const halfPixels = new Tensor(
        'float16',
        toFloat16Bits(pixels.data as Float32Array),
        pixels.dims,
      );
      const out = (await fp16({
        ...inputs,
        pixel_values: halfPixels,
        num_logits_to_keep: keep(1),
      })) as ModelOutput;
      expect(out.logits.type).toBe('float16');
      const reference = (await model({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
      const levels = levelProbabilities(lastLogitsAnyPrecision(out.logits));
      expect(maxAbsDiff(levels, levelProbabilities(lastLogits(reference.logits)))).toBeLessThan(
        0.01,
      );
    } finally {
      await fp16.dispose();
    }
  });

  it('runs the q8 variant (DynamicQuantizeLinear + MatMulInteger) close to fp32', async () => {
    const q8 = await LlavaOnevisionForConditionalGeneration.from_pretrained(FIXTURE_MODEL_ID, {
      dtype: 'q8',
      device: 'cpu',
    });
    try {
      const inputs = await scoreInputs(gradient);
      const out = (await q8({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
      const reference = (await model({ ...inputs, num_logits_to_keep: keep(1) })) as ModelOutput;
      expect(correlation(lastLogits(out.logits), lastLogits(reference.logits))).toBeGreaterThan(
        0.95,
      );
    } finally {
      await q8.dispose();
    }
  });
});

describe('fixture generator', () => {
  it('is deterministic and skips an up-to-date folder', () => {
    const first = join(dir, FIXTURE_MODEL_ID);
    const second = join(dir, 'second');
    writeFixtureModel(second, ['fp32', 'q4', 'fp16', 'q8']);
    expect(sha256Tree(second)).toEqual(sha256Tree(first));
    expect(writeFixtureModel(first, ['fp32', 'q4']).skipped).toBe(true);
  });
});
