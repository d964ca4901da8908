/**
 * Converts a LLaVA-OneVision checkpoint (a local folder or a Hub repository) into the app's model
 * folder: the model's own configs and tokenizer (plus the few fields transformers.js needs) and
 * onnx/{vision_encoder,embed_tokens,decoder_model_merged}{suffix}.onnx in each asked precision,
 * plus image_newline.json (the vector the reference image mode needs and no graph holds),
 * built by the one graph builder in scripts/model-graphs from the checkpoint's weights.
 *
 * The folder is assembled in `<out>.converting-<pid>` and renamed into place only when complete;
 * config.json is written last, so an interrupted run never leaves anything that loads as a model.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildGraph, GRAPH_NAMES, graphFileName } from '../model-graphs/build.ts';
import { derived } from '../model-graphs/configs.ts';
import { preprocessorConfigJson, TOKENIZER_CONFIG } from '../model-graphs/model-files.ts';
import { PRECISIONS, type PrecisionName } from '../model-graphs/precisions.ts';
import { IMAGE_NEWLINE_FILE, imageNewlineJson } from '../../src/model/image-newline.ts';
import { checkpointWeights, ConvertError, openCheckpoint, type Checkpoint } from './checkpoint.ts';
import { CONFIG_FILES, downloadHubModel, type DownloadProgress } from './hub-download.ts';

/** Precisions written when none are asked for: reference, 8-bit (CPU/WASM), 4-bit (the app's default). */
export const DEFAULT_PRECISIONS: PrecisionName[] = ['fp32', 'q8', 'q4'];

