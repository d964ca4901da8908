import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { contentSecurityPolicy, extraConnectSources } from './src/offline/worker/content-policy.ts';
import { webAssemblyText } from './scripts/vite/wasm-text.ts';
import { ISOLATION_HEADERS } from './src/offline/worker/isolation-headers.ts';

/**
 * Cross-origin isolation lets onnxruntime-web run multi-threaded WASM (SharedArrayBuffer).
 * The same headers must be set by whatever hosts dist/ (see docs/HOSTING.md, public/_headers,
 * vercel.json), or are added by the service worker where the host cannot send them.
 */
const isolationHeaders = { ...ISOLATION_HEADERS };

/**
 * The Content Security Policy (src/offline/worker/content-policy.ts), with the model hosts this
 * build may download from besides the Hub: VITE_HUB_HOST's origin and CSP_CONNECT_SRC.
 */
const connect = extraConnectSources(process.env);
const contentPolicy = contentSecurityPolicy({ connect });
/** Vite's dev server needs inline scripts and styles (its module preamble, hot-reloaded CSS). */
const devContentPolicy = contentSecurityPolicy({ connect, dev: true });

/** The onnxruntime-web runtime files transformers.js loads (its WebGPU build uses the asyncify variant). */
export const ORT_FILES = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
];

// The package's main entry lives in its dist/ folder, beside the WASM files.
const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));

/**
 * Serves onnxruntime-web's WASM runtime from the app itself under /ort/, in dev and in the build,
 * so nothing is fetched from a CDN (offline kiosk, privacy).
 */
function serveOrtRuntime(): Plugin {
  return {
    name: 'serve-ort-runtime',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.replace(/^.*\/ort\//, '');
        if (!req.url?.includes('/ort/') || !name || !ORT_FILES.includes(name)) return next();
        res.setHeader(
          'Content-Type',
          name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
        );
        for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
        createReadStream(join(ortDist, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of ORT_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `ort/${name}`,
          source: readFileSync(join(ortDist, name)),
        });
      }
    },
  };
}

/** Content types for the files of a model folder. */
const MODEL_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
};

/**
 * Serves model folders under /models/ as plain files with a Content-Length and no on-the-fly
 * compression: Vite's own static handler gzips unknown types chunk by chunk, which makes a
 * hundreds-of-megabytes download slow, hides its size from the progress bar, and was seen to end
 * in "network error" in Chromium. Reads public/models in dev and dist/models in preview.
 */
function serveModelFolders(): Plugin {
  const handler =
    (root: string): Connect.NextHandleFunction =>
    (req, res, next) => {
      const path = decodeURIComponent(req.url?.split('?')[0] ?? '');
      const at = path.indexOf('/models/');
      if (at < 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      const file = normalize(join(root, path.slice(at + '/models/'.length)));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.statusCode = 404;
        return res.end('Not found');
      }
      const ext = file.slice(file.lastIndexOf('.'));
      res.setHeader('Content-Type', MODEL_TYPES[ext] ?? 'application/octet-stream');
      res.setHeader('Content-Length', statSync(file).size);
      res.setHeader('Cache-Control', 'no-cache');
      for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    };
  return {
    name: 'serve-model-folders',
    configureServer(server) {
      server.middlewares.use(handler(resolve(server.config.publicDir, 'models')));
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler(resolve(server.config.build.outDir, 'models')));
    },
  };
}

/**
 * Writes the policy into the built index.html as a <meta> tag, the only way on hosts that send no
 * headers (GitHub Pages) until the service worker serves the page with the header.
 */
function contentPolicyMeta(): Plugin {
  return {
    name: 'content-policy-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: contentSecurityPolicy({ connect, meta: true }),
        },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Builds the offline service worker (src/offline/worker/service-worker.ts) as /sw.js and gives it
 * the list of every built file to keep, with a version that changes when any of them does, and
 * the policy to add where the host sends none.
 */
function offlineServiceWorker(): Plugin {
  let publicFiles: string[] = [];
  return {
    name: 'offline-service-worker',
    apply: 'build',
    configResolved(config) {
      // Small files copied from public/ (the icon); model folders are cached by transformers.js.
      const dir = config.publicDir;
      publicFiles = existsSync(dir)
        ? readdirSync(dir).filter(
            (name) => statSync(join(dir, name)).isFile() && name !== '_headers',
          )
        : [];
    },
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') return;
      // A service worker script cannot import: a module shared with the page would become a
      // chunk it imports, and the worker would fail to start (no offline, no isolation).
      if (sw.imports.length > 0 || sw.dynamicImports.length > 0) {
        this.error(
          `sw.js imports ${[...sw.imports, ...sw.dynamicImports].join(', ')}: a module the page also imports (${sw.moduleIds.filter((id) => !id.includes('service-worker')).join(', ')}). Keep the service worker's modules apart from the page's.`,
        );
      }
      const files = [...Object.keys(bundle), ...publicFiles]
        // onnxruntime-web's own reference to its WASM makes Vite emit an unused copy under
        // assets/; the app loads the one under ort/ (wasmPaths), so only that one is kept.
        .filter((name) => name !== 'sw.js' && !name.endsWith('.map'))
        .filter((name) => !/^assets\/ort-wasm.*\.wasm$/.test(name))
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      sw.code = sw.code
        .replace(
          '__PRECACHE_MANIFEST__',
          JSON.stringify({ version, files: files.map((f) => `./${f}`) }),
        )
        .replace('__CONTENT_POLICY__', JSON.stringify(contentPolicy));
    },
  };
}

export default defineConfig({
  // Relative base so the same build works from any sub-path of a static host.
  base: './',
  plugins: [
    react(),
    webAssemblyText(),
    serveOrtRuntime(),
    serveModelFolders(),
    contentPolicyMeta(),
    offlineServiceWorker(),
  ],
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': devContentPolicy } },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentPolicy } },
  // Workers are bundled on their own: they need the WebAssembly text plugin too.
  worker: { format: 'es', plugins: () => [webAssemblyText()] },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: 'index.html', sw: 'src/offline/worker/service-worker.ts' },
      output: {
        // The service worker needs a stable URL; everything else is content-hashed.
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
