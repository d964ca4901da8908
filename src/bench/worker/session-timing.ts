/// <reference lib="webworker" />
/**
 * Times every onnxruntime `session.run` in this worker, by wrapping `run` on the prototype of the
 * InferenceSession class that transformers.js itself imports (the same bundled module), and every
 * call of transformers.js's image processor (resize, rescale, normalise), the largest piece of
 * JavaScript work before the vision encoder. The benchmark page takes the records with a
 * `bench-take-runs` message and a MessagePort.
 */
import { ImageProcessor } from '@huggingface/transformers';
import { InferenceSession } from 'onnxruntime-web/webgpu';
import type { SessionRun, TakeRunsRequest } from '../protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

interface TimedSession {
  inputNames: readonly string[];
  run: AsyncMethod;
}

/** Which of the three graphs a session is, from its inputs. */
function sessionName(session: TimedSession): string {
  const inputs = session.inputNames;
  if (inputs.includes('pixel_values')) return 'vision_encoder';
  if (inputs.includes('input_ids')) return 'embed_tokens';
  if (inputs.includes('inputs_embeds')) return 'decoder_model_merged';
  return inputs.join(',');
}

const records: SessionRun[] = [];

/** Replaces `target[key]` with a version that records its duration. */
function timeMethod<T extends object>(
  target: T,
  key: string,
  describe: (self: T) => Pick<SessionRun, 'kind' | 'session'>,
) {
  const methods = target as unknown as Record<string, AsyncMethod>;
  const original = methods[key];
  if (typeof original !== 'function') throw new Error(`Cannot time ${key}: not a method`);
  methods[key] = async function timed(this: T, ...args: unknown[]) {
    const startNow = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      const ms = performance.now() - startNow;
      records.push({ ...describe(this), start: performance.timeOrigin + startNow, ms });
    }
  };
}

timeMethod(
  (InferenceSession as unknown as { prototype: TimedSession }).prototype,
  'run',
  (session) => ({ kind: 'run', session: sessionName(session) }),
);
timeMethod((ImageProcessor as unknown as { prototype: object }).prototype, '_call', () => ({
  kind: 'stage',
  session: 'image_processor',
}));

self.addEventListener('message', (event: MessageEvent<TakeRunsRequest | { type?: string }>) => {
  if (event.data?.type !== 'bench-take-runs') return;
  event.ports[0]?.postMessage(records.splice(0));
});
