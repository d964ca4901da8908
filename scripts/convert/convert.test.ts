/**
 * The converter end to end on tiny checkpoints: other name layouts, shards, BF16/F16 storage and an
 * untied head give the right numbers; bad input (another architecture, missing files, a truncated
 * file or download, a header that lies about sizes) stops with an error naming the problem and
 * leaves no half-written model folder; a Hub download resumes with a Range request.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvertError } from './checkpoint.ts';
import { convertModel } from './convert.ts';
import { referenceDecoder, referenceEmbed, type Params } from './reference-forward.ts';
import { readSafetensorsHeader, readTensor, writeSafetensors } from './safetensors.ts';
import { TINY_CONFIG, writeTinyCheckpoint } from './tiny-checkpoint.ts';

let root = '';
/** A good legacy-named F32 checkpoint to copy and damage. */
let good = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'convert-test-'));
  good = join(root, 'good');
  writeTinyCheckpoint(good, { config: TINY_CONFIG, seed: 11 });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the good checkpoint to damage. */
function copyOfGood(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(good))
    writeFileSync(join(dir, file), readFileSync(join(good, file)));
  return dir;
}

/** Converting `dir` fails with `pattern`, and nothing that looks like a model folder is left. */
async function expectFailure(dir: string, pattern: RegExp): Promise<string> {
  const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
  const error = await convertModel({ source: dir, outDir: out, precisions: ['fp32'] }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(pattern);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(root).filter((f) => f.includes('.converting-'))).toEqual([]);
  return error!.message;
}

const bf16 = (v: number) =>
  new Float32Array(
    Uint32Array.of(new Uint32Array(Float32Array.of(v).buffer)[0]! & 0xffff0000).buffer,
  )[0]!;

/** Max |converted decoder logits − reference| on a 4-token prompt, with the given output head. */
async function decoderDifference(out: string, params: Params, lmHead: string): Promise<number> {
  const ids = [1, 120, 7, 42];
  const embeds = referenceEmbed(TINY_CONFIG, params, ids);
  const reference = referenceDecoder(TINY_CONFIG, params, embeds, [0, 1, 2, 3], [], lmHead);
  const t = TINY_CONFIG.text;
  const feeds: Record<string, ort.Tensor> = {
    inputs_embeds: new ort.Tensor('float32', Float32Array.from(embeds), [1, 4, t.hidden]),
    attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 2n, 3n]), [1, 4]),
    num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.of(0n), []),
  };
  for (let l = 0; l < t.layers; l++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        t.kvHeads,
        0,
        t.hidden / t.heads,
      ]);
    }
  }
  const session = await ort.InferenceSession.create(join(out, 'onnx/decoder_model_merged.onnx'));
  const logits = (await session.run(feeds)).logits!.data as Float32Array;
  await session.release();
  let max = 0;
  logits.forEach((v, i) => (max = Math.max(max, Math.abs(v - (reference.logits[i] ?? 0)))));
  return max;
}