export interface ConvertOptions {
  /** A local checkpoint folder, or a Hub repository id such as `zhangzicheng/q-sit-mini`. */
  source: string;
  /** The model folder to write. */
  outDir: string;
  precisions?: PrecisionName[];
  /** Where Hub downloads go (kept for resuming and re-running). */
  downloadDir?: string;
  endpoint?: string;
  revision?: string;
  log?: (line: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface ConvertResult {
  outDir: string;
  /** Relative path → bytes. */
  files: Record<string, number>;
}

type Json = Record<string, unknown>;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function readJsonIfAny(path: string): Json | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch {
    throw new ConvertError(`${basename(path)} is not valid JSON: ${path}`);
  }
}

/** `org/name` (Hub id) rather than a path. */
export function looksLikeHubId(source: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(source) && !source.startsWith('.');
}

/** The checkpoint folder for `source`: the folder itself, or a download of the Hub repository. */
async function checkpointFolder(options: ConvertOptions): Promise<string> {
  const { source } = options;
  if (existsSync(source)) {
    if (!statSync(source).isDirectory()) {
      throw new ConvertError(`${source} is a file; give the folder that holds config.json`);
    }
    return resolve(source);
  }
  if (!looksLikeHubId(source)) {
    throw new ConvertError(`${source} is neither a folder nor a Hub id like org/name`);
  }
  const dir = resolve(options.downloadDir ?? join('.cache/convert/hub', source));
  options.log?.(`downloading ${source} into ${dir}`);
  await downloadHubModel(source, dir, {
    endpoint: options.endpoint,
    revision: options.revision,
    onProgress: options.onProgress,
    onFile: (file, bytes, resumedFrom) =>
      options.log?.(
        `  ${file} ${bytes} B${resumedFrom > 0 ? ` (resumed from ${resumedFrom} B)` : ''}`,
      ),
  });
  return dir;
}

/**
 * The model's own JSON/tokenizer files, with what transformers.js 4.3.1 needs added
 * (TRANSFORMERS_JS_NOTES.md): processor_config `patch_size` / `num_additional_image_tokens`,
 * `chat_template` inside tokenizer_config.json, and defaults for files a checkpoint may lack.
 */
function modelFiles(checkpoint: Checkpoint): Map<string, string | { copyFrom: string }> {
  const { dir, config, configJson } = checkpoint;
  const files = new Map<string, string | { copyFrom: string }>();
  for (const name of CONFIG_FILES) {
    if (existsSync(join(dir, name))) files.set(name, { copyFrom: join(dir, name) });
  }
  if (!files.has('tokenizer.json')) {
    throw new ConvertError(
      `missing tokenizer.json in ${dir}: the app's tokenizer (transformers.js) needs the fast ` +
        'tokenizer file; save it with AutoTokenizer.from_pretrained(…).save_pretrained(…)',
    );
  }
  const processor = readJsonIfAny(join(dir, 'processor_config.json')) ?? {
    image_token: '<image>',
    num_image_tokens: derived(config).imageTokens,
    processor_class: 'LlavaOnevisionProcessor',
    video_token: '<video>',
    vision_feature_select_strategy: 'full',
  };
  // SigLIP has no CLS token: 0 extra tokens (see src/model/processor-config.ts).
  processor.patch_size ??= config.vision.patchSize;
  processor.num_additional_image_tokens ??= 0;
  files.set('processor_config.json', json(processor));

  // transformers.js reads the tokenizer's settings (and the chat template) from here; a checkpoint
  // without one gets the Qwen2 defaults the fixture uses.
  const tokenizerConfig = readJsonIfAny(join(dir, 'tokenizer_config.json')) ?? {
    ...TOKENIZER_CONFIG,
  };
  if (tokenizerConfig.chat_template === undefined) {
    const template =
      (readJsonIfAny(join(dir, 'chat_template.json'))?.chat_template as string | undefined) ??
      (existsSync(join(dir, 'chat_template.jinja'))
        ? readFileSync(join(dir, 'chat_template.jinja'), 'utf8')
        : undefined);
    if (template) tokenizerConfig.chat_template = template;
  }
  files.set('tokenizer_config.json', json(tokenizerConfig));
  if (!files.has('preprocessor_config.json')) {
    files.set('preprocessor_config.json', preprocessorConfigJson(config));
  }
  if (!files.has('generation_config.json')) {
    const text = (configJson.text_config ?? {}) as Json;
    files.set(
      'generation_config.json',
      json({
        bos_token_id: text.bos_token_id ?? 151643,
        eos_token_id: text.eos_token_id ?? 151645,
      }),
    );
  }
  return files;
}

/** Converts `options.source` into `options.outDir`. */
export async function convertModel(options: ConvertOptions): Promise<ConvertResult> {
  const log = options.log ?? (() => {});
  const precisions = options.precisions ?? DEFAULT_PRECISIONS;
  if (precisions.length === 0) throw new ConvertError('no precisions asked for');
  const dir = await checkpointFolder(options);
  const checkpoint = openCheckpoint(dir);
  const { config } = checkpoint;
  log(
    `checkpoint ${basename(dir)}: SigLIP ${config.vision.layers}×${config.vision.hidden}, ` +
      `Qwen2 ${config.text.layers}×${config.text.hidden} (${config.text.heads}/${config.text.kvHeads} heads), ` +
      `vocabulary ${config.text.vocab}, ${checkpoint.hasLmHead ? 'own' : 'tied'} LM head`,
  );
  if (config.imageTokenIndex >= config.text.vocab) {
    throw new ConvertError(
      `image token id ${config.imageTokenIndex} is outside the ${config.text.vocab}-row embedding`,
    );
  }
  const files = modelFiles(checkpoint);

  const outDir = resolve(options.outDir);
  const work = `${outDir}.converting-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'onnx'), { recursive: true });
  const written: Record<string, number> = {};
  const put = (relative: string, data: string | Uint8Array) => {
    writeFileSync(join(work, relative), data);
    written[relative] = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  try {
    for (const [name, content] of files) {
      if (name === 'config.json') continue;
      if (typeof content === 'string') put(name, content);
      else {
        copyFileSync(content.copyFrom, join(work, name));
        written[name] = statSync(content.copyFrom).size;
      }
    }
    for (const name of precisions) {
      for (const graph of GRAPH_NAMES) {
        const started = performance.now();
        const file = join('onnx', graphFileName(graph, PRECISIONS[name]));
        put(
          file,
          buildGraph(graph, config, PRECISIONS[name], checkpointWeights(checkpoint, graph)),
        );
        log(
          `  ${file} ${(written[file]! / 1e6).toFixed(1)} MB (${Math.round(performance.now() - started)} ms)`,
        );
      }
    }
    // No graph uses image_newline; the reference image mode reads it from here.
    put(
      IMAGE_NEWLINE_FILE,
      imageNewlineJson(checkpointWeights(checkpoint)('image_newline', [config.text.hidden])),
    );
    put(
      'quality-lens-convert.json',
      json({ source: options.source, precisions, converted: new Date().toISOString() }),
    );
    // Last: the file that makes the folder a model.
    copyFileSync(join(dir, 'config.json'), join(work, 'config.json'));
    written['config.json'] = statSync(join(dir, 'config.json')).size;

    const old = `${outDir}.old-${process.pid}`;
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(work, outDir);
    rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return { outDir, files: written };
}
