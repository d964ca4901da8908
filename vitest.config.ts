import { defineConfig } from 'vitest/config';
import { webAssemblyText } from './scripts/vite/wasm-text.ts';

export default defineConfig({
  // The pixels worker's WebAssembly kernels are imported as text and assembled, as in the app.
  plugins: [webAssemblyText()],
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