describe('checkpoint layouts', () => {
  it('model.* names, 2 shards, BF16 values and an untied lm_head give the reference logits', async () => {
    const dir = join(root, 'current');
    const params = writeTinyCheckpoint(dir, {
      config: TINY_CONFIG,
      seed: 12,
      names: 'current',
      shards: 2,
      dtype: 'BF16',
      untiedHead: true,
    });
    expect(existsSync(join(dir, 'model.safetensors.index.json'))).toBe(true);
    const out = join(root, 'current-out');
    const result = await convertModel({ source: dir, outDir: out, precisions: ['fp32'] });
    expect(Object.keys(result.files)).toEqual(
      expect.arrayContaining([
        'config.json',
        'tokenizer.json',
        'processor_config.json',
        'onnx/vision_encoder.onnx',
        'onnx/embed_tokens.onnx',
        'onnx/decoder_model_merged.onnx',
      ]),
    );
    const processor = JSON.parse(readFileSync(join(out, 'processor_config.json'), 'utf8'));
    expect(processor).toMatchObject({ patch_size: 14, num_additional_image_tokens: 0 });

    const rounded = (name: string) => params.get(name)!.map(bf16);
    const max = await decoderDifference(out, rounded, 'language_model.lm_head.weight');
    expect(max).toBeLessThan(2e-5);
  });

  it('an lm_head tensor in a checkpoint whose config ties the head is ignored, as transformers does', async () => {
    const dir = join(root, 'tied-with-head');
    const params = writeTinyCheckpoint(dir, { config: TINY_CONFIG, seed: 13, untiedHead: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.text_config.tie_word_embeddings = true;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const out = join(root, 'tied-with-head-out');
    await convertModel({ source: dir, outDir: out, precisions: ['fp32'] });
    const get = (name: string) => params.get(name)!;
    expect(
      await decoderDifference(out, get, 'language_model.model.embed_tokens.weight'),
    ).toBeLessThan(2e-5);
  });

  it('reads F16 tensors (half precision rounding only)', () => {
    const path = join(root, 'half.safetensors');
    const values = Float32Array.of(0.5, -2, 1 / 3, 65504, 1e-5, 0);
    writeSafetensors(path, new Map([['x', { shape: [2, 3], values, dtype: 'F16' }]]));
    const read = readTensor(readSafetensorsHeader(path), 'x');
    expect(Array.from(read.subarray(0, 2))).toEqual([0.5, -2]);
    expect(read[2]).toBeCloseTo(0.333251953125, 12); // nearest half to 1/3
    expect(read[3]).toBe(65504);
    expect(Math.abs(read[4]! - 1e-5)).toBeLessThan(1e-7); // subnormal half
  });
});

describe('bad input gets a clear error and no model folder', () => {
  it('another architecture (Qwen2-VL) is refused by name', async () => {
    const dir = copyOfGood('qwen2vl');
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        architectures: ['Qwen2VLForConditionalGeneration'],
        model_type: 'qwen2_vl',
      }),
    );
    const message = await expectFailure(dir, /Qwen2VLForConditionalGeneration/);
    expect(message).toMatch(/handles LlavaOnevisionForConditionalGeneration/);
  });

  it('a LLaVA-OneVision config with a Llama decoder is refused', async () => {
    const dir = copyOfGood('llama');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.text_config.model_type = 'llama';
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    await expectFailure(dir, /language model is llama; only qwen2/);
  });

  it('missing config.json, weights, shard, tokenizer or tensor are named', async () => {
    const noConfig = copyOfGood('no-config');
    rmSync(join(noConfig, 'config.json'));
    await expectFailure(noConfig, /missing config\.json/);

    const noWeights = copyOfGood('no-weights');
    rmSync(join(noWeights, 'model.safetensors'));
    await expectFailure(noWeights, /missing weights: no model\.safetensors/);

    const noShard = join(root, 'no-shard');
    writeTinyCheckpoint(noShard, { config: TINY_CONFIG, seed: 1, shards: 2 });
    rmSync(join(noShard, 'model-00002-of-00002.safetensors'));
    await expectFailure(noShard, /missing checkpoint shard\(s\).*model-00002-of-00002/);

    const noTokenizer = copyOfGood('no-tokenizer');
    rmSync(join(noTokenizer, 'tokenizer.json'));
    await expectFailure(noTokenizer, /missing tokenizer\.json/);

    const noHead = copyOfGood('no-head');
    const untied = JSON.parse(readFileSync(join(noHead, 'config.json'), 'utf8'));
    untied.text_config.tie_word_embeddings = false;
    writeFileSync(join(noHead, 'config.json'), JSON.stringify(untied));
    await expectFailure(noHead, /tie_word_embeddings: false but the checkpoint has no lm_head/);

    const noTensor = copyOfGood('no-tensor');
    const header = readSafetensorsHeader(join(good, 'model.safetensors'));
    const kept = new Map(
      [...header.tensors.keys()]
        .filter((n) => n !== 'language_model.model.norm.weight')
        .map((n) => {
          const entry = header.tensors.get(n)!;
          return [n, { shape: entry.shape, values: readTensor(header, n) }] as const;
        }),
    );
    writeSafetensors(join(noTensor, 'model.safetensors'), kept);
    await expectFailure(noTensor, /lacks 1 tensor\(s\).*language_model\.model\.norm\.weight/);
  });

  it('a config whose sizes disagree with the tensors names the tensor', async () => {
    const dir = copyOfGood('wrong-shape');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.text_config.intermediate_size = 96;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    await expectFailure(dir, /mlp\.gate_proj\.weight has shape \[128, 64\].*implies \[96, 64\]/);
  });

  it('a truncated safetensors file (interrupted copy) is reported as truncated', async () => {
    const dir = copyOfGood('truncated');
    const file = join(dir, 'model.safetensors');
    truncateSync(file, statSync(file).size - 100);
    await expectFailure(dir, /model\.safetensors: .*truncated/);
    truncateSync(file, 6);
    await expectFailure(dir, /only 6 bytes/);
  });

  it('a header that lies about tensor sizes or its own length is refused', async () => {
    const path = join(root, 'lying.safetensors');
    const write = (header: object, dataBytes: number) => {
      const json = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(json.length));
      writeFileSync(path, Buffer.concat([length, json, Buffer.alloc(dataBytes)]));
    };
    // F32 [2, 2] is 16 bytes, the offsets claim 12.
    write({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, 12);
    expect(() => readSafetensorsHeader(path)).toThrow(/w \(F32 \[2, 2\]\) needs 16 bytes.*give 12/);
    // Offsets past the end of the file.
    write({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8);
    expect(() => readSafetensorsHeader(path)).toThrow(/ends at byte 16.*only 8 data bytes/);
    // Two tensors sharing bytes.
    write(
      {
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      },
      12,
    );
    expect(() => readSafetensorsHeader(path)).toThrow(/a and b overlap/);
    // A header length bigger than the file.
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(1000n);
    writeFileSync(path, bytes);
    expect(() => readSafetensorsHeader(path)).toThrow(/header says it is 1000 bytes.*only 16/);
    // Not JSON.
    write({}, 0);
    const broken = readFileSync(path);
    broken[8] = 0x7b + 1;
    writeFileSync(path, broken);
    expect(() => readSafetensorsHeader(path)).toThrow(/not valid JSON/);
  });

  it('a failed conversion leaves an existing model folder as it was', async () => {
    const out = join(root, 'existing');
    mkdirSync(out);
    writeFileSync(join(out, 'config.json'), '{"kept": true}');
    const dir = copyOfGood('bad-for-existing');
    rmSync(join(dir, 'tokenizer.json'));
    await expect(convertModel({ source: dir, outDir: out, precisions: ['fp32'] })).rejects.toThrow(
      ConvertError,
    );
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe('{"kept": true}');
  });

  it('the CLI prints one line naming the problem and exits 1', () => {
    const dir = copyOfGood('cli-bad');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: ['BertModel'] }));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/convert/cli.ts', dir, '--out', join(root, 'cli-out')],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^convert: this is a BertModel checkpoint/);
    expect(existsSync(join(root, 'cli-out'))).toBe(false);
  });

  it('a source that is neither a folder nor a Hub id is named', async () => {
    await expect(
      convertModel({ source: './nowhere/at/all', outDir: join(root, 'x') }),
    ).rejects.toThrow(/neither a folder nor a Hub id/);
  });
});

