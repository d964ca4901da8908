import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Cross-origin isolation lets onnxruntime-web run multi-threaded WASM (SharedArrayBuffer).
 * The same headers must be set by whatever hosts dist/ (see docs/HOSTING.md and public/_headers).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The onnxruntime-web runtime files transformers.js loads (its WebGPU build uses the asyncify variant). */
export const ORT_FILES = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
];

const ortDist = join(
  dirname(createRequire(import.meta.url).resolve('onnxruntime-web/package.json')),
  'dist',
);

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

export default defineConfig({
  // Relative base so the same build works from any sub-path of a static host.
  base: './',
  plugins: [react(), serveOrtRuntime()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
