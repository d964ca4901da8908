/**
 * The benchmark page (scripts/bench/ builds it with Vite and drives it in headless Chromium). It
 * uses the app's own code paths: the model worker through ModelClient (started wrapped with
 * onnxruntime run timing) and the pixels worker through its client, exactly as the UI calls them,
 * and exposes one call per measured step on `window.qualityLensBench`.
 */
import { ModelClient } from '../model/client.ts';
import type { ImageMode } from '../model/image-mode.ts';
import { presetDtypes } from '../model/precision.ts';
import type { LoadSettings } from '../model/protocol.ts';
import { QSIT_RECIPE } from '../model/recipes.ts';
import { DEFAULT_HUB_HOST } from '../model/source.ts';
import { fromWorker } from '../lib/worker-bridge.ts';
import { PixelsClient, type DecodedPhoto } from '../pixels/client.ts';
import type {
  BenchPageApi,
  CompareFigures,
  DecodeFigures,
  LoadFigures,
  LoadSpec,
  PixelFigures,
  ScoreFigures,
  SessionRun,
  TakeRunsRequest,
} from './protocol.ts';

/** The description prompt of the Q-Instruct papers, used for the decode figure. */
const DESCRIBE = 'Describe and evaluate the quality of the image.';
const MODEL_CACHE = 'transformers-cache';

let worker: Worker | null = null;
let client: ModelClient | null = null;
const photos = new Map<string, Promise<{ file: Blob; photo: DecodedPhoto }>>();
const pixels = new PixelsClient();

const now = () => performance.timeOrigin + performance.now();

function startTimedWorker(): Worker {
  worker = new Worker(new URL('./worker/model-bench.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model',
  });
  return worker;
}

/** The session runs the worker recorded since the last call. */
function takeRuns(): Promise<SessionRun[]> {
  const target = worker;
  if (!target) return Promise.resolve([]);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<SessionRun[]>) => {
      channel.port1.close();
      resolve(event.data);
    };
    target.postMessage({ type: 'bench-take-runs' } satisfies TakeRunsRequest, [channel.port2]);
  });
}

/**
 * A photo decoded once by the pixels worker (as the UI does on drop), with its file; not part of
 * any timing.
 */
function decoded(url: string): Promise<{ file: Blob; photo: DecodedPhoto }> {
  let photo = photos.get(url);
  if (!photo) {
    photo = fetch(url)
      .then((response) => response.blob())
      .then(async (file) => ({ file, photo: await pixels.decode(file) }));
    photos.set(url, photo);
  }
  return photo;
}

function requireClient(): ModelClient {
  if (!client) throw new Error('Load a model first.');
  return client;
}

const api: BenchPageApi = {
  async load(spec: LoadSpec): Promise<LoadFigures> {
    api.unload();
    client = new ModelClient(() => {}, {
      createWorker: fromWorker(startTimedWorker),
      hangMs: spec.hangMs,
    });
    const settings: LoadSettings = {
      source: { kind: 'local', id: spec.modelId },
      device: spec.device,
      dtypes: presetDtypes(spec.precision),
      appBase: `${location.origin}/`,
      hubHost: DEFAULT_HUB_HOST,
      allowFallback: false,
    };
    const started = performance.now();
    const loaded = await client.load(settings);
    const ms = performance.now() - started;
    await takeRuns();
    return {
      ms,
      workerMs: loaded.loadMs,
      fromCache: loaded.fromCache,
      hasNumLogitsToKeep: loaded.hasNumLogitsToKeep,
      device: loaded.device,
      bytes: loaded.bytes,
      crossOriginIsolated: self.crossOriginIsolated,
      threads: navigator.hardwareConcurrency,
    };
  },

  async score(photoUrl: string, photoId: string, imageMode?: ImageMode): Promise<ScoreFigures> {
    const model = requireClient();
    const { file, photo } = await decoded(photoUrl);
    await takeRuns();
    const pageStart = now();
    const started = performance.now();
    // As the UI does: a copy of the decoded bitmap is transferred to the model worker, and the
    // photo's file goes with it (the reference mode decodes it again at full size).
    const source = Object.assign(() => createImageBitmap(photo.bitmap), { original: file });
    const result = await model.score(photoId, source, QSIT_RECIPE, undefined, imageMode);
    const endToEndMs = performance.now() - started;
    const pageEnd = now();
    return {
      endToEndMs,
      ...result.timings,
      promptTokens: result.promptTokens,
      imageTokens: result.imageTokens,
      imageMode: result.imageMode,
      ...(result.anyres ? { anyres: result.anyres } : {}),
      probabilities: [...result.probabilities],
      score: result.score,
      runs: await takeRuns(),
      pageStart,
      pageEnd,
    };
  },

  async decode(photoUrl: string, photoId: string, maxNewTokens: number): Promise<DecodeFigures> {
    const model = requireClient();
    const { photo } = await decoded(photoUrl);
    await takeRuns();
    const started = performance.now();
    const result = await model.generate(
      {
        photoId,
        turns: [{ role: 'user', text: DESCRIBE, withImage: true }],
        maxNewTokens,
        sampling: { kind: 'greedy' },
        repetitionPenalty: 1,
        contextTokens: 32768,
      },
      () => createImageBitmap(photo.bitmap),
      () => {},
    );
    return {
      tokens: result.tokens,
      tokensPerSecond: result.tokensPerSecond,
      decodeMs: result.decodeMs,
      endToEndMs: performance.now() - started,
      stopReason: result.stopReason,
      runs: await takeRuns(),
    };
  },

  async pixels(photoUrl: string): Promise<PixelFigures> {
    const blob = await (await fetch(photoUrl)).blob();
    const started = performance.now();
    const photo = await pixels.decode(blob);
    const decodedAt = performance.now();
    await pixels.analyse(photo);
    const done = performance.now();
    pixels.forget(photo);
    photo.bitmap.close();
    return {
      width: photo.sourceWidth,
      height: photo.sourceHeight,
      decodeMs: decodedAt - started,
      analyseMs: done - decodedAt,
      totalMs: done - started,
    };
  },

  async compare(photosToCompare, aspects, reasonTokens): Promise<CompareFigures> {
    const model = requireClient();
    const [a, b] = await Promise.all(photosToCompare.map((p) => decoded(p.url)));
    const started = performance.now();
    const result = await model.compare(
      { photoIds: [photosToCompare[0].id, photosToCompare[1].id], aspects, reasonTokens },
      [() => createImageBitmap(a!.photo.bitmap), () => createImageBitmap(b!.photo.bitmap)],
      () => {},
    );
    const endToEndMs = performance.now() - started;
    await takeRuns();
    return {
      endToEndMs,
      timings: result.timings,
      questions: result.preferences.length,
      promptTokens: result.promptTokens,
      reusedTokens: result.reusedTokens,
      imageTokensPerPhoto: result.imageTokensPerPhoto,
      reasonChars: result.reason.length,
    };
  },

  forget(photoId: string) {
    client?.forget(photoId);
  },

  unload() {
    worker?.terminate();
    worker = null;
    client = null;
  },

  async clearModelCache() {
    await caches.delete(MODEL_CACHE);
  },
};

(window as unknown as { qualityLensBench: BenchPageApi }).qualityLensBench = api;
document.title = 'Quality Lens benchmark page (ready)';
