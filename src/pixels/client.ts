/**
 * The UI's only door to the pixels worker: decode a dropped file, then measure it. Every call
 * takes an AbortSignal; a worker that crashes or hangs is terminated and a fresh one is started on
 * the next call, and the calls it was serving reject with a clear message.
 */
import type { ExifSummary, PixelAnalysis, PixelsEvent, PixelsRequest } from './protocol.ts';

export type {
  ExifSummary,
  Histogram,
  Measure,
  OverlayMap,
  PixelAnalysis,
  Verdict,
} from './protocol.ts';

/** A photo decoded by the pixels worker, upright and at a working size the UI can show. */
export interface DecodedPhoto {
  /** Upright (after EXIF orientation) size of `bitmap`. */
  width: number;
  height: number;
  /** Upright size of the original file. */
  sourceWidth: number;
  sourceHeight: number;
  /** 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'heic' | 'bmp'. */
  format: string;
  /** Upright, long side ≤ 2048 px (downsampled with a high-quality filter). */
  bitmap: ImageBitmap;
  exif: ExifSummary | null;
  /** User-facing notes, e.g. "Animated GIF: the first frame is shown and analysed." */
  notes: string[];
}

/** A file that could not be opened as a photo; `message` is a sentence for the person. */
export class PhotoDecodeError extends Error {
  override name = 'PhotoDecodeError';
}

/** Measuring a decoded photo failed; `message` is a sentence for the person. */
export class PixelAnalysisError extends Error {
  override name = 'PixelAnalysisError';
}

/** A decode that takes longer than this is treated as a hang: the worker is replaced. */
const DECODE_TIMEOUT_MS = 60_000;
const ANALYSE_TIMEOUT_MS = 60_000;

interface Pending {
  resolve: (event: PixelsEvent) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
/** Bumped each time a worker starts; pixels kept by an older worker are gone. */
let generation = 0;
let nextId = 1;
const pending = new Map<number, Pending>();
/** Which worker-kept pixels belong to which bitmap we handed out. */
const keptPixels = new WeakMap<ImageBitmap, { key: number; generation: number }>();

function replaceWorker(message: string): void {
  worker?.terminate();
  worker = null;
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new PhotoDecodeError(message));
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker/pixels.worker.ts', import.meta.url), {
    type: 'module',
    name: 'pixels',
  });
  generation += 1;
  w.onmessage = (message: MessageEvent<PixelsEvent>) => {
    const event = message.data;
    const waiting = pending.get(event.id);
    if (!waiting) {
      // The caller gave up (aborted); free what the worker sent anyway.
      if (event.type === 'decoded') event.bitmap.close();
      return;
    }
    pending.delete(event.id);
    waiting.resolve(event);
  };
  w.onerror = (error: ErrorEvent) => {
    error.preventDefault();
    replaceWorker(
      'The photo reader stopped unexpectedly (the file may be too large or damaged). Other photos are not affected; try again.',
    );
  };
  w.onmessageerror = () =>
    replaceWorker('The photo reader sent a message the page could not read.');
  worker = w;
  return w;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Sends one request and waits for its answer, honouring the signal and a hang timeout. */
function call(
  build: (id: number) => PixelsRequest,
  transfer: Transferable[],
  timeoutMs: number,
  timeoutMessage: string,
  signal?: AbortSignal,
): Promise<PixelsEvent> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const w = ensureWorker();
  const id = nextId++;
  return new Promise<PixelsEvent>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      if (!pending.delete(id)) return;
      cleanup();
      worker?.postMessage({ type: 'cancel', id } satisfies PixelsRequest);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      if (!pending.has(id)) return;
      pending.delete(id);
      cleanup();
      reject(new PhotoDecodeError(timeoutMessage));
      replaceWorker('The photo reader was restarted because another photo got stuck; try again.');
    }, timeoutMs);
    pending.set(id, {
      resolve: (event) => {
        cleanup();
        resolve(event);
      },
      reject: (error) => {
        cleanup();
        reject(error);
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    w.postMessage(build(id), transfer);
  });
}

/** Decode a dropped file in the pixels worker (never on the main thread). */
export async function decodePhoto(file: Blob, signal?: AbortSignal): Promise<DecodedPhoto> {
  const event = await call(
    (id) => ({ type: 'decode', id, file }),
    [],
    DECODE_TIMEOUT_MS,
    'Reading this photo took too long and was stopped. The file may be damaged or far too large.',
    signal,
  );
  if (event.type === 'failed') {
    throw new PhotoDecodeError(
      event.kind === 'photo' ? event.message : `This photo could not be read (${event.message}).`,
    );
  }
  if (event.type !== 'decoded')
    throw new PhotoDecodeError('The photo reader answered out of turn.');
  const { pixelsKey, ...info } = event.info;
  keptPixels.set(event.bitmap, { key: pixelsKey, generation });
  return { ...info, bitmap: event.bitmap };
}

/** Measures and maps for a decoded photo, in the worker. */
export async function analysePhoto(
  photo: DecodedPhoto,
  signal?: AbortSignal,
): Promise<PixelAnalysis> {
  const about = {
    sourceWidth: photo.sourceWidth,
    sourceHeight: photo.sourceHeight,
    format: photo.format,
  };
  const slow = 'Measuring this photo took too long and was stopped.';
  const kept = keptPixels.get(photo.bitmap);
  let event: PixelsEvent | null = null;
  if (kept && kept.generation === generation && worker) {
    event = await call(
      (id) => ({ type: 'analyse', id, pixelsKey: kept.key, ...about }),
      [],
      ANALYSE_TIMEOUT_MS,
      slow,
      signal,
    );
  }
  if (!event || event.type === 'analysis-needs-pixels') {
    // The worker no longer holds this photo's pixels: send it a copy of the bitmap (moved, not cloned).
    const copy = await createImageBitmap(photo.bitmap);
    event = await call(
      (id) => ({ type: 'analyse', id, pixelsKey: 0, bitmap: copy, ...about }),
      [copy],
      ANALYSE_TIMEOUT_MS,
      slow,
      signal,
    );
  }
  if (event.type === 'failed') {
    throw new PixelAnalysisError(`This photo could not be measured (${event.message}).`);
  }
  if (event.type !== 'analysed')
    throw new PixelAnalysisError('The photo reader answered out of turn.');
  return event.analysis;
}

/**
 * Starts the pixels worker and lets it compile its measures on a made-up picture, so the first
 * photo a person drops is read and measured at full speed. Safe to call more than once.
 */
export function warmUpPixels(): void {
  if (typeof Worker === 'undefined' || worker) return;
  ensureWorker().postMessage({ type: 'warm-up' } satisfies PixelsRequest);
}

/** Lets the worker drop the pixels it kept for a photo the person removed. */
export function forgetPhoto(photo: DecodedPhoto): void {
  const kept = keptPixels.get(photo.bitmap);
  if (kept && kept.generation === generation && worker) {
    worker.postMessage({ type: 'forget', pixelsKey: kept.key } satisfies PixelsRequest);
  }
  keptPixels.delete(photo.bitmap);
}