/** A Hub stand-in: serves `dir` as repository `id`; can cut the first download of one file. */
class HubStandIn {
  server: Server;
  requests: string[] = [];
  cut: { file: string; after: number } | null = null;
  listing = false;
  /** Answer every file with a web page (a misconfigured mirror or a wrong --endpoint). */
  html = false;

  constructor(
    readonly id: string,
    readonly dir: string,
  ) {
    this.server = createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? '');
      this.requests.push(`${url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
      if (url === `/api/models/${id}/revision/main`) {
        if (!this.listing) return void res.writeHead(404).end();
        const siblings = readdirSync(dir).map((rfilename) => ({ rfilename }));
        return void res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ siblings }));
      }
      if (this.html) {
        return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html>');
      }
      const prefix = `/${id}/resolve/main/`;
      const file = url.startsWith(prefix) ? url.slice(prefix.length) : '';
      if (!file || !existsSync(join(dir, file)))
        return void res.writeHead(404).end('Entry not found');
      const data = readFileSync(join(dir, file));
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const body = data.subarray(start);
      const headers: Record<string, string | number> = { 'Content-Length': body.length };
      if (range) headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
      res.writeHead(range ? 206 : 200, headers);
      if (this.cut?.file === file) {
        const after = this.cut.after;
        this.cut = null;
        res.write(body.subarray(0, after), () => res.destroy());
        return;
      }
      res.end(body);
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

describe('downloading from a Hub (local stand-in server)', () => {
  it('a download cut half-way is an error naming the file; the next run resumes with Range', async () => {
    const hub = new HubStandIn('test/tiny-ov', good);
    const endpoint = await hub.start();
    const downloadDir = join(root, 'download');
    const outDir = join(root, 'downloaded');
    const size = statSync(join(good, 'model.safetensors')).size;
    hub.cut = { file: 'model.safetensors', after: 50_000 };
    try {
      await expect(
        convertModel({
          source: 'test/tiny-ov',
          outDir,
          downloadDir,
          endpoint,
          precisions: ['fp32'],
        }),
      ).rejects.toThrow(
        new RegExp(`model\\.safetensors: download stopped at \\d+ of ${size} bytes.*resume`),
      );
      expect(existsSync(outDir)).toBe(false);
      expect(existsSync(join(downloadDir, 'model.safetensors'))).toBe(false);
      const partial = statSync(join(downloadDir, 'model.safetensors.partial')).size;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(size);

      const lines: string[] = [];
      await convertModel({
        source: 'test/tiny-ov',
        outDir,
        downloadDir,
        endpoint,
        precisions: ['fp32'],
        log: (line) => lines.push(line),
      });
      expect(hub.requests).toContain(
        `/test/tiny-ov/resolve/main/model.safetensors bytes=${partial}-`,
      );
      expect(lines.join('\n')).toContain(`resumed from ${partial} B`);
      const downloaded = readFileSync(join(downloadDir, 'model.safetensors'));
      expect(downloaded.equals(readFileSync(join(good, 'model.safetensors')))).toBe(true);
      expect(existsSync(join(outDir, 'onnx/decoder_model_merged.onnx'))).toBe(true);
    } finally {
      hub.server.close();
    }
  });

  it('uses the Hub API file list when the server has it; an unknown repository is named', async () => {
    const hub = new HubStandIn('test/listed', good);
    hub.listing = true;
    const endpoint = await hub.start();
    try {
      await convertModel({
        source: 'test/listed',
        outDir: join(root, 'listed-out'),
        downloadDir: join(root, 'listed-download'),
        endpoint,
        precisions: ['fp32'],
      });
      // Only listed files were asked for: no probing of absent optional names.
      expect(hub.requests.filter((r) => r.includes('generation_config.json'))).toEqual([]);
      await expect(
        convertModel({
          source: 'test/unknown',
          outDir: join(root, 'u'),
          endpoint,
          downloadDir: join(root, 'u-dl'),
        }),
      ).rejects.toThrow(/test\/unknown: config\.json not found/);
      hub.html = true;
      await expect(
        convertModel({
          source: 'test/listed',
          outDir: join(root, 'h'),
          endpoint,
          downloadDir: join(root, 'h-dl'),
        }),
      ).rejects.toThrow(/config\.json: the server answered with a web page/);
    } finally {
      hub.server.close();
    }
  });
});
