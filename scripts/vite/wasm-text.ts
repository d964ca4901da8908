/**
 * Vite plugin: a WebAssembly text file imported from the app (`import bytes from './x.wat'`) is
 * assembled with wabt (the WebAssembly Binary Toolkit, compiled to JavaScript) and becomes a module
 * whose default export is the binary's bytes, inlined. The project's kernels are a few hundred
 * bytes, so inlining costs nothing and needs no extra request or cache entry, and the readable
 * text is the only thing kept in git. Used by the dev server, the build and Vitest alike.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import wabtModule from 'wabt';

export function webAssemblyText(): Plugin {
  let wabt: Awaited<ReturnType<typeof wabtModule>> | undefined;
  return {
    name: 'wasm-text',
    async load(id) {
      const path = id.split('?')[0]!;
      if (!path.endsWith('.wat')) return null;
      wabt ??= await wabtModule();
      const module = wabt.parseWat(path, await readFile(path, 'utf8'), { simd: true });
      try {
        module.validate();
        const { buffer } = module.toBinary({});
        const base64 = Buffer.from(buffer).toString('base64');
        return {
          code: `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`,
          map: null,
        };
      } finally {
        module.destroy();
      }
    },
  };
}
