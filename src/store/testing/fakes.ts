/**
 * Fakes for store tests in Node: bitmaps that count what is still open, a pixels worker that
 * speaks the real protocol (so the real PixelsClient and worker bridge run on it), and a model
 * service whose calls the test controls. Only the timing and the pixels are made up.
 */
import { GroupingClient } from '../../cull/grouping-client.ts';
import { answerGrouping, type GroupingRequest } from '../../cull/grouping-protocol.ts';
import type { ImageMode } from '../../model/image-mode.ts';
import { parseBox, type LocatedRegion } from '../../model/grounding.ts';
import type {
  AttributeProgress,
  CompareProgress,
  GenerationProgress,
  ImageSource,
  ModelService,
  RegionProgress,
} from '../../model/client.ts';
import type { RegionGrid } from '../../lib/region-grid.ts';
import type { QualityMapResult } from '../../model/quality-map.ts';
import type { WorkerPort } from '../../lib/worker-bridge.ts';
import type {
  AttributesResult,
  CompareRequest,
  CompareResult,
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  LoadSettings,
  ScoreResult,
} from '../../model/protocol.ts';
import type { ScoringRecipe } from '../../model/recipes.ts';
import type { ShootArchive } from '../../persist/archive.ts';
import { PixelsClient } from '../../pixels/client.ts';
import type { PixelAnalysis, PixelsEvent, PixelsRequest } from '../../pixels/protocol.ts';
import type { CachedFiles, ModelStorage, StorageFigures } from '../../storage/model-storage.ts';
import {
  DEFAULT_LIMITS,
  type AppServices,
  type ModelHandlers,
  type PipelineLimits,
} from '../services.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Lets a test decide when a promise settles. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Every fake bitmap made, so a test can count the ones still open. */
export class BitmapLedger {
  readonly made: FakeBitmap[] = [];
  make(width: number, height: number, tag: string): ImageBitmap {
    const bitmap = new FakeBitmap(width, height, tag);
    this.made.push(bitmap);
    return bitmap as unknown as ImageBitmap;
  }
  open(tag?: string): FakeBitmap[] {
    return this.made.filter((b) => !b.closed && (tag === undefined || b.tag === tag));
  }
}

export class FakeBitmap {
  closed = false;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly tag: string,
  ) {}
  close() {
    this.closed = true;
  }
}

export interface FakePixelsOptions {
  ledger: BitmapLedger;
  /** Milliseconds a decode takes. */
  decodeMs?: number;
  /** Files whose name starts with this never finish decoding. */
  hangPrefix?: string;
  /** Files whose name starts with this are refused as not a photo. */
  badPrefix?: string;
  size?: { width: number; height: number };
}

/** A pixels worker speaking the app's protocol: one request at a time, 'started' first, as the real one. */
/**
 * The grouping worker in Node: the worker's own answers (answerGrouping), each request copied as
 * postMessage would and answered a moment later, not within the call.
 */
export class FakeGroupsWorker implements WorkerPort {
  /** Groupings worked out (tests count them). */
  static groupings = 0;
  private onMessage: (data: unknown) => void = () => {};
  private terminated = false;
  listen(onMessage: (data: unknown) => void) {
    this.onMessage = onMessage;
  }
  terminate() {
    this.terminated = true;
  }
  post(message: unknown) {
    const request = structuredClone(message) as GroupingRequest;
    void Promise.resolve().then(() => {
      if (this.terminated) return;
      if (request.type === 'group') FakeGroupsWorker.groupings += 1;
      for (const event of answerGrouping(request)) this.onMessage(event);
    });
  }
}

export class FakePixelsWorker implements WorkerPort {
  static active = 0;
  static maxActive = 0;
  static decodes = 0;
  /** Measures computed (analyse requests answered with a result). */
  static analyses = 0;
  private onMessage: (data: unknown) => void = () => {};
  private queue: Promise<void> = Promise.resolve();
  private terminated = false;
  private readonly cancelled = new Set<number>();
  private readonly kept = new Map<number, string>();
  private nextKey = 1;

  constructor(private readonly options: FakePixelsOptions) {}

