/**
 * A local stand-in for the Hugging Face Hub, for tests and offline tries: the same URL layout
 * (`/<org>/<name>/resolve/<revision>/<file>`), serving model folders from disk. By default it serves
 * the fixture model under the default model's id, so the app's Hub code path is the one tested.
 *
 * Failure modes for tests, chosen by repository id:
 *   test/missing-model    every file 404s
 *   test/drops-connection configs load, ONNX files stop half-way and the connection is cut, and
 *                         so does every request for the rest (a resume never completes)
 *   test/cut-at-<NN>      the first download of each ONNX file is cut after NN % of its bytes;
 *                         later requests (a Range for the rest, or the whole file) are answered
 *   test/slow-download    the fixture with ONNX files sent at about 16 MB/s, so progress shows
 * Request log for tests: GET /__requests (JSON list of paths), POST /__reset clears it.
 *
 * Usage: npx tsx scripts/hub-server.ts [--port 4180] [--model org/name=folder]…
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_ID } from '../src/model/source.ts';

/** The fixture model as the e2e set-up writes it (scripts/e2e-setup.ts). */
export const FIXTURE_DIR = resolve('public/models/llava-onevision-fixture');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4180' },
    host: { type: 'string', default: '127.0.0.1' },
    model: { type: 'string', multiple: true, default: [] },
  },
});

const models = new Map<string, string>([
  [DEFAULT_MODEL_ID, FIXTURE_DIR],
  ['test/drops-connection', FIXTURE_DIR],
  ['test/slow-download', FIXTURE_DIR],
]);
for (const entry of values.model) {
  const [id, dir] = entry.split('=');
  if (id && dir) models.set(id, resolve(dir));
}

const requests: string[] = [];
/** Files of `test/cut-at-NN` already cut once (cleared by POST /__reset). */
const cutOnce = new Set<string>();

/** The fraction `test/cut-at-NN` cuts its first downloads at, or null for other repositories. */
function cutFraction(repo: string): number | null {
  const m = /^test\/cut-at-(\d{1,2})$/.exec(repo);
  return m ? Number(m[1]) / 100 : null;
}

/**
 * Sends `count` bytes of `file` from `start`, then closes the connection short of the announced
 * length. The close is orderly (a reset could make the browser drop bytes already sent), so the
 * browser gets exactly `count` bytes and then a network error.
 */
function sendAndCut(res: ServerResponse, file: string, start: number, count: number) {
  const bytes = readFileSync(file).subarray(start, start + count);
  res.write(bytes, () => res.socket?.end());
}

function cors(res: ServerResponse) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', '*');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'content-length, content-range, accept-ranges, etag, x-linked-size',
  );
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

const server = createServer((req, res) => {
  cors(res);
  const url = new URL(req.url ?? '/', 'http://hub.local');
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  if (url.pathname === '/health') return void res.writeHead(200).end('ok');
  if (url.pathname === '/__requests') {
    res.setHeader('Content-Type', 'application/json');
    return void res.writeHead(200).end(JSON.stringify(requests));
  }
  if (url.pathname === '/__reset') {
    requests.length = 0;
    cutOnce.clear();
    return void res.writeHead(204).end();
  }
  const rangeNote = req.headers.range ? ` (${req.headers.range})` : '';
  requests.push(`${req.method} ${url.pathname}${rangeNote}`);
  const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(url.pathname));
  const dir = match
    ? (models.get(match[1]!) ?? (cutFraction(match[1]!) !== null ? FIXTURE_DIR : undefined))
    : undefined;
  if (!match || !dir) return void res.writeHead(404).end('Repository not found');
  const file = normalize(join(dir, match[2]!));
  if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return void res.writeHead(404).end('Entry not found');
  }
  const size = statSync(file).size;
  res.setHeader('Accept-Ranges', 'bytes');
  // One byte range (transformers.js asks `bytes=0-0` to learn a file's size), as the Hub answers.
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && req.method === 'GET') {
    const start = Number(range[1]);
    const end = Math.min(size - 1, range[2] ? Number(range[2]) : size - 1);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    res.setHeader('Content-Length', end - start + 1);
    res.setHeader('ETag', `"${size}-${statSync(file).mtimeMs}"`);
    res.writeHead(206);
    if (match[1] === 'test/drops-connection' && file.endsWith('.onnx') && start > 0) {
      // The rest of a cut download is cut half-way again.
      return sendAndCut(res, file, start, Math.floor((end - start + 1) / 2));
    }
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.setHeader('Content-Length', size);
  res.setHeader(
    'Content-Type',
    file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
  );
  res.setHeader('ETag', `"${size}-${statSync(file).mtimeMs}"`);
  if (req.method === 'HEAD') return void res.writeHead(200).end();
  res.writeHead(200);
  if (match[1] === 'test/slow-download' && file.endsWith('.onnx')) {
    // 256 kB every 16 ms: a bounded, slow but steady download.
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    stream.on('data', () => {
      stream.pause();
      setTimeout(() => stream.resume(), 16);
    });
    stream.pipe(res);
    return;
  }
  const fraction = cutFraction(match[1]!);
  const key = `${match[1]}/${match[2]}`;
  if (fraction !== null && file.endsWith('.onnx') && !cutOnce.has(key)) {
    cutOnce.add(key);
    return sendAndCut(res, file, 0, Math.floor(size * fraction));
  }
  if (match[1] === 'test/drops-connection' && file.endsWith('.onnx')) {
    // Half the bytes, then the connection is cut, as a dropped network would.
    const stream = createReadStream(file, { end: Math.floor(size / 2) });
    stream.on('end', () => res.destroy());
    stream.pipe(res, { end: false });
    return;
  }
  createReadStream(file).pipe(res);
});

server.listen(Number(values.port), values.host, () => {
  console.log(
    `hub stand-in on http://${values.host}:${values.port}/ serving ${[...models.keys()].join(', ')}`,
  );
});
