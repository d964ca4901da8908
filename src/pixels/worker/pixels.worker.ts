/// <reference lib="webworker" />
/**
 * The pixels worker: decodes dropped files and measures them, so the page never stalls.
 * It keeps the working pixels of the last few photos, so `analyse` needs no second copy.
 */
import type { PixelsEvent, PixelsRequest } from '../protocol.ts';
import { decodeFile, pixelsOf, type DecodedPixels } from './decode.ts';
import { analysePixels, analysisTransferables } from './measures/analyse.ts';
import type { Rgba } from './measures/image.ts';
import { regionMeasuresOf } from './measures/regions.ts';
import { PhotoRefusal } from './sniff.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Working pixels kept per photo; a handful is enough for a person going back and forth. */
const KEEP = 6;
const kept = new Map<number, { working: Rgba; nativeCrops: Rgba[] }>();
let nextKey = 1;
const cancelled = new Set<number>();

function keep(pixels: DecodedPixels): number {
  const key = nextKey++;
  kept.set(key, { working: pixels.working, nativeCrops: pixels.nativeCrops });
  while (kept.size > KEEP) kept.delete(kept.keys().next().value!);
  return key;
}

/** A 640 × 480 picture with edges, gradients and noise: enough loop turns for the JIT to optimise. */
function warmUp(): void {
  const width = 640;
  const height = 480;
  const data = new Uint8ClampedArray(width * height * 4);
  let seed = 1;
  for (let i = 0; i < data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / 4) % width;
    const base = (x >> 5) % 2 === 0 ? 60 : 190;
    data[i] = base + (seed & 15);
    data[i + 1] = (x * 255) / width;
    data[i + 2] = 255 - base;
    data[i + 3] = 255;
  }
  const image = { data, width, height };
  analysePixels({
    image,
    sourceWidth: width * 4,
    sourceHeight: height * 4,
    format: 'jpeg',
    nativeCrops: [image],
  });
}

const post = (event: PixelsEvent, transfer: Transferable[] = []) =>
  self.postMessage(event, transfer);

function fail(id: number, error: unknown): void {
  if (error instanceof PhotoRefusal) {
    post({ type: 'failed', id, kind: 'photo', message: error.message });
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  post({ type: 'failed', id, kind: 'internal', message: detail });
}

async function handle(request: PixelsRequest): Promise<void> {
  switch (request.type) {
    case 'cancel':
      cancelled.add(request.id);
      return;
    case 'forget':
      kept.delete(request.pixelsKey);
      return;
    case 'warm-up':
      warmUp();
      return;
    case 'decode': {
      const pixels = await decodeFile(request.file);
      if (cancelled.delete(request.id)) {
        pixels.bitmap.close();
        return;
      }
      const { bitmap, sourceWidth, sourceHeight, format, exif, notes, reader } = pixels;
      const info = {
        width: bitmap.width,
        height: bitmap.height,
        sourceWidth,
        sourceHeight,
        format,
        exif,
        notes,
        reader,
        pixelsKey: keep(pixels),
      };
      post({ type: 'decoded', id: request.id, info, bitmap }, [bitmap]);
      return;
    }
    case 'analyse': {
      const started = performance.now();
      let pixels = kept.get(request.pixelsKey);
      if (!pixels && request.bitmap) {
        pixels = { working: pixelsOf(request.bitmap), nativeCrops: [] };
        request.bitmap.close();
      }
      if (!pixels) {
        post({ type: 'analysis-needs-pixels', id: request.id });
        return;
      }
      if (cancelled.delete(request.id)) return;
      const analysis = analysePixels({
        image: pixels.working,
        nativeCrops: pixels.nativeCrops,
        sourceWidth: request.sourceWidth,
        sourceHeight: request.sourceHeight,
        format: request.format,
      });
      if (cancelled.delete(request.id)) return;
      post(
        {
          type: 'analysed',
          id: request.id,
          analysis: { ...analysis, elapsedMs: performance.now() - started },
        },
        analysisTransferables(analysis),
      );
      return;
    }
    case 'measure-regions': {
      let pixels = kept.get(request.pixelsKey);
      if (!pixels && request.bitmap) {
        pixels = { working: pixelsOf(request.bitmap), nativeCrops: [] };
        request.bitmap.close();
      }
      if (!pixels) {
        post({ type: 'analysis-needs-pixels', id: request.id });
        return;
      }
      if (cancelled.delete(request.id)) return;
      const regions = regionMeasuresOf(pixels.working, request.grid);
      if (cancelled.delete(request.id)) return;
      post({ type: 'regions-measured', id: request.id, regions });
      return;
    }
  }
}

/**
 * Decodes and measures run one at a time, in order: a decode holds a full-size picture, so running
 * a whole shoot's decodes at once would take the memory of all of them. Cancel and forget act at once.
 */
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<PixelsRequest>) => {
  const request = event.data;
  if (
    request.type !== 'decode' &&
    request.type !== 'analyse' &&
    request.type !== 'measure-regions'
  ) {
    void handle(request);
    return;
  }
  queue = queue.then(async () => {
    if (cancelled.delete(request.id)) {
      if (request.type !== 'decode') request.bitmap?.close();
      return;
    }
    post({ type: 'started', id: request.id });
    try {
      await handle(request);
    } catch (error) {
      cancelled.delete(request.id);
      fail(request.id, error);
    }
  });
};
