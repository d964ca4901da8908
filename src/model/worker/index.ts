/**
 * The model worker: owns the one loaded model and runs every model call off the main thread.
 * Calls run in order within their lane (see `lanes`); a cancelled call is dropped before it starts
 * or between its stages (an onnxruntime run itself cannot be interrupted).
 */
import type { RawImage } from '@huggingface/transformers';
import type { LoadSettings, ModelEvent, ModelRequest, NotStoredFiles } from '../protocol.ts';
import { modelFileUrl } from '../source.ts';
import { ExplainedError, explainError } from './errors.ts';
import { hubHostName } from '../source.ts';
import { explainRecipeFor } from '../explain-recipes.ts';
import { rateAttributes } from './attributes.ts';
import { comparePhotos, forgetPairsOf } from './compare.ts';
import { generateText } from './generation.ts';
import { locateRegion } from './grounding.ts';
import { pictureForModel } from './full-size.ts';
import { bitmapToRawImage, fastModePicture } from './image.ts';
import { QualityModel } from './quality-model.ts';
import { scoreRegions } from './quality-map.ts';
import {
  gpuDeviceInUse,
  inspectFiles,
  loadParts,
  modelCache,
  probeCapabilities,
  ProgressTracker,
  wasmThreadsInUse,
} from './runtime.ts';
import type { ResumeInfo } from './resumable-fetch.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: ModelEvent) => scope.postMessage(event);

let current: QualityModel | null = null;
/** Settles when the GPU device of the current model is lost (null on WASM). */
let gpuLost: Promise<GPUDeviceLostInfo> | null = null;
const cancelled = new Set<number>();
/**
 * Lanes: scores, text generation and quality maps. A score never waits behind a long
 * description: its onnxruntime runs interleave with the generation's token steps (transformers.js
 * runs one session call at a time, and generation yields between tokens). A load waits for every
 * lane to drain and all wait for it.
 */
const lanes = {
  score: Promise.resolve() as Promise<unknown>,
  text: Promise.resolve() as Promise<unknown>,
  /** Quality maps: asked for on demand, never ahead of a score or a description. */
  map: Promise.resolve() as Promise<unknown>,
};

/** Runs `task` after the calls before it; `drop` frees what a call cancelled before its start holds. */
function enqueue(
  lane: 'score' | 'text' | 'map' | 'load',
  id: number,
  task: () => Promise<void>,
  drop?: () => void,
) {
  const run = async () => {
    if (cancelled.delete(id)) {
      drop?.();
      post({ type: 'failed', id, error: explainError(new Error('aborted')) });
      return;
    }
    post({ type: 'started', id });
    try {
      await task();
    } catch (error) {
      // A run that failed because the GPU device was lost is not answered: the page replaces
      // this worker when it hears of the loss, and the call is then retried or marked there.
      if (gpuLost && (await settlesWithin(gpuLost, 500))) return;
      // The raw error stays in the console for bug reports; the UI shows the explanation.
      console.error('[model worker]', error);
      const explained = explainError(error, { offline: !navigator.onLine });
      post({ type: 'failed', id, error: explained });
      // After running out of memory the runtime's heap is not to be trusted (every later run, a
      // small one too, can fail the same way): the page replaces this worker and loads the model
      // again. A load that ran out of memory is only answered; loading again would fail the same way.
      if (explained.kind === 'out-of-memory' && lane !== 'load') {
        post({ type: 'worker-spent', message: explained.message });
      }
    }
  };
  if (lane === 'load') {
    const done = Promise.all([lanes.score, lanes.text, lanes.map]).then(run);
    lanes.score = done;
    lanes.text = done;
    lanes.map = done;
  } else {
    lanes[lane] = lanes[lane].then(run);
  }
}

/** Whether `promise` settles within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

/**
 * Tells the page when the GPU device under `model` is lost (a driver reset, the GPU removed, the
 * browser reclaiming it). onnxruntime-web cannot move its sessions to a new device, so the page
 * replaces this worker and loads the model again (on a fresh device, or on WASM).
 */
