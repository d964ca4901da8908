/**
 * The UI's only way to the model worker, over the worker bridge (src/lib/worker-bridge.ts). Every
 * call returns a promise, takes an AbortSignal that reaches the worker, and fails with a
 * ModelCallError the UI can explain. Events without a call (download progress, stages) go to
 * `onEvent`; a crashed or hung worker is replaced and `onCrash` says so.
 */
import type { ImageMode } from './image-mode.ts';
import type { LocatedRegion } from './grounding.ts';
import {
  BridgeError,
  expectEvent,
  fromWorker,
  WorkerBridge,
  type WorkerPort,
} from '../lib/worker-bridge.ts';
import { DEFAULT_HANG_SECONDS } from './hang-limit.ts';
import type { Capabilities } from './precision.ts';
import type {
  AttributesResult,
  CompareRequest,
  CompareResult,
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  LoadSettings,
  ModelError,
  ModelEvent,
  ModelFileInfo,
  ModelRequest,
  PromptCacheStatus,
  ScoreResult,
} from './protocol.ts';
import type { ScoringRecipe } from './recipes.ts';
import type { QualityMapResult } from './quality-map.ts';
import type { RegionGrid } from '../lib/region-grid.ts';

/** A model call that failed, with the worker's explanation. */
export class ModelCallError extends Error {
  readonly detail: ModelError;
  constructor(detail: ModelError) {
    super(detail.message);
    this.detail = detail;
  }
}

/** What a generation reports while it runs. */
export type GenerationProgress = Extract<
  ModelEvent,
  { type: 'generation-started' | 'generation-delta' }
>;

/**
 * Where the pixels for a photo come from when the worker needs them: a copy of the working bitmap
 * it may transfer, and (optionally) the photo's own file, which the reference image mode decodes
 * again at full size.
 */
export interface ImageSource {
  (): Promise<ImageBitmap>;
  readonly original?: Blob;
}

