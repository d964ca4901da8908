/**
 * The eval page (`npm run eval` builds it with Vite and drives it in headless Chromium). It talks
 * to the app's own model worker through the app's ModelClient, as the UI does, and exposes one
 * call per photo on `window.qualityLensEval`: no UI, so thousands of photos go through quickly.
 * Photos are fetched from the runner's localhost server and never leave the machine.
 */
import type { AnswerConfidence } from '../model/questions.ts';
import { ModelClient } from '../model/client.ts';
import type { ImageMode } from '../model/image-mode.ts';
import { presetDtypes, presetProblem } from '../model/precision.ts';
import { QSIT_RECIPE } from '../model/recipes.ts';
import { parseModelSource } from '../model/source.ts';
import type {
  EvalAnswer,
  EvalLoaded,
  EvalLoadSpec,
  EvalPageApi,
  EvalRuntime,
  EvalScore,
} from './protocol.ts';

let client: ModelClient | null = null;
let nextPhoto = 0;

function requireClient(): ModelClient {
  if (!client) throw new Error('Load a model first.');
  return client;
}

/**
 * The photo as the browser decodes it, full size. EXIF orientation is not applied: the papers'
 * evaluation code opens photos with PIL, which does not apply it either.
 */
async function decodePhoto(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${url}`);
  const blob = await response.blob();
  try {
    return await createImageBitmap(blob, { imageOrientation: 'none' });
  } catch {
    throw new Error('The browser could not decode this file as an image.');
  }
}

/** Scores a decoded photo under a fresh id; the caller forgets the id when done with it. */
async function scoreBitmap(model: ModelClient, bitmap: ImageBitmap, mode: ImageMode) {
  const photoId = `eval-${nextPhoto++}`;
  // The worker takes (and closes) a copy; this page keeps the original for the dimensions.
  const result = await model.score(
    photoId,
    () => createImageBitmap(bitmap),
    QSIT_RECIPE,
    undefined,
    mode,
  );
  return { photoId, result };
}

/** Chromium's software WebGPU (SwiftShader) is far slower than WASM: `auto` never picks it. */
const isSoftwareAdapter = (name: string | undefined) => /swiftshader/i.test(name ?? '');

/** The device and precision for a spec, from what the browser offers (as the app chooses). */
async function chooseRuntime(model: ModelClient, spec: EvalLoadSpec): Promise<EvalRuntime> {
  const caps = await model.probe();
  const usable = caps.webgpu && !isSoftwareAdapter(caps.adapterName);
  const device = spec.device === 'auto' ? (usable ? 'webgpu' : 'wasm') : spec.device;
  // The app's defaults: 8-bit on WASM, 4-bit (with fp16 where the GPU has shader-f16) on WebGPU.
  const precision = spec.precision ?? (device === 'wasm' ? 'q8' : caps.shaderF16 ? 'q4f16' : 'q4');
  const problem = presetProblem(precision, device, caps);
  if (problem) throw new Error(problem);
  return { device, precision, adapter: caps.adapterName ?? null };
}

const api: EvalPageApi = {
  async runtime(spec: EvalLoadSpec): Promise<EvalRuntime> {
    client ??= new ModelClient(() => {});
    return chooseRuntime(client, spec);
  },

  async load(spec: EvalLoadSpec): Promise<EvalLoaded> {
    const source = parseModelSource(spec.model);
    if (!source) throw new Error(`Not a model id or local:<folder>: ${spec.model}`);
    // One client for the page: after a crash its fresh worker is loaded again.
    client ??= new ModelClient(() => {});
    const { device, precision, adapter } = await chooseRuntime(client, spec);
    const started = performance.now();
    const loaded = await client.load({
      source,
      device,
      dtypes: presetDtypes(precision),
      appBase: `${location.origin}/`,
      hubHost: spec.hubHost,
      allowFallback: false,
    });
    return {
      device: loaded.device,
      precision,
      adapter,
      fallbackReason: loaded.fallbackReason ?? null,
      loadMs: performance.now() - started,
    };
  },

  async score(url: string, mode: ImageMode): Promise<EvalScore> {
    const model = requireClient();
    const started = performance.now();
    const bitmap = await decodePhoto(url);
    try {
      const { photoId, result } = await scoreBitmap(model, bitmap, mode);
      model.forget(photoId);
      return {
        score: result.score,
        probabilities: [...result.probabilities],
        levelLogits: [...result.levelLogits],
        levelTokenIds: [...result.levelTokenIds],
        imageMode: result.imageMode,
        imageTokens: result.imageTokens,
        width: bitmap.width,
        height: bitmap.height,
        ms: performance.now() - started,
      };
    } finally {
      bitmap.close();
    }
  },

  async answer(
    url: string,
    mode: ImageMode,
    question: string,
    letters: string[],
  ): Promise<EvalAnswer> {
    const model = requireClient();
    const started = performance.now();
    const bitmap = await decodePhoto(url);
    let photoId: string | null = null;
    try {
      // Scoring first encodes the photo in the chosen mode; the question continues from it.
      photoId = (await scoreBitmap(model, bitmap, mode)).photoId;
      let confidence: AnswerConfidence | undefined;
      await model.generate(
        {
          photoId,
          turns: [{ role: 'user', text: question, withImage: true }],
          maxNewTokens: 1,
          sampling: { kind: 'greedy' },
          repetitionPenalty: 1,
          contextTokens: 32768,
          answerWords: letters,
        },
        () => createImageBitmap(bitmap),
        (event) => {
          if (event.type === 'generation-started') confidence = event.confidence;
        },
      );
      if (!confidence) throw new Error('The model worker gave no answer probabilities.');
      return { ...confidence, ms: performance.now() - started };
    } finally {
      if (photoId) model.forget(photoId);
      bitmap.close();
    }
  },
};

(window as unknown as { qualityLensEval: EvalPageApi }).qualityLensEval = api;
document.title = 'Quality Lens eval page (ready)';
