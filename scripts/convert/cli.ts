/**
 * Converts a LLaVA-OneVision-0.5B fine-tune (e.g. Q-SiT-mini) into the app's model folder.
 *
 *   npm run convert -- zhangzicheng/q-sit-mini                 # → public/models/q-sit-mini
 *   npm run convert -- ./my-checkpoint --out public/models/mine --precisions fp32,q8,q4,q4f16,fp16
 *   npm run convert -- org/name --endpoint http://127.0.0.1:4180 --revision main
 *
 * Downloads resume: an interrupted run leaves `<file>.partial` in the download folder
 * (.cache/convert/hub/<id> by default) and the next run continues it with a Range request.
 */
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePrecisions } from '../model-graphs/precisions.ts';
import { ConvertError } from './checkpoint.ts';
import { convertModel, DEFAULT_PRECISIONS } from './convert.ts';
import type { DownloadProgress } from './hub-download.ts';

const USAGE =
  'usage: npm run convert -- <hub id | checkpoint folder> [--out DIR] [--precisions fp32,q8,q4] ' +
  '[--endpoint URL] [--revision REV] [--download-dir DIR]';

/** One progress line per file, rewritten in place on a terminal, every 5 % otherwise. */
function progressPrinter(): (p: DownloadProgress) => void {
  const shown = new Map<string, number>();
  return ({ file, loaded, total }) => {
    if (total !== null && total < 1e6) return; // small files: the completion line is enough
    const percent = total ? Math.floor((loaded / total) * 100) : null;
    const mb = (loaded / 1e6).toFixed(1);
    const line = `  ${file}: ${mb} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB (${percent} %)` : ''}`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}`);
      if (total && loaded >= total) process.stdout.write('\n');
      return;
    }
    const step = percent === null ? Math.floor(loaded / 50e6) : Math.floor(percent / 5);
    if (shown.get(file) !== step) {
      shown.set(file, step);
      console.log(line);
    }
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      precisions: { type: 'string', default: DEFAULT_PRECISIONS.join(',') },
      endpoint: { type: 'string' },
      revision: { type: 'string', default: 'main' },
      'download-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const source = positionals[0];
  if (values.help || !source || positionals.length > 1) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const outDir = resolve(values.out ?? `public/models/${basename(source)}`);
  const started = performance.now();
  const result = await convertModel({
    source,
    outDir,
    precisions: parsePrecisions(values.precisions),
    endpoint: values.endpoint,
    revision: values.revision,
    downloadDir: values['download-dir'],
    log: (line) => console.log(line),
    onProgress: progressPrinter(),
  });
  const total = Object.values(result.files).reduce((a, b) => a + b, 0);
  console.log(
    `converted ${source} → ${result.outDir} (${(total / 1e6).toFixed(1)} MB, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `open the app with ?model=local:${basename(result.outDir)} when it is under public/models/`,
  );
}

main().catch((error: unknown) => {
  // Problems with the input are worded for people; anything else keeps its stack.
  const known = error instanceof ConvertError || (error as Error)?.name === 'SafetensorsError';
  console.error(known || !process.env.DEBUG ? `convert: ${(error as Error).message}` : error);
  process.exitCode = 1;
});