async function watchGpu(model: QualityModel) {
  const device = await gpuDeviceInUse();
  if (!device || current !== model) return;
  gpuLost = device.lost;
  void device.lost.then((info) => {
    // A model replaced or disposed by a load frees its device on purpose: not a loss.
    if (current !== model) return;
    console.error('[model worker] GPU device lost:', info.reason, info.message);
    post({ type: 'device-lost', reason: info.reason ?? 'unknown', message: info.message });
  });
}

async function load(id: number, settings: LoadSettings) {
  const started = performance.now();
  current?.caches.clear();
  current?.parts.model.dispose();
  current = null;
  gpuLost = null;
  const cachedBefore = await inspectFiles(
    settings.source,
    settings.dtypes,
    settings.appBase,
    settings.hubHost,
  );
  let received = false;
  const tracker = new ProgressTracker((progress) => {
    if (progress.done || progress.loaded > 0) received = true;
    post({ type: 'file-progress', progress });
  });
  modelCache.reset();
  let resumes = 0;
  const onResume = (info: ResumeInfo) => {
    resumes += 1;
    const file = info.url.split('/').slice(-2).join('/');
    const at = Math.floor((info.from / info.total) * 100);
    post({
      type: 'load-stage',
      stage: `The connection dropped at ${at} % of ${file}; continuing from there…`,
    });
  };
  let device = settings.device;
  let fallbackReason: string | undefined;
  let parts;
  try {
    parts = await loadParts(settings, tracker.handle, onResume);
  } catch (error) {
    const explained = explainError(error, {
      offline: !navigator.onLine,
      host: settings.source.kind === 'hub' ? hubHostName(settings.hubHost) : undefined,
      nothingReceived: !received && cachedBefore.every((f) => !f.cached),
    });
    const canFallBack =
      settings.device === 'webgpu' &&
      settings.allowFallback &&
      !(error instanceof ExplainedError) &&
      explained.kind !== 'not-found' &&
      explained.kind !== 'offline' &&
      explained.kind !== 'download-interrupted' &&
      explained.kind !== 'host-unreachable';
    if (!canFallBack) {
      console.error('[model worker] load failed:', error);
      throw new ExplainedError(explained);
    }
    // WebGPU failed: the same files run on the CPU through WASM.
    fallbackReason = `WebGPU failed (${explained.message}); running on WASM instead.`;
    post({ type: 'load-stage', stage: 'WebGPU failed, falling back to WASM…' });
    device = 'wasm';
    parts = await loadParts({ ...settings, device }, tracker.handle, onResume);
  }
  current = new QualityModel(parts);
  if (device === 'webgpu') await watchGpu(current);
  post({
    type: 'loaded',
    id,
    model: {
      source: settings.source,
      device,
      dtypes: settings.dtypes,
      fallbackReason,
      imageTokens: 0,
      hasNumLogitsToKeep: parts.hasNumLogitsToKeep,
      loadMs: performance.now() - started,
      bytes: cachedBefore.reduce((sum, f) => sum + (f.bytes ?? 0), 0),
      fromCache: cachedBefore.every((f) => f.cached),
      wasmThreads: wasmThreadsInUse(),
      notStored: notStoredFiles(settings),
      ...(resumes > 0 ? { resumedDownloads: resumes } : {}),
    },
  });
}

/** The model's files whose cache write failed during this load (undefined when all were kept). */
function notStoredFiles(settings: LoadSettings): NotStoredFiles | undefined {
  const base = modelFileUrl(settings.source, '', settings.appBase, settings.hubHost);
  const failures = modelCache.failures
    .map((f) => ({ ...f, url: new URL(f.url, settings.appBase).href }))
    .filter((f) => f.url.startsWith(base));
  if (failures.length === 0) return undefined;
  return {
    files: failures.map((f) => f.url.slice(base.length)),
    reason: [...new Set(failures.map((f) => f.reason))].join(', '),
  };
}

