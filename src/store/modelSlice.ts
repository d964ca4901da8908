/** The model: capabilities, settings, download/load state, and each photo's score. */
import type { StateCreator } from 'zustand';
import { copyBitmap } from '../photos/bitmaps.ts';
import { ModelCallError, ModelClient } from '../model/client.ts';
import {
  defaultRuntime,
  parseDtypeSetting,
  presetDtypes,
  presetProblem,
  PRESETS,
  type Capabilities,
  type Device,
  type DtypeMap,
  type PresetName,
} from '../model/precision.ts';
import type {
  FileProgress,
  LoadedModel,
  LoadSettings,
  ModelError,
  ModelEvent,
  ModelFileInfo,
  ScoreResult,
} from '../model/protocol.ts';
import { QSIT_RECIPE, RECIPES, type ScoringRecipe } from '../model/recipes.ts';
import {
  DEFAULT_HUB_HOST,
  DEFAULT_MODEL_ID,
  parseModelSource,
  type ModelSource,
} from '../model/source.ts';
import type { AppState } from './index.ts';

export type ModelStatus =
  'probing' | 'inspecting' | 'needs-consent' | 'loading' | 'ready' | 'failed';

/** A photo's score, or where it is on its way to one. */
export interface PhotoScore {
  status: 'waiting' | 'scoring' | 'done' | 'failed';
  result?: ScoreResult;
  error?: ModelError;
  /** Which model, backend and precision produced the result. */
  by?: { modelId: string; device: Device; dtypes: DtypeMap };
}

export interface ModelState {
  caps: Capabilities | null;
  source: ModelSource;
  hubHost: string;
  device: Device | null;
  preset: PresetName | 'custom';
  dtypes: DtypeMap | null;
  recipe: ScoringRecipe;
  status: ModelStatus;
  files: ModelFileInfo[];
  progress: Record<string, FileProgress>;
  stage: string | null;
  loaded: LoadedModel | null;
  error: ModelError | null;
  /** Why the chosen settings cannot run here (shown before loading). */
  settingsProblem: string | null;
  /** A choice the app made for the person, and why (e.g. WebGPU asked for but unavailable). */
  notice: string | null;
}

export interface ModelSlice {
  model: ModelState;
  scores: Record<string, PhotoScore>;
  /** Reads settings from the URL, probes the device, and loads at once when nothing must be downloaded. */
  initModel(params: URLSearchParams): Promise<void>;
  /** The person agrees to the download (or retries after a failure). */
  startModel(): Promise<void>;
  /** The person picks another model source, backend or precision. */
  changeModelSettings(change: {
    source?: ModelSource;
    device?: Device;
    preset?: PresetName;
  }): Promise<void>;
  /** Queues a photo for scoring; it runs as soon as the model is ready. */
  scorePhoto(photoId: string): void;
  /** Drops a removed photo's score and the model worker's copy of its image. */
  forgetPhotoModelState(photoId: string): void;
}

let client: ModelClient | null = null;

/** The one model client, for other slices that call the model (chat); null before init. */
export function sharedModelClient(): ModelClient | null {
  return client;
}

function appBase(): string {
  return new URL('./', document.baseURI).href;
}

