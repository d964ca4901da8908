#!/usr/bin/env node
/**
 * The kiosk's own web server: serves this folder's app/ on this computer only (127.0.0.1), with the
 * cross-origin isolation headers multi-threaded WASM needs, files uncompressed with their length,
 * and nothing fetched from anywhere. Plain Node (18 or later), no packages.
 *
 *   node serve.mjs [--port 8080]      serve the kiosk at http://localhost:8080/
 *   node serve.mjs --set-pin 4711     change the operator PIN (kept as a SHA-256 in app/kiosk.json)
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'app');
const args = process.argv.slice(2);
const arg = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

const pin = arg('--set-pin');
if (pin !== undefined) {
  if (!/^\d{4,12}$/.test(pin)) {
    console.error('A PIN is 4 to 12 digits.');
    process.exit(1);
  }
  const file = join(ROOT, 'kiosk.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings.pinSha256 = createHash('sha256').update(pin).digest('hex');
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  console.log('Operator PIN changed. Reload the kiosk page to use it.');
  process.exit(0);
}

// Its own small table rather than scripts/static-server.ts's: this file is copied alone into the
// bundle and runs on a kiosk with plain Node, no TypeScript and no packages.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
};
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};
// The app's Content Security Policy (and any other header the bundle chose), from serve-headers.json.
const headersFile = join(dirname(fileURLToPath(import.meta.url)), 'serve-headers.json');
if (existsSync(headersFile)) Object.assign(HEADERS, JSON.parse(readFileSync(headersFile, 'utf8')));

const port = Number(arg('--port') ?? 8080);
const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = normalize(join(ROOT, path));
  if (file !== ROOT && !file.startsWith(ROOT + sep)) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, HEADERS).end('Not found');
    return;
  }
  const isModel = path.includes('/models/');
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size,
    // The app's hashed files never change; pages, kiosk.json and model files are checked each time.
    'Cache-Control':
      path.includes('/assets/') && !isModel ? 'max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Kiosk served at http://localhost:${port}/ (this computer only). Ctrl+C stops it.`);
});
