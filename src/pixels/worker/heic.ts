/**
 * HEIC/HEIF decoding with libheif compiled to WebAssembly. This module is imported only when a
 * HEIC file arrives, so nobody else downloads the 1.4 MB decoder; the .wasm is served by the app
 * itself (Vite emits it as an asset), never from a CDN.
 */
import wasmUrl from 'libheif-js/libheif-wasm/libheif.wasm?url';
import { PhotoRefusal } from './sniff.ts';

interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(target: ImageData, done: (result: ImageData | null) => void): void;
  free(): void;
}
interface Libheif {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] };
}
type LibheifFactory = (options: {
  wasmBinary: ArrayBuffer;
  onRuntimeInitialized: () => void;
}) => Libheif;

let libheif: Promise<Libheif> | null = null;

async function loadLibheif(): Promise<Libheif> {
  const [module, wasm] = await Promise.all([
    import('libheif-js/libheif-wasm/libheif.js'),
    fetch(wasmUrl).then((r) => {
      if (!r.ok) throw new Error(`HEIC decoder missing (${r.status})`);
      return r.arrayBuffer();
    }),
  ]);
  const factory = ((module as { default?: unknown }).default ?? module) as LibheifFactory;
  let ready: () => void = () => {};
  const initialised = new Promise<void>((resolve) => (ready = resolve));
  const lib = factory({ wasmBinary: wasm, onRuntimeInitialized: () => ready() });
  await initialised;
  return lib;
}

/** Decodes the primary (first) image of a HEIC file to RGBA, with its rotation applied. */
export async function decodeHeic(
  bytes: Uint8Array,
  checkSize: (format: 'heic', width: number, height: number) => void,
): Promise<ImageData> {
  libheif ??= loadLibheif().catch((error: unknown) => {
    libheif = null;
    throw error;
  });
  let lib: Libheif;
  try {
    lib = await libheif;
  } catch {
    throw new PhotoRefusal(
      'The HEIC decoder could not be loaded, so this HEIC photo cannot be opened.',
    );
  }
  const images = new lib.HeifDecoder().decode(bytes);
  const image = images.find((i) => i.is_primary()) ?? images[0];
  if (!image) throw new PhotoRefusal('This HEIC file is damaged or holds no picture.');
  try {
    const width = image.get_width();
    const height = image.get_height();
    checkSize('heic', width, height);
    const target = new ImageData(width, height);
    const result = await new Promise<ImageData | null>((resolve) => image.display(target, resolve));
    if (!result) throw new PhotoRefusal('This HEIC file is damaged and cannot be decoded.');
    return result;
  } finally {
    for (const i of images) i.free();
  }
}