export const createModelSlice: StateCreator<AppState, [], [], ModelSlice> = (set, get) => {
  const patch = (change: Partial<ModelState>) => set((s) => ({ model: { ...s.model, ...change } }));
  const setScore = (photoId: string, score: PhotoScore) =>
    set((s) => ({ scores: { ...s.scores, [photoId]: score } }));

  const onEvent = (event: ModelEvent) => {
    if (event.type === 'file-progress') {
      const p = event.progress;
      set((s) => {
        const prev = s.model.progress[p.file];
        const next = p.done
          ? { ...(prev ?? p), done: true, loaded: prev?.total ?? 0, total: prev?.total ?? 0 }
          : p;
        return { model: { ...s.model, progress: { ...s.model.progress, [p.file]: next } } };
      });
    } else if (event.type === 'load-stage') {
      patch({ stage: event.stage });
    } else if (event.type === 'failed' && event.id === 0) {
      // The worker crashed: whatever it held is gone.
      patch({ status: 'failed', error: event.error, loaded: null });
    }
  };

  const modelClient = () => (client ??= new ModelClient(onEvent));

  const loadSettings = (): LoadSettings | null => {
    const m = get().model;
    if (!m.device || !m.dtypes) return null;
    return {
      source: m.source,
      device: m.device,
      dtypes: m.dtypes,
      appBase: appBase(),
      hubHost: m.hubHost,
      allowFallback: true,
    };
  };

  const inspectAndMaybeLoad = async () => {
    const settings = loadSettings();
    if (!settings) return;
    const problem = get().model.settingsProblem;
    patch({ status: 'inspecting', error: null });
    const files = await modelClient().inspect(settings);
    patch({ files });
    const nothingToDownload = settings.source.kind === 'local' || files.every((f) => f.cached);
    if (nothingToDownload && !problem) await get().startModel();
    else patch({ status: 'needs-consent' });
  };

  const scoreWaiting = () => {
    for (const [photoId, score] of Object.entries(get().scores)) {
      if (score.status === 'waiting') void runScore(photoId);
    }
  };

  const runScore = async (photoId: string) => {
    const m = get().model;
    if (m.status !== 'ready' || !m.loaded) return;
    const by = { modelId: m.loaded.source.id, device: m.loaded.device, dtypes: m.loaded.dtypes };
    setScore(photoId, { status: 'scoring', by });
    try {
      const image = await copyBitmap(photoId);
      const result = await modelClient().score(photoId, image, m.recipe);
      setScore(photoId, { status: 'done', result, by });
    } catch (error) {
      const detail =
        error instanceof ModelCallError
          ? error.detail
          : { kind: 'unknown' as const, message: String(error), advice: '' };
      if (!get().photos[photoId]) return;
      setScore(
        photoId,
        detail.kind === 'not-loaded'
          ? { status: 'waiting' }
          : { status: 'failed', error: detail, by },
      );
    }
  };

  return {
    model: {
      caps: null,
      source: { kind: 'hub', id: DEFAULT_MODEL_ID },
      hubHost: DEFAULT_HUB_HOST,
      device: null,
      preset: 'q4',
      dtypes: null,
      recipe: QSIT_RECIPE,
      status: 'probing',
      files: [],
      progress: {},
      stage: null,
      loaded: null,
      error: null,
      settingsProblem: null,
      notice: null,
    },
    scores: {},

    async initModel(params) {
      const caps = await modelClient().probe();
      const defaults = defaultRuntime(caps);
      const source =
        parseModelSource(params.get('model') ?? import.meta.env.VITE_DEFAULT_MODEL ?? '') ??
        get().model.source;
      const hubHost = params.get('hub') ?? import.meta.env.VITE_HUB_HOST ?? DEFAULT_HUB_HOST;
      const notices: string[] = [];
      const modelParam = params.get('model');
      if (modelParam && !parseModelSource(modelParam)) {
        notices.push(`“${modelParam}” is not a model id or local:folder; using ${source.id}.`);
      }
      const deviceParam = params.get('device');
      let device: Device = defaults.device;
      if (deviceParam === 'wasm') device = 'wasm';
      else if (deviceParam === 'webgpu' && caps.webgpu) device = 'webgpu';
      else if (deviceParam === 'webgpu') {
        notices.push(
          `WebGPU was asked for but is not available here (${caps.webgpuProblem ?? 'no adapter'}); running on WASM instead.`,
        );
      }
      const precisionParam = params.get('precision') ?? '';
      const custom =
        precisionParam && !(precisionParam in PRESETS) ? parseDtypeSetting(precisionParam) : null;
      if (precisionParam && !(precisionParam in PRESETS) && !custom) {
        notices.push(`“${precisionParam}” is not a precision this app knows; using the default.`);
      }
      const preset: PresetName =
        precisionParam in PRESETS
          ? (precisionParam as PresetName)
          : device === defaults.device
            ? defaults.preset
            : defaultRuntime({ ...caps, webgpu: device === 'webgpu' }).preset;
      const recipe = RECIPES[params.get('recipe') ?? 'qsit'] ?? QSIT_RECIPE;
      patch({
        caps,
        source,
        hubHost,
        device,
        recipe,
        preset: custom ? 'custom' : preset,
        dtypes: custom ?? presetDtypes(preset),
        settingsProblem: custom ? null : presetProblem(preset, device, caps),
        notice: notices.length > 0 ? notices.join(' ') : null,
      });
      await inspectAndMaybeLoad();
    },

    async startModel() {
      const settings = loadSettings();
      if (!settings) return;
      patch({
        status: 'loading',
        error: null,
        progress: {},
        stage: 'Loading model files…',
        loaded: null,
      });
      try {
        const loaded = await modelClient().load(settings);
        patch({ status: 'ready', loaded, stage: null, device: loaded.device });
        scoreWaiting();
      } catch (error) {
        const detail =
          error instanceof ModelCallError
            ? error.detail
            : { kind: 'unknown' as const, message: String(error), advice: '' };
        patch({ status: 'failed', error: detail, stage: null });
      }
    },

    async changeModelSettings(change) {
      const m = get().model;
      const device = change.device ?? m.device ?? 'wasm';
      const preset = change.preset ?? (m.preset === 'custom' ? 'q4' : m.preset);
      patch({
        source: change.source ?? m.source,
        device,
        preset,
        dtypes: presetDtypes(preset),
        settingsProblem: m.caps ? presetProblem(preset, device, m.caps) : null,
      });
      await inspectAndMaybeLoad();
    },

    scorePhoto(photoId) {
      setScore(photoId, { status: 'waiting' });
      void runScore(photoId);
    },

    forgetPhotoModelState(photoId) {
      client?.forget(photoId);
      set((s) => {
        const scores = { ...s.scores };
        delete scores[photoId];
        return { scores };
      });
    },
  };
};