/**
 * Resolves after the worker's pending tasks (a cancel message among them) have had their turn.
 * A MessageChannel task, unlike setTimeout, is not clamped to 4 ms when called in a loop.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Answers a quick call (probe, inspect) with its result, or with an explained failure. */
function answer(id: number, task: () => Promise<ModelEvent>) {
  task().then(post, (error: unknown) => {
    console.error('[model worker]', error);
    post({ type: 'failed', id, error: explainError(error, { offline: !navigator.onLine }) });
  });
}

function requireModel(): QualityModel {
  if (!current) {
    throw new ExplainedError({
      kind: 'not-loaded',
      message: 'The model is not loaded yet.',
      advice: 'Load the model first; photos dropped meanwhile are scored once it is ready.',
    });
  }
  return current;
}

/**
 * What the model encodes a photo from: the fast mode draws the working copy straight at the
 * processor's input size; the reference mode the photo at full size, decoded again from its file
 * (full-size.ts).
 */
function picture(model: QualityModel, image: ImageBitmap, original: Blob | undefined) {
  return pictureForModel(image, original, model.imageMode, model.parts.fastInput);
}

/**
 * Compare's pictures are drawn from the working copies (it is handed no files): the reference
 * mode at the copy's size, the fast mode at the processor's input size.
 */
function comparePicture(model: QualityModel, bitmap: ImageBitmap): RawImage {
  return model.imageMode === 'reference'
    ? bitmapToRawImage(bitmap, Infinity)
    : fastModePicture(bitmap, model.parts.fastInput);
}

/**
 * A text-lane call about one photo. The photo is drawn only when the model does not hold its
 * features (never encoded, evicted, or a fresh worker); without pixels the page is asked for them
 * ('needs-image'). The bitmap is closed and the call's cancel mark cleared however it ends.
 */
function textCallAboutPhoto(
  request: { id: number; image?: ImageBitmap; original?: Blob },
  photoId: string,
  work: (model: QualityModel, image: RawImage | null) => Promise<void>,
) {
  enqueue(
    'text',
    request.id,
    async () => {
      try {
        const model = requireModel();
        const encoded = model.isEncoded(photoId);
        if (!encoded && !request.image) {
          post({ type: 'needs-image', id: request.id });
          return;
        }
        const image =
          encoded || !request.image ? null : await picture(model, request.image, request.original);
        request.image?.close();
        await work(model, image);
      } finally {
        request.image?.close();
        cancelled.delete(request.id);
      }
    },
    () => request.image?.close(),
  );
}

