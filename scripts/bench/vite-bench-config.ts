/**
 * The Vite config of the benchmark build: the app's own config (same plugins, workers, onnxruntime
 * files under ort/, model folders served uncompressed with COOP/COEP) with the benchmark page
 * (src/bench/index.html) as the only entry, into a folder of its own.
 */
import type { InlineConfig, UserConfig } from 'vite';
import appConfig from '../../vite.config.ts';

/** The benchmark page's path inside the build. */
export const BENCH_PAGE = 'src/bench/index.html';

/** Build and preview config for the benchmark page, written to `outDir`. */
export function benchViteConfig(outDir: string, port: number): InlineConfig {
  const app = appConfig as UserConfig;
  return {
    ...app,
    configFile: false,
    logLevel: 'error',
    // public/ holds the test fixture under models/: the benchmark links its own model folders.
    publicDir: false,
    build: {
      ...app.build,
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { bench: BENCH_PAGE } },
    },
    preview: { ...app.preview, port, strictPort: true, host: 'localhost' },
  };
}