/** What the rest of the app asks of the model (the store is given one; tests give a fake). */
export interface ModelService {
  /** What the device offers (WebGPU, shader-f16, threads). */
  probe(): Promise<Capabilities>;
  /** Sizes and cache state of the files a load would read. */
  inspect(settings: LoadSettings): Promise<ModelFileInfo[]>;
  /** Downloads and loads; aborting stops the download (the worker is replaced). */
  load(settings: LoadSettings, signal?: AbortSignal): Promise<LoadedModel>;
  /** Scores a photo, shown to the model in `imageMode` (fast when absent). */
  score(
    photoId: string,
    image: ImageSource,
    recipe: ScoringRecipe,
    signal?: AbortSignal,
    imageMode?: ImageMode,
  ): Promise<ScoreResult>;
  /**
   * Generates text about a photo (a description or an answer), reporting the prompt and each
   * step's text. The image is read only if the worker no longer holds the photo's features.
   */
  generate(
    request: GenerationRequest,
    image: ImageSource,
    onProgress: (event: GenerationProgress) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult>;
  /**
   * Rates the attribute panel for a scored photo, reporting each attribute and check as it comes.
   * The image is read only if the worker no longer holds the photo's features.
   */
  rateAttributes(
    photoId: string,
    image: ImageSource,
    recipe: ScoringRecipe,
    onProgress: (event: AttributeProgress) => void,
    signal?: AbortSignal,
  ): Promise<AttributesResult>;
  /**
   * Compares two photos in one prompt, both orders, reporting each aspect and the reason as they
   * come. The images are read only if the worker no longer holds both photos' features.
   */
  compare(
    request: CompareRequest,
    images: [ImageSource, ImageSource],
    onProgress: (event: CompareProgress) => void,
    signal?: AbortSignal,
  ): Promise<CompareResult>;
  /** What the worker keeps of each photo's prompts (debug view). */
  promptCacheStatus(): Promise<PromptCacheStatus>;
  /**
   * Asks where a region of a photo is (`question`, one user turn) and has the model write its box
   * under the coordinate grammar. The image is read only if the worker no longer holds the photo.
   */
  locate(
    photoId: string,
    question: string,
    image: ImageSource,
    signal?: AbortSignal,
  ): Promise<LocatedRegion>;
  /** Frees what the worker holds for a photo. */
  forget(photoId: string): void;
  /** How long a started call may stay silent before its worker is taken for hung and replaced. */
  setHangLimit(ms: number): void;
  /** Scores each region of a photo on `grid` as a photo of its own, reporting each region. */
  qualityMap(
    photoId: string,
    image: ImageSource,
    grid: RegionGrid,
    recipe: ScoringRecipe,
    onRegion: (event: RegionProgress) => void,
    signal?: AbortSignal,
    imageMode?: ImageMode,
  ): Promise<QualityMapResult>;
}

/** One region of a quality map scored while the map runs. */
export type RegionProgress = Extract<ModelEvent, { type: 'region-scored' }>;

/** One attribute rated or check answered while an attribute pass runs. */
export type AttributeProgress = Extract<ModelEvent, { type: 'attribute-rated' }>;

/** One aspect judged, or the reason grown, while a comparison runs. */
export type CompareProgress = Extract<ModelEvent, { type: 'compare-judged' | 'compare-reason' }>;

/** Events that report a call's progress without ending it. */
const PROGRESS_EVENTS: ReadonlySet<ModelEvent['type']> = new Set([
  'generation-started',
  'generation-delta',
  'attribute-rated',
  'compare-judged',
  'compare-reason',
  'region-scored',
]);

/** A score or a token step this long after the worker started it (or after its last step) is a hang. */
const HANG_MS = DEFAULT_HANG_SECONDS * 1000;

const startModelWorker = () =>
  new Worker(new URL('./worker/index.ts', import.meta.url), { type: 'module', name: 'model' });

const cancelledDetail: ModelError = { kind: 'cancelled', message: 'Cancelled.', advice: '' };

/** The explanation for any way a call can fail. */
function explain(error: unknown): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (error instanceof BridgeError) {
    if (error.kind === 'cancelled')
      return new ModelCallError({ ...cancelledDetail, message: error.message });
    return new ModelCallError({
      kind: error.kind === 'protocol' ? 'unknown' : 'crashed',
      message: error.message,
      advice:
        'Try again. If it happens again, choose a smaller precision or WASM in Model settings.',
    });
  }
  return new ModelCallError({
    kind: 'unknown',
    message: error instanceof Error ? error.message : String(error),
    advice: '',
  });
}

export interface ModelClientOptions {
  /** Told when the worker died (its model is gone) with why. */
  onCrash?: (error: ModelError) => void;
  /** Starts a worker; the benchmark page wraps the same worker with run timing, tests pass fakes. */
  createWorker?: () => WorkerPort;
  hangMs?: number;
}

export class ModelClient implements ModelService {
  private readonly bridge: WorkerBridge<ModelRequest, ModelEvent>;
  private hangMs: number;
  /** Set when the worker reported its GPU device lost, until the restart it causes is told. */
  private gpuLost = false;

  constructor(onEvent: (event: ModelEvent) => void, options: ModelClientOptions = {}) {
    this.hangMs = options.hangMs ?? HANG_MS;
    this.bridge = new WorkerBridge<ModelRequest, ModelEvent>({
      create: options.createWorker ?? fromWorker(startModelWorker),
      cancel: (id) => ({ type: 'cancel', id }),
      failure: (event) => (event.type === 'failed' ? new ModelCallError(event.error) : null),
      isProgress: (event) => PROGRESS_EVENTS.has(event.type),
      onEvent: (event) => {
        if (event.type === 'worker-spent') {
          return this.bridge.replace(new BridgeError('crashed', event.message));
        }
        if (event.type !== 'device-lost') return onEvent(event);
        this.gpuLost = true;
        const detail = event.message ? `${event.reason}: ${event.message}` : event.reason;
        this.bridge.replace(
          new BridgeError('crashed', `The GPU device running the model was lost (${detail}).`),
        );
      },
      onRestart: (reason) => {
        const gpu = this.gpuLost;
        this.gpuLost = false;
        options.onCrash?.({
          kind: gpu ? 'webgpu' : 'unknown',
          message: reason.message,
          advice:
            'The model is loaded again by itself. If it keeps crashing, choose a smaller precision or WASM.',
        });
      },
      crashMessage: (detail) => `The model worker stopped (${detail}).`,
    });
  }

