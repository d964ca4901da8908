/**
 * The UI's only door to the pixels worker: decode a dropped file, then measure it. Calls go
 * through the worker bridge (src/lib/worker-bridge.ts): each takes an AbortSignal that reaches the
 * worker, a call that hangs for a minute after the worker started it fails alone, and a crashed
 * worker is replaced (decodes and measures are safe to run again, so they are retried once).
 */
import {
  BridgeError,
  expectEvent,
  fromWorker,
  WorkerBridge,
  type WorkerPort,
} from '../lib/worker-bridge.ts';
import type { RegionGrid } from '../lib/region-grid.ts';
import type {
  ExifSummary,
  PixelAnalysis,
  PixelsEvent,
  PixelReader,
  PixelsRequest,
  RegionMeasures,
} from './protocol.ts';

export type {
  ExifSummary,
  Histogram,
  Measure,
  OverlayMap,
  PixelAnalysis,
  RegionMeasures,
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
  /** How the working copy was made (see PixelReader). */
  reader: PixelReader;
}

/** A file that could not be opened as a photo; `message` is a sentence for the person. */
export class PhotoDecodeError extends Error {
  override name = 'PhotoDecodeError';
}

/** Measuring a decoded photo failed; `message` is a sentence for the person. */
export class PixelAnalysisError extends Error {
  override name = 'PixelAnalysisError';
}

/** What the rest of the app asks of pixel work (the store is given one; tests give a fake). */
export interface PixelsService {
  /** Decodes a file in the worker (never on the main thread). */
  decode(file: Blob, signal?: AbortSignal): Promise<DecodedPhoto>;
  /** Measures and maps for a decoded photo. */
  analyse(photo: DecodedPhoto, signal?: AbortSignal): Promise<PixelAnalysis>;
  /** Lets the worker drop the pixels it kept for a photo. */
  forget(photo: DecodedPhoto): void;
  /** Starts the worker and compiles its measures, so the first drop meets warm code. */
  warmUp(): void;
  /** Sharpness, noise and clipping of each region of `grid` (the quality map's legend). */
  measureRegions(
    photo: DecodedPhoto,
    grid: RegionGrid,
    signal?: AbortSignal,
  ): Promise<RegionMeasures[]>;
}

/** A call that runs this long after the worker started it counts as a hang. */
const DECODE_HANG_MS = 60_000;
const ANALYSE_HANG_MS = 60_000;

const startPixelsWorker = fromWorker(
  () =>
    new Worker(new URL('./worker/pixels.worker.ts', import.meta.url), {
      type: 'module',
      name: 'pixels',
    }),
);

export interface PixelsClientOptions {
  /** Starts a worker (tests pass a fake one). */
  createWorker?: () => WorkerPort;
  /** Copies a bitmap that may be transferred (createImageBitmap in the browser). */
  copyBitmap?: (bitmap: ImageBitmap) => Promise<ImageBitmap>;
  decodeHangMs?: number;
  analyseHangMs?: number;
}

export class PixelsClient implements PixelsService {
  private readonly bridge: WorkerBridge<PixelsRequest, PixelsEvent>;
  /** Which worker-kept pixels belong to which bitmap we handed out (and which worker kept them). */
  private readonly keptPixels = new WeakMap<ImageBitmap, { key: number; worker: number }>();
  private readonly copyBitmap: (bitmap: ImageBitmap) => Promise<ImageBitmap>;
  private readonly decodeHangMs: number;
  private readonly analyseHangMs: number;

  constructor(options: PixelsClientOptions = {}) {
    this.copyBitmap = options.copyBitmap ?? ((b) => createImageBitmap(b));
    this.decodeHangMs = options.decodeHangMs ?? DECODE_HANG_MS;
    this.analyseHangMs = options.analyseHangMs ?? ANALYSE_HANG_MS;
    this.bridge = new WorkerBridge<PixelsRequest, PixelsEvent>({
      create: options.createWorker ?? startPixelsWorker,
      cancel: (id) => ({ type: 'cancel', id }),
      failure: (event) =>
        event.type === 'failed'
          ? event.kind === 'photo'
            ? new PhotoDecodeError(event.message)
            : new PhotoDecodeError(`This photo could not be read (${event.message}).`)
          : null,
      // A decode the caller gave up on still arrives: free its bitmap.
      onEvent: (event) => {
        if (event.type === 'decoded') event.bitmap.close();
      },
      crashMessage: (detail) =>
        `The photo reader stopped (${detail}); the file may be too large or damaged. Other photos are not affected.`,
    });
  }

