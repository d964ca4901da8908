/**
 * The UI's only way to the model worker. Every call returns a promise and takes an AbortSignal;
 * events without a request (download progress, stages) go to `onEvent`. A crashed worker fails its
 * pending calls and is recreated on the next call.
 */
import type { Capabilities } from './precision.ts';
import type {
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  LoadSettings,
  ModelError,
  ModelEvent,
  ModelFileInfo,
  ModelRequest,
  ScoreResult,
} from './protocol.ts';
import type { ScoringRecipe } from './recipes.ts';

/** A model call that failed, with the worker's explanation. */
export class ModelCallError extends Error {
  readonly detail: ModelError;
  constructor(detail: ModelError) {
    super(detail.message);
    this.detail = detail;
  }
}

type Pending = {
  resolve: (event: ModelEvent) => void;
  reject: (error: ModelCallError) => void;
  progress?: (event: ModelEvent) => void;
};

/** Events that report a call's progress without ending it. */
const PROGRESS_EVENTS: ReadonlySet<ModelEvent['type']> = new Set([
  'generation-started',
  'generation-delta',
]);

/** What a generation reports while it runs. */
export type GenerationProgress = Extract<
  ModelEvent,
  { type: 'generation-started' | 'generation-delta' }
>;

/** Starts the app's model worker. */
function startModelWorker(): Worker {
  return new Worker(new URL('./worker/index.ts', import.meta.url), {
    type: 'module',
    name: 'model',
  });
}

export class ModelClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * `createWorker` is for the benchmark page only (src/bench/), which starts the same worker
   * wrapped with onnxruntime run timing; the app always uses the default.
   */
  constructor(
    private readonly onEvent: (event: ModelEvent) => void,
    private readonly createWorker: () => Worker = startModelWorker,
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (e: MessageEvent<ModelEvent>) => this.receive(e.data);
    worker.onerror = (e) => this.crash(`The model worker crashed: ${e.message || 'unknown error'}`);
    worker.onmessageerror = () => this.crash('The model worker sent an unreadable message.');
    this.worker = worker;
    return worker;
  }

  private receive(event: ModelEvent) {
    if ('id' in event && PROGRESS_EVENTS.has(event.type)) {
      // After a cancel the call is gone, so a late step's text is dropped here.
      this.pending.get(event.id)?.progress?.(event);
    } else if ('id' in event) {
      const waiter = this.pending.get(event.id);
      this.pending.delete(event.id);
      if (event.type === 'failed') waiter?.reject(new ModelCallError(event.error));
      else waiter?.resolve(event);
    }
    this.onEvent(event);
  }

  /** Fails every pending call and drops the worker; the next call starts a fresh one. */
  private crash(message: string) {
    this.worker?.terminate();
    this.worker = null;
    const error = new ModelCallError({
      kind: 'unknown',
      message,
      advice: 'Load the model again. If it crashes again, choose a smaller precision or WASM.',
    });
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.onEvent({ type: 'failed', id: 0, error: error.detail });
  }

  private call<T extends ModelEvent['type']>(
    build: (id: number) => ModelRequest,
    expect: T,
    signal?: AbortSignal,
    transfer: Transferable[] = [],
    progress?: (event: ModelEvent) => void,
  ): Promise<Extract<ModelEvent, { type: T }>> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new ModelCallError({ kind: 'cancelled', message: 'Cancelled.', advice: '' }));
        return;
      }
      const onAbort = () => {
        worker.postMessage({ type: 'cancel', id } satisfies ModelRequest);
        this.pending.delete(id);
        reject(new ModelCallError({ kind: 'cancelled', message: 'Cancelled.', advice: '' }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        progress,
        resolve: (event) => {
          signal?.removeEventListener('abort', onAbort);
          if (event.type === expect) resolve(event as Extract<ModelEvent, { type: T }>);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      worker.postMessage(build(id), transfer);
    });
  }

  /** What the device offers (WebGPU, shader-f16, threads). */
  async probe(): Promise<Capabilities> {
    return (await this.call((id) => ({ type: 'probe', id }), 'probed')).caps;
  }

  /** Sizes and cache state of the files a load would read. */
  async inspect(settings: LoadSettings): Promise<ModelFileInfo[]> {
    return (await this.call((id) => ({ type: 'inspect', id, settings }), 'inspected')).files;
  }

  async load(settings: LoadSettings, signal?: AbortSignal): Promise<LoadedModel> {
    return (await this.call((id) => ({ type: 'load', id, settings }), 'loaded', signal)).model;
  }

  /** Scores a photo; `image` is transferred to the worker (pass a copy you can spare). */
  async score(
    photoId: string,
    image: ImageBitmap,
    recipe: ScoringRecipe,
    signal?: AbortSignal,
  ): Promise<ScoreResult> {
    const event = await this.call(
      (id) => ({ type: 'score', id, photoId, image, recipe }),
      'scored',
      signal,
      [image],
    );
    return event.result;
  }

  /**
   * Generates text about a photo (a description or an answer), reporting the prompt and each
   * step's text to `onProgress`. `image` is transferred and used only if the worker has not
   * encoded this photo yet. Aborting stops generation between two tokens.
   */
  async generate(
    request: GenerationRequest,
    image: ImageBitmap,
    onProgress: (event: GenerationProgress) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult> {
    if (signal?.aborted) image.close();
    const event = await this.call(
      (id) => ({ type: 'generate', id, image, request }),
      'generated',
      signal,
      [image],
      (e) => onProgress(e as GenerationProgress),
    );
    return event.result;
  }

  /** Frees what the worker holds for a photo (its encoded image). */
  forget(photoId: string) {
    this.worker?.postMessage({ type: 'forget-photo', photoId } satisfies ModelRequest);
  }
}