scope.onmessage = (event: MessageEvent<ModelRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'probe':
      answer(request.id, async () => ({
        type: 'probed',
        id: request.id,
        caps: await probeCapabilities(),
      }));
      return;
    case 'inspect':
      answer(request.id, async () => ({
        type: 'inspected',
        id: request.id,
        files: await inspectFiles(
          request.settings.source,
          request.settings.dtypes,
          request.settings.appBase,
          request.settings.hubHost,
        ),
      }));
      return;
    case 'load':
      enqueue('load', request.id, () => load(request.id, request.settings));
      return;
    case 'score':
      enqueue('score', request.id, async () => {
        const model = requireModel();
        model.imageMode = request.imageMode ?? 'fast';
        // Drawn (or decoded at full size) only when the model does not hold the photo's features.
        const image = model.isEncoded(request.photoId)
          ? null
          : await picture(model, request.image, request.original).finally(() =>
              request.image.close(),
            );
        request.image.close();
        const result = await model.score(request.photoId, image, request.recipe);
        post({ type: 'scored', id: request.id, photoId: request.photoId, result });
      });
      return;
    case 'generate':
      textCallAboutPhoto(request, request.request.photoId, async (model, image) => {
        const result = await generateText(model, image, request.request, {
          isCancelled: () => cancelled.has(request.id),
          yieldToEvents: nextTask,
          onStart: (prompt, confidence) =>
            post({ type: 'generation-started', id: request.id, prompt, confidence }),
          onDelta: (step) => post({ type: 'generation-delta', id: request.id, ...step }),
        });
        post({ type: 'generated', id: request.id, result });
      });
      return;
    case 'rate-attributes':
      textCallAboutPhoto(request, request.photoId, async (model, image) => {
        await model.encode(request.photoId, image);
        const result = await rateAttributes(
          model,
          request.photoId,
          request.recipe,
          explainRecipeFor(request.recipe.name),
          {
            isCancelled: () => cancelled.has(request.id),
            yieldToEvents: nextTask,
            onRating: (rating) => post({ type: 'attribute-rated', id: request.id, rating }),
            onCheck: (check) => post({ type: 'attribute-rated', id: request.id, check }),
          },
        );
        post({ type: 'attributes-rated', id: request.id, result });
      });
      return;
    case 'locate':
      textCallAboutPhoto(request, request.photoId, async (model, image) => {
        await model.encode(request.photoId, image);
        const result = await locateRegion(model, request.photoId, request.question, {
          isCancelled: () => cancelled.has(request.id),
          yieldToEvents: nextTask,
        });
        post({ type: 'located', id: request.id, result });
      });
      return;
    case 'quality-map':
      enqueue(
        'map',
        request.id,
        async () => {
          try {
            const model = requireModel();
            model.imageMode = request.imageMode ?? 'fast';
            // Regions are cut from the picture as given (the working copy), each then shown to
            // the model as a photo is.
            const image = bitmapToRawImage(request.image, Infinity);
            request.image.close();
            const result = await scoreRegions(
              model,
              request.photoId,
              image,
              request.grid,
              request.recipe,
              {
                isCancelled: () => cancelled.has(request.id),
                yieldToEvents: nextTask,
                onRegion: (region) => post({ type: 'region-scored', id: request.id, region }),
              },
            );
            post({ type: 'quality-mapped', id: request.id, result });
          } finally {
            request.image.close();
            cancelled.delete(request.id);
          }
        },
        () => request.image.close(),
      );
      return;
    case 'cache-status':
      post({
        type: 'cache-status',
        id: request.id,
        status: current?.caches.status() ?? { budgetBytes: 0, usedBytes: 0, entries: [] },
      });
      return;
    case 'compare':
      enqueue(
        'text',
        request.id,
        async () => {
          try {
            const model = requireModel();
            const held = request.request.photoIds.map((photoId) => model.isEncoded(photoId));
            if (!request.images && !held.every(Boolean)) {
              post({ type: 'needs-image', id: request.id });
              return;
            }
            const toImage = (i: 0 | 1): RawImage | null => {
              const bitmap = request.images?.[i];
              return held[i] || !bitmap ? null : comparePicture(model, bitmap);
            };
            const images: [RawImage | null, RawImage | null] = [toImage(0), toImage(1)];
            request.images?.forEach((bitmap) => bitmap.close());
            const result = await comparePhotos(model, request.request, images, {
              isCancelled: () => cancelled.has(request.id),
              yieldToEvents: nextTask,
              onJudged: (preference) =>
                post({ type: 'compare-judged', id: request.id, preference }),
              onReason: (step) => post({ type: 'compare-reason', id: request.id, ...step }),
            });
            post({ type: 'compared', id: request.id, result });
          } finally {
            request.images?.forEach((bitmap) => bitmap.close());
            cancelled.delete(request.id);
          }
        },
        () => request.images?.forEach((bitmap) => bitmap.close()),
      );
      return;
    case 'forget-photo':
      if (current) forgetPairsOf(current, request.photoId);
      current?.forget(request.photoId);
      return;
    case 'cancel':
      cancelled.add(request.id);
      return;
  }
};