  private async call<T extends ModelEvent['type']>(
    type: T,
    build: (id: number) => ModelRequest,
    options: {
      signal?: AbortSignal;
      hang?: boolean;
      onProgress?: (event: ModelEvent) => void;
    } = {},
  ): Promise<Extract<ModelEvent, { type: T }>> {
    try {
      const event = await this.bridge.call({
        prepare: (id) => ({ message: build(id) }),
        signal: options.signal,
        hangMs: options.hang ? this.hangMs : undefined,
        hangMessage: this.hangMessage(),
        onProgress: options.onProgress,
      });
      return expectEvent(event, type);
    } catch (error) {
      throw explain(error);
    }
  }

  /**
   * A call that carries photos: `build` makes the request from their bitmaps, which move to the
   * worker (or are closed when the request is never sent). With `askWithout` the call goes first
   * without pixels, as the worker has usually encoded the photos already, and again with them only
   * when the worker answers 'needs-image'.
   */
  private async imageCall<T extends ModelEvent['type']>(
    type: T,
    images: readonly ImageSource[],
    build: (id: number, bitmaps: ImageBitmap[] | undefined) => ModelRequest,
    options: {
      signal?: AbortSignal;
      askWithout?: boolean;
      onProgress?: (event: ModelEvent) => void;
    },
  ): Promise<Extract<ModelEvent, { type: T }>> {
    const run = (withImages: boolean) =>
      this.bridge.call({
        prepare: async (id) => {
          const bitmaps: ImageBitmap[] | undefined = withImages ? [] : undefined;
          for (const image of withImages ? images : []) bitmaps!.push(await image());
          return { message: build(id, bitmaps), transfer: bitmaps ?? [] };
        },
        discard: ({ transfer }) => transfer?.forEach((bitmap) => (bitmap as ImageBitmap).close()),
        signal: options.signal,
        hangMs: this.hangMs,
        hangMessage: this.hangMessage(),
        onProgress: options.onProgress,
      });
    try {
      let event = await run(!options.askWithout);
      if (options.askWithout && event.type === 'needs-image') event = await run(true);
      return expectEvent(event, type);
    } catch (error) {
      throw explain(error);
    }
  }

  async probe(): Promise<Capabilities> {
    return (await this.call('probed', (id) => ({ type: 'probe', id }))).caps;
  }

  async inspect(settings: LoadSettings): Promise<ModelFileInfo[]> {
    return (await this.call('inspected', (id) => ({ type: 'inspect', id, settings }))).files;
  }

