/**
 * Downloads a model repository from the Hugging Face Hub (or any server with the same
 * `/<id>/resolve/<revision>/<file>` layout, such as scripts/hub-server.ts) into a local folder,
 * with progress and resume: each file is fetched into `<file>.partial`, continued with an HTTP
 * Range request when a partial file is already there, checked against the announced length, and
 * renamed into place only when complete.
 *
 * Which files: the Hub API's file list (`/api/models/<id>/revision/<rev>`) when the server has it;
 * otherwise the known names of a transformers checkpoint (config, tokenizer and processor files,
 * `model.safetensors` or the shards named by `model.safetensors.index.json`).
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ConvertError } from './checkpoint.ts';

/** Files a transformers LLaVA-OneVision repository may hold that the converter uses. */
export const CONFIG_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'processor_config.json',
  'chat_template.json',
  'chat_template.jinja',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'merges.txt',
] as const;

/** Progress of one file's download. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number | null;
}

export interface DownloadOptions {
  /** Hub base URL (default https://huggingface.co, or HF_ENDPOINT). */
  endpoint?: string;
  revision?: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once per file when it is complete (or found complete on disk). */
  onFile?: (file: string, bytes: number, resumedFrom: number) => void;
}

function fileUrl(endpoint: string, id: string, revision: string, file: string): string {
  const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
  return `${base}${id}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** File names from the Hub API, or null when the server does not answer it. */
async function listFiles(endpoint: string, id: string, revision: string): Promise<string[] | null> {
  const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
  try {
    const response = await fetch(
      `${base}api/models/${id}/revision/${encodeURIComponent(revision)}`,
    );
    if (!response.ok) return null;
    const body = (await response.json()) as { siblings?: { rfilename?: string }[] };
    const names = body.siblings?.map((s) => s.rfilename).filter((n): n is string => !!n);
    return names?.length ? names : null;
  } catch {
    return null;
  }
}

/** Total length from a response: Content-Range's total for 206, Content-Length for 200. */
function announcedTotal(response: Response, resumeFrom: number): number | null {
  const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (response.status === 206 && range) return Number(range[1]);
  const length = response.headers.get('content-length');
  if (length === null) return null;
  return Number(length) + (response.status === 206 ? resumeFrom : 0);
}

/**
 * Downloads one file to `dest`, resuming `dest.partial`. Returns false when the server says the
 * file does not exist (404) and `optional` is set.
 */
export async function downloadFile(
  url: string,
  dest: string,
  file: string,
  optional: boolean,
  options: DownloadOptions = {},
): Promise<boolean> {
  if (existsSync(dest)) {
    options.onFile?.(file, statSync(dest).size, 0);
    return true;
  }
  mkdirSync(dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  const have = existsSync(partial) ? statSync(partial).size : 0;
  let response: Response;
  try {
    response = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  } catch (error) {
    throw new ConvertError(`could not reach ${url}: ${(error as Error).message}`);
  }
  if (response.status === 404 && optional) return false;
  if (response.status === 401 || response.status === 403) {
    throw new ConvertError(`${file}: the server refused access (${response.status}); gated repo?`);
  }
  if (response.status === 416 && have > 0) {
    // The partial file already holds everything the server has.
    renameSync(partial, dest);
    options.onFile?.(file, have, have);
    return true;
  }
  if (!response.ok || !response.body) {
    throw new ConvertError(`${file}: download failed with HTTP ${response.status} (${url})`);
  }
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new ConvertError(
      `${file}: the server answered with a web page, not the file (${url}); is --endpoint a Hub?`,
    );
  }
  // 200 means the server ignored the Range: start over.
  const resumeFrom = response.status === 206 ? have : 0;
  const total = announcedTotal(response, resumeFrom);
  const out = createWriteStream(partial, { flags: resumeFrom > 0 ? 'a' : 'w' });
  let loaded = resumeFrom;
  let failure: Error | null = null;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      loaded += chunk.length;
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      options.onProgress?.({ file, loaded, total });
    }
  } catch (error) {
    failure = error as Error;
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const size = statSync(partial).size;
  if (failure || (total !== null && size !== total)) {
    throw new ConvertError(
      `${file}: download stopped at ${size} of ${total ?? '?'} bytes` +
        `${failure ? ` (${failure.message})` : ''}; run the same command again to resume`,
    );
  }
  renameSync(partial, dest);
  options.onFile?.(file, size, resumeFrom);
  return true;
}

/** Downloads what the converter needs from repository `id` into `dir`; returns the file names. */
export async function downloadHubModel(
  id: string,
  dir: string,
  options: DownloadOptions = {},
): Promise<string[]> {
  const endpoint = options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  const revision = options.revision ?? 'main';
  const get = (file: string, optional: boolean) =>
    downloadFile(fileUrl(endpoint, id, revision, file), join(dir, file), file, optional, options);

  const listed = await listFiles(endpoint, id, revision);
  const wanted = (name: string) =>
    (CONFIG_FILES as readonly string[]).includes(name) ||
    /^model(-\d+-of-\d+)?\.safetensors$/.test(name) ||
    name === 'model.safetensors.index.json';
  const done: string[] = [];
  if (listed) {
    const files = listed.filter(wanted);
    if (!files.includes('config.json')) {
      throw new ConvertError(`${id} has no config.json; is it a transformers model repository?`);
    }
    for (const file of files) if (await get(file, false)) done.push(file);
    return done;
  }
  // No file list: try the known names.
  if (!(await get('config.json', true))) {
    throw new ConvertError(`${id}: config.json not found at ${endpoint} (wrong id or revision?)`);
  }
  done.push('config.json');
  for (const file of CONFIG_FILES.slice(1)) if (await get(file, true)) done.push(file);
  if (await get('model.safetensors.index.json', true)) {
    done.push('model.safetensors.index.json');
    let index: { weight_map?: Record<string, string> };
    try {
      index = JSON.parse(readFileSync(join(dir, 'model.safetensors.index.json'), 'utf8'));
    } catch {
      throw new ConvertError(`${id}: model.safetensors.index.json is not valid JSON`);
    }
    for (const shard of [...new Set(Object.values(index.weight_map ?? {}))].sort()) {
      await get(shard, false);
      done.push(shard);
    }
  } else if (await get('model.safetensors', true)) {
    done.push('model.safetensors');
  } else {
    throw new ConvertError(
      `${id}: neither model.safetensors nor model.safetensors.index.json found`,
    );
  }
  return done;
}