  /** Workers started so far minus one (0 until the first crash). */
  get restarts(): number {
    return Math.max(0, this.bridge.restarts);
  }

  async decode(file: Blob, signal?: AbortSignal): Promise<DecodedPhoto> {
    const event = expectEvent(
      await this.bridge.call({
        prepare: (id) => ({ message: { type: 'decode', id, file } }),
        signal,
        hangMs: this.decodeHangMs,
        hangMessage:
          'Reading this photo took too long and was stopped. The file may be damaged or far too large.',
        retry: true,
      }),
      'decoded',
    );
    const { pixelsKey, ...info } = event.info;
    this.keptPixels.set(event.bitmap, { key: pixelsKey, worker: this.bridge.restarts });
    return { ...info, bitmap: event.bitmap };
  }

  async analyse(photo: DecodedPhoto, signal?: AbortSignal): Promise<PixelAnalysis> {
    const about = {
      sourceWidth: photo.sourceWidth,
      sourceHeight: photo.sourceHeight,
      format: photo.format,
    };
    const hang = {
      signal,
      hangMs: this.analyseHangMs,
      hangMessage: 'Measuring this photo took too long and was stopped.',
      retry: true,
    };
    try {
      const kept = this.keptPixels.get(photo.bitmap);
      let event: PixelsEvent | null = null;
      if (kept && kept.worker === this.bridge.restarts && this.bridge.running) {
        event = await this.bridge.call({
          ...hang,
          // Re-sent to a fresh worker, the key would name another photo's pixels: send 0, and
          // the worker answers that it needs them.
          prepare: (id) => {
            const valid = this.bridge.running && kept.worker === this.bridge.restarts;
            return { message: { type: 'analyse', id, pixelsKey: valid ? kept.key : 0, ...about } };
          },
        });
      }
      if (!event || event.type === 'analysis-needs-pixels') {
        // The worker no longer holds this photo's pixels: send it a copy (moved, not cloned).
        event = await this.bridge.call({
          ...hang,
          prepare: async (id) => {
            const copy = await this.copyBitmap(photo.bitmap);
            return {
              message: { type: 'analyse', id, pixelsKey: 0, bitmap: copy, ...about },
              transfer: [copy],
            };
          },
          discard: ({ message }) =>
            message.type === 'analyse' ? message.bitmap?.close() : undefined,
        });
      }
      return expectEvent(event, 'analysed').analysis;
    } catch (error) {
      if (error instanceof BridgeError && error.kind === 'cancelled') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PixelAnalysisError(`This photo could not be measured (${reason}).`);
    }
  }

  async measureRegions(
    photo: DecodedPhoto,
    grid: RegionGrid,
    signal?: AbortSignal,
  ): Promise<RegionMeasures[]> {
    const hang = {
      signal,
      hangMs: this.analyseHangMs,
      hangMessage: 'Measuring the regions of this photo took too long and was stopped.',
      retry: true,
    };
    try {
      const kept = this.keptPixels.get(photo.bitmap);
      let event: PixelsEvent | null = null;
      if (kept && kept.worker === this.bridge.restarts && this.bridge.running) {
        event = await this.bridge.call({
          ...hang,
          prepare: (id) => {
            const valid = this.bridge.running && kept.worker === this.bridge.restarts;
            return {
              message: { type: 'measure-regions', id, pixelsKey: valid ? kept.key : 0, grid },
            };
          },
        });
      }
      if (!event || event.type === 'analysis-needs-pixels') {
        event = await this.bridge.call({
          ...hang,
          prepare: async (id) => {
            const copy = await this.copyBitmap(photo.bitmap);
            return {
              message: { type: 'measure-regions', id, pixelsKey: 0, bitmap: copy, grid },
              transfer: [copy],
            };
          },
          discard: ({ message }) =>
            message.type === 'measure-regions' ? message.bitmap?.close() : undefined,
        });
      }
      return expectEvent(event, 'regions-measured').regions;
    } catch (error) {
      if (error instanceof BridgeError && error.kind === 'cancelled') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PixelAnalysisError(`The regions of this photo could not be measured (${reason}).`);
    }
  }

  forget(photo: DecodedPhoto): void {
    const kept = this.keptPixels.get(photo.bitmap);
    if (kept && kept.worker === this.bridge.restarts) {
      this.bridge.notify({ type: 'forget', pixelsKey: kept.key });
    }
    this.keptPixels.delete(photo.bitmap);
  }

  warmUp(): void {
    if (!this.bridge.running) this.bridge.notify({ type: 'warm-up' }, { start: true });
  }
}
