/** WebAssembly text, assembled at build time (scripts/vite/wasm-text.ts): the binary's bytes. */
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