  listen(onMessage: (data: unknown) => void) {
    this.onMessage = onMessage;
  }
  terminate() {
    this.terminated = true;
  }
  private send(event: PixelsEvent) {
    if (!this.terminated) this.onMessage(event);
  }
  post(message: unknown) {
    const request = message as PixelsRequest;
    if (request.type === 'cancel') return void this.cancelled.add(request.id);
    if (request.type === 'forget') return void this.kept.delete(request.pixelsKey);
    if (request.type === 'warm-up') return;
    this.queue = this.queue.then(async () => {
      if (this.terminated || this.cancelled.delete(request.id)) return;
      this.send({ type: 'started', id: request.id });
      if (request.type === 'decode') await this.decode(request.id, request.file as File);
      else if (request.type === 'measure-regions') this.measureRegions(request);
      else this.analyse(request);
    });
  }
  private async decode(id: number, file: File) {
    const {
      hangPrefix,
      badPrefix,
      decodeMs = 1,
      size = { width: 400, height: 300 },
    } = this.options;
    if (hangPrefix && file.name.startsWith(hangPrefix)) return new Promise<void>(() => {});
    FakePixelsWorker.active += 1;
    FakePixelsWorker.maxActive = Math.max(FakePixelsWorker.maxActive, FakePixelsWorker.active);
    await sleep(decodeMs);
    FakePixelsWorker.active -= 1;
    FakePixelsWorker.decodes += 1;
    if (badPrefix && file.name.startsWith(badPrefix)) {
      return this.send({ type: 'failed', id, kind: 'photo', message: 'This file is not a photo.' });
    }
    if (this.terminated || this.cancelled.delete(id)) return;
    const key = this.nextKey++;
    this.kept.set(key, file.name);
    const bitmap = this.options.ledger.make(size.width, size.height, file.name);
    this.send({
      type: 'decoded',
      id,
      bitmap,
      info: {
        ...size,
        sourceWidth: size.width * 4,
        sourceHeight: size.height * 4,
        format: 'jpeg',
        exif: null,
        notes: [],
        reader: 'browser',
        pixelsKey: key,
      },
    });
  }
  private measureRegions(request: Extract<PixelsRequest, { type: 'measure-regions' }>) {
    request.bitmap?.close();
    this.send({
      type: 'regions-measured',
      id: request.id,
      regions: fakeRegionMeasures(request.grid),
    });
  }
  private analyse(request: Extract<PixelsRequest, { type: 'analyse' }>) {
    if (!this.kept.has(request.pixelsKey) && !request.bitmap) {
      return this.send({ type: 'analysis-needs-pixels', id: request.id });
    }
    request.bitmap?.close();
    FakePixelsWorker.analyses += 1;
    const analysis = { width: 1, height: 1, measures: {}, maps: {}, elapsedMs: 1 };
    this.send({ type: 'analysed', id: request.id, analysis: analysis as unknown as PixelAnalysis });
  }
}

/** Made-up region measures: region i has sharpness 10 + i, noise σ 1 and no clipping. */
function fakeRegionMeasures(grid: RegionGrid) {
  return Array.from({ length: grid.columns * grid.rows }, (_, index) => ({
    index,
    sharpness: 10 + index,
    noiseSigma: 1,
    highlights: 0,
    shadows: 0,
  }));
}

interface ScoreCall {
  photoId: string;
  signal?: AbortSignal;
  imageMode?: ImageMode;
  /** The file the image source offered (the reference mode decodes it at full size). */
  original?: Blob;
  done: ReturnType<typeof deferred<ScoreResult>>;
}

interface GenerateCall {
  request: GenerationRequest;
  signal?: AbortSignal;
  onProgress: (event: GenerationProgress) => void;
  /** Finish the generation with this text. */
  finish(text: string): void;
}

export const fakeScore = (score = 3): ScoreResult => ({
  score,
  score100: ((score - 1) / 4) * 100,
  probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
  topLevel: 'fair',
  levelLogits: [0, 0, 0, 0, 0],
  levelTokenIds: [1, 2, 3, 4, 5],
  promptTokens: 10,
  reusedTokens: 0,
  timings: { encodeMs: 1, prefillMs: 1, totalMs: 2 },
  recipe: 'qsit',
  imageMode: 'fast',
  imageTokens: 729,
});

/**
 * A model service whose calls wait for the test (`autoScore` settles scores by themselves).
 * Like the real client, aborting a call rejects it at once; `ignoreAbort` makes a score answer
 * anyway (a late reply), to check that nothing of a removed photo comes back.
 */
export class FakeModel implements ModelService {
  loads: {
    settings: LoadSettings;
    signal?: AbortSignal;
    done: ReturnType<typeof deferred<LoadedModel>>;
  }[] = [];
  scores: ScoreCall[] = [];
  generations: GenerateCall[] = [];
  forgotten: string[] = [];
  autoLoad = true;
  /** Where the store listens for the worker's events and crashes. */
  handlers: ModelHandlers | null = null;
  /** Fields the next loads report differently (from the cache, files not stored...). */
  loadedAs: Partial<LoadedModel> = {};
  autoScore = true;
  ignoreAbort = false;