  async load(settings: LoadSettings, signal?: AbortSignal): Promise<LoadedModel> {
    // A download cannot be interrupted inside transformers.js: stopping it means stopping the
    // worker. Nothing half-written stays behind (the library caches a file only once complete).
    const stop = () =>
      this.bridge.terminate(new BridgeError('cancelled', 'The download was cancelled.'));
    signal?.addEventListener('abort', stop, { once: true });
    try {
      if (signal?.aborted) throw new BridgeError('cancelled', 'The download was cancelled.');
      return (await this.call('loaded', (id) => ({ type: 'load', id, settings }))).model;
    } catch (error) {
      throw explain(error);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  async score(
    photoId: string,
    image: ImageSource,
    recipe: ScoringRecipe,
    signal?: AbortSignal,
    imageMode: ImageMode = 'fast',
  ): Promise<ScoreResult> {
    const event = await this.imageCall(
      'scored',
      [image],
      (id, bitmaps) => ({
        type: 'score',
        id,
        photoId,
        image: bitmaps![0]!,
        recipe,
        imageMode,
        ...(image.original ? { original: image.original } : {}),
      }),
      { signal },
    );
    return event.result;
  }

  async generate(
    request: GenerationRequest,
    image: ImageSource,
    onProgress: (event: GenerationProgress) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult> {
    const event = await this.imageCall(
      'generated',
      [image],
      (id, bitmaps) => ({
        type: 'generate',
        id,
        image: bitmaps?.[0],
        request,
        ...(bitmaps && image.original ? { original: image.original } : {}),
      }),
      { signal, askWithout: true, onProgress: (e) => onProgress(e as GenerationProgress) },
    );
    return event.result;
  }

  async rateAttributes(
    photoId: string,
    image: ImageSource,
    recipe: ScoringRecipe,
    onProgress: (event: AttributeProgress) => void,
    signal?: AbortSignal,
  ): Promise<AttributesResult> {
    const event = await this.imageCall(
      'attributes-rated',
      [image],
      (id, bitmaps) => ({
        type: 'rate-attributes',
        id,
        photoId,
        image: bitmaps?.[0],
        recipe,
        ...(bitmaps && image.original ? { original: image.original } : {}),
      }),
      { signal, askWithout: true, onProgress: (e) => onProgress(e as AttributeProgress) },
    );
    return event.result;
  }

  async locate(
    photoId: string,
    question: string,
    image: ImageSource,
    signal?: AbortSignal,
  ): Promise<LocatedRegion> {
    const event = await this.imageCall(
      'located',
      [image],
      (id, bitmaps) => ({
        type: 'locate',
        id,
        photoId,
        image: bitmaps?.[0],
        question,
        ...(bitmaps && image.original ? { original: image.original } : {}),
      }),
      { signal, askWithout: true },
    );
    return event.result;
  }

  async compare(
    request: CompareRequest,
    images: [ImageSource, ImageSource],
    onProgress: (event: CompareProgress) => void,
    signal?: AbortSignal,
  ): Promise<CompareResult> {
    // Both photos are usually scored (so encoded) already: asked without pixels first.
    const event = await this.imageCall(
      'compared',
      images,
      (id, bitmaps) => ({
        type: 'compare',
        id,
        request,
        images: bitmaps && [bitmaps[0]!, bitmaps[1]!],
      }),
      { signal, askWithout: true, onProgress: (e) => onProgress(e as CompareProgress) },
    );
    return event.result;
  }

  async promptCacheStatus(): Promise<PromptCacheStatus> {
    return (await this.call('cache-status', (id) => ({ type: 'cache-status', id }))).status;
  }

  forget(photoId: string): void {
    this.bridge.notify({ type: 'forget-photo', photoId });
  }

  setHangLimit(ms: number): void {
    this.hangMs = ms;
  }

  async qualityMap(
    photoId: string,
    image: ImageSource,
    grid: RegionGrid,
    recipe: ScoringRecipe,
    onRegion: (event: RegionProgress) => void,
    signal?: AbortSignal,
    imageMode: ImageMode = 'fast',
  ): Promise<QualityMapResult> {
    const event = await this.imageCall(
      'quality-mapped',
      [image],
      (id, bitmaps) => ({
        type: 'quality-map',
        id,
        photoId,
        image: bitmaps![0]!,
        grid,
        recipe,
        imageMode,
      }),
      { signal, onProgress: (e) => onRegion(e as RegionProgress) },
    );
    return event.result;
  }

  private hangMessage(): string {
    return `The model worker stopped (it did not answer for ${Math.round(this.hangMs / 1000)} s).`;
  }
}