  async probe() {
    return {
      webgpu: false,
      shaderF16: false,
      crossOriginIsolated: true,
      threads: 2,
      webgpuProblem: 'fake',
    };
  }
  async inspect() {
    return [{ file: 'onnx/decoder_model_merged_q8.onnx', bytes: 1000, cached: false }];
  }
  load(settings: LoadSettings, signal?: AbortSignal): Promise<LoadedModel> {
    const done = deferred<LoadedModel>();
    this.loads.push({ settings, signal, done });
    signal?.addEventListener('abort', () => done.reject(new Error('cancelled')), { once: true });
    const loaded: LoadedModel = {
      source: settings.source,
      device: settings.device,
      dtypes: settings.dtypes,
      imageTokens: 729,
      hasNumLogitsToKeep: true,
      loadMs: 1,
      bytes: 1000,
      fromCache: false,
      wasmThreads: 1,
      ...this.loadedAs,
    };
    if (this.autoLoad) setTimeout(() => done.resolve(loaded), 0);
    else (done as { loaded?: LoadedModel }).loaded = loaded;
    return done.promise;
  }
  /** Finishes the `index`-th load. */
  finishLoad(index: number) {
    const load = this.loads[index]!;
    load.done.resolve((load.done as { loaded?: LoadedModel }).loaded!);
  }
  async score(
    photoId: string,
    image: ImageSource,
    _recipe: ScoringRecipe,
    signal?: AbortSignal,
    imageMode?: ImageMode,
  ) {
    const bitmap = await image();
    bitmap.close(); // transferred to the worker, which closes it
    const done = deferred<ScoreResult>();
    this.scores.push({
      photoId,
      signal,
      done,
      imageMode,
      ...(image.original ? { original: image.original } : {}),
    });
    if (!this.ignoreAbort) {
      signal?.addEventListener(
        'abort',
        () => done.reject(new DOMException('Aborted', 'AbortError')),
        {
          once: true,
        },
      );
    }
    if (this.autoScore) setTimeout(() => done.resolve(fakeScore()), 0);
    return done.promise;
  }
  async generate(
    request: GenerationRequest,
    _image: ImageSource,
    onProgress: (event: GenerationProgress) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult> {
    const done = deferred<GenerationResult>();
    const prompt = {
      tokens: 10,
      text: '',
      droppedExchanges: 0,
      contextTokens: 2048,
      encodeMs: 0,
      prefillMs: 0,
      reusedFrom: null,
      reusedTokens: 0,
    };
    onProgress({ type: 'generation-started', id: 0, prompt });
    signal?.addEventListener(
      'abort',
      () =>
        done.resolve({
          text: '',
          tokens: 0,
          stopReason: 'cancelled',
          tokensPerSecond: 0,
          decodeMs: 0,
        }),
      { once: true },
    );
    this.generations.push({
      request,
      signal,
      onProgress,
      finish: (text) =>
        done.resolve({ text, tokens: 3, stopReason: 'end', tokensPerSecond: 10, decodeMs: 300 }),
    });
    return done.promise;
  }
  /** Attribute passes asked for; each waits for the test unless `autoAttributes`. */
  attributeCalls: {
    photoId: string;
    signal?: AbortSignal;
    onProgress: (event: AttributeProgress) => void;
    done: ReturnType<typeof deferred<AttributesResult>>;
  }[] = [];
  autoAttributes = true;
  async rateAttributes(
    photoId: string,
    _image: ImageSource,
    _recipe: ScoringRecipe,
    onProgress: (event: AttributeProgress) => void,
    signal?: AbortSignal,
  ) {
    const done = deferred<AttributesResult>();
    this.attributeCalls.push({ photoId, signal, onProgress, done });
    signal?.addEventListener(
      'abort',
      () => done.reject(new DOMException('Aborted', 'AbortError')),
      { once: true },
    );
    if (this.autoAttributes) {
      setTimeout(() => done.resolve({ ratings: [], checks: [], ms: 1, cancelled: false }), 0);
    }
    return done.promise;
  }
  /** Boxes asked for; each answers `locateText` (a valid box by default) at once. */
  locateCalls: { photoId: string; question: string }[] = [];
  locateText = '[0.10, 0.20, 0.60, 0.70]';
  async locate(photoId: string, question: string): Promise<LocatedRegion> {
    this.locateCalls.push({ photoId, question });
    return {
      text: this.locateText,
      reading: parseBox(this.locateText),
      confidence: { joint: 0.01, perToken: 0.8, formatMass: 0.9, tokens: 24 },
      ms: 5,
    };
  }
  /** Comparisons asked for; each waits for the test to settle `done`. */
  compareCalls: {
    request: CompareRequest;
    signal?: AbortSignal;
    onProgress: (event: CompareProgress) => void;
    done: ReturnType<typeof deferred<CompareResult>>;
  }[] = [];
  async compare(
    request: CompareRequest,
    _images: [ImageSource, ImageSource],
    onProgress: (event: CompareProgress) => void,
    signal?: AbortSignal,
  ) {
    const done = deferred<CompareResult>();
    this.compareCalls.push({ request, signal, onProgress, done });
    signal?.addEventListener(
      'abort',
      () => done.reject(new DOMException('Aborted', 'AbortError')),
      { once: true },
    );
    return done.promise;
  }
  async promptCacheStatus() {
    return { budgetBytes: 1000, usedBytes: 0, entries: [] };
  }
  forget(photoId: string) {
    this.forgotten.push(photoId);
  }
  /** The last hang limit the store set. */
  hangMs: number | null = null;
  setHangLimit(ms: number) {
    this.hangMs = ms;
  }
  /** Quality maps asked for; each waits for the test (`finish` answers one region at a time). */
  mapCalls: {
    photoId: string;
    grid: RegionGrid;
    signal?: AbortSignal;
    onRegion: (event: RegionProgress) => void;
    done: ReturnType<typeof deferred<QualityMapResult>>;
  }[] = [];
  async qualityMap(
    photoId: string,
    image: ImageSource,
    grid: RegionGrid,
    _recipe: ScoringRecipe,
    onRegion: (event: RegionProgress) => void,
    signal?: AbortSignal,
  ): Promise<QualityMapResult> {
    const bitmap = await image();
    bitmap.close(); // transferred to the worker, which closes it
    const done = deferred<QualityMapResult>();
    this.mapCalls.push({ photoId, grid, signal, onRegion, done });
    signal?.addEventListener(
      'abort',
      () => done.reject(new DOMException('Aborted', 'AbortError')),
      { once: true },
    );
    return done.promise;
  }
}

/** Browser storage as a list of cached files with sizes, a quota, and a persistence answer. */
export class FakeStorage implements ModelStorage {
  readonly files = new Map<string, number>();
  quota = 10_000_000;
  /** What persist() answers, and how often it was asked. */
  grantPersistence = true;
  persistCalls = 0;
  private granted = false;
  private readonly under = (folder: string) =>
    [...this.files].filter(([url]) => url.startsWith(folder));
  async estimate(): Promise<StorageFigures> {
    return { usage: [...this.files.values()].reduce((a, b) => a + b, 0), quota: this.quota };
  }
  async persisted() {
    return this.granted;
  }
  async persist() {
    this.persistCalls += 1;
    this.granted = this.grantPersistence;
    return this.granted;
  }
  async measure(folder: string): Promise<CachedFiles> {
    const files = this.under(folder);
    return { files: files.length, bytes: files.reduce((sum, [, bytes]) => sum + bytes, 0) };
  }
  async remove(folder: string): Promise<CachedFiles> {
    const measured = await this.measure(folder);
    for (const [url] of this.under(folder)) this.files.delete(url);
    return measured;
  }
}

/** Services for a store in Node: the real PixelsClient on a fake worker, a fake model, fake images. */
export function fakeServices(
  options: {
    ledger?: BitmapLedger;
    pixels?: Omit<FakePixelsOptions, 'ledger'>;
    limits?: Partial<PipelineLimits>;
    decodeHangMs?: number;
    thumbnail?: (bitmap: ImageBitmap) => Promise<string>;
    /** Where shoots are kept (e.g. createIdbArchive on fake-indexeddb); none by default. */
    archive?: ShootArchive;
  } = {},
) {
  const ledger = options.ledger ?? new BitmapLedger();
  const model = new FakeModel();
  const storage = new FakeStorage();
  const revoked: string[] = [];
  let thumbs = 0;
  const services: AppServices = {
    grouping: new GroupingClient({ createWorker: () => new FakeGroupsWorker() }),
    pixels: new PixelsClient({
      createWorker: () => new FakePixelsWorker({ ledger, ...options.pixels }),
      copyBitmap: async (b) => ledger.make(b.width, b.height, 'copy'),
      decodeHangMs: options.decodeHangMs,
    }),
    model: (handlers) => {
      model.handlers = handlers;
      return model;
    },
    images: {
      copy: async (b) => {
        if ((b as unknown as FakeBitmap).closed) throw new Error('copy of a closed bitmap');
        return ledger.make(b.width, b.height, 'copy');
      },
      thumbnail: options.thumbnail ?? (async () => `blob:thumb-${++thumbs}`),
      revoke: (url) => void revoked.push(url),
    },
    storage,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    appBase: () => 'http://localhost/',
    buildDefaults: {},
    archive: options.archive,
  };
  return { services, model, storage, ledger, revoked };
}

/** A file the fake pixels worker decodes (its name steers the fake). */
export const photoFile = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff])], name);

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`Timed out waiting for ${what}`);
    await sleep(2);
  }
}
