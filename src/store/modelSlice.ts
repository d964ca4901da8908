/**
 * The model: capabilities, settings, download/load state, and each photo's score. Loads are
 * cancellable (a settings change mid-download cancels the old one); scores run through the
 * pipeline's score queue, the photo on screen first, and stop when their photo is removed.
 */
import { parseImageMode, type ImageMode } from '../model/image-mode.ts';
import type { StateCreator } from 'zustand';
import { ModelCallError } from '../model/client.ts';
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
import { hangLimitFromLink } from '../model/hang-limit.ts';
import { QSIT_RECIPE, RECIPES, type ScoringRecipe } from '../model/recipes.ts';
import {
  DEFAULT_HUB_HOST,
  DEFAULT_MODEL_ID,
  hubHostName,
  parseHubHost,
  parseModelSource,
  type ModelSource,
} from '../model/source.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

export type ModelStatus =
  'probing' | 'inspecting' | 'needs-consent' | 'loading' | 'ready' | 'failed';

const errorDetail = (error: unknown): ModelError =>
  error instanceof ModelCallError
    ? error.detail
    : {
        kind: 'unknown',
        message: error instanceof Error ? error.message : String(error),
        advice: '',
      };

/** A photo's score, or where it is on its way to one. */
export interface PhotoScore {
  status: 'waiting' | 'scoring' | 'done' | 'failed';
  result?: ScoreResult;
  error?: ModelError;
  /** Which model, backend, precision and image mode produced the result. */
  by?: { modelId: string; device: Device; dtypes: DtypeMap; imageMode?: ImageMode };
}

export interface ModelState {
  caps: Capabilities | null;
  source: ModelSource;
  hubHost: string;
  device: Device | null;
  preset: PresetName | 'custom';
  dtypes: DtypeMap | null;
  recipe: ScoringRecipe;
  /** How photos are shown to the model: one crop (fast) or anyres tiles (reference). */
  imageMode: ImageMode;
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
  /** The person stops a download under way; nothing half-downloaded is kept. */
  cancelModelDownload(): void;
  /** The person picks another model source, backend or precision (a download under way stops). */
  changeModelSettings(change: {
    source?: ModelSource;
    device?: Device;
    preset?: PresetName;
  }): Promise<void>;
  /** Queues a photo for scoring; it runs as soon as the model is ready, the photo on screen first. */
  scorePhoto(photoId: string): void;
  /** The person picks another image mode: every scored photo is scored again in it. */
  setImageMode(mode: ImageMode): void;
  /** Drops a removed photo's score and the model worker's copy of its image. */
  forgetPhotoModelState(photoId: string): void;
}

/** Text from a link, shortened for a notice (React escapes it; this keeps the notice readable). */
const quoted = (value: string) => `“${value.length > 60 ? `${value.slice(0, 60)}…` : value}”`;

/**
 * The model host: the link's `?hub=`, else the build's VITE_HUB_HOST, else the Hub, each checked
 * by parseHubHost first. A refused one is named in a notice and the next in line is used, so a link
 * can never send the model download (or the app's requests) to an address it should not.
 */
export function chooseHubHost(
  linkValue: string | null,
  buildValue: string | undefined,
  notices: string[],
  /** Whether the site's Content Security Policy lets the app download from a host. */
  allowedByPolicy: (url: string) => boolean = () => true,
): string {
  let fallback = DEFAULT_HUB_HOST;
  if (buildValue) {
    const build = parseHubHost(buildValue);
    if (build.ok) fallback = build.url;
    else
      notices.push(`The build’s model host ${quoted(buildValue)} was refused: ${build.problem}.`);
  }
  if (linkValue === null) return fallback;
  const link = parseHubHost(linkValue);
  if (link.ok && allowedByPolicy(link.url)) return link.url;
  if (link.ok) {
    notices.push(
      `The link’s model host ${link.host} was refused: this site’s security policy allows model ` +
        `downloads only from the hosts its operator chose (the operator can add more; see ` +
        `docs/HOSTING.md); the model comes from ${hubHostName(fallback)} instead.`,
    );
    return fallback;
  }
  notices.push(
    `The link’s model host ${quoted(linkValue)} was refused (${link.problem}); ` +
      `the model comes from ${hubHostName(fallback)} instead.`,
  );
  return fallback;
}

/**
 * What a photo whose scoring stopped the model worker twice shows: it is not tried a third time by
 * itself (the model is loaded again and the other photos are scored), the person may try again.
 */
export function secondCrash(detail: ModelError): ModelError {
  return {
    kind: 'crashed',
    message: `Scoring this photo stopped the model worker twice, so it was not tried a third time. Last time: ${detail.message.charAt(0).toLowerCase()}${detail.message.slice(1)}`,
    advice:
      'The other photos are scored as usual. Try again; if this photo stops the model again, choose a smaller precision or WASM in Model settings.',
  };
}

export const createModelSlice =
  ({
    model: client,
    pipeline,
    services,
    modelHandlers,
  }: StoreContext): StateCreator<AppState, [], [], ModelSlice> =>
  (set, get) => {
    const patch = (change: Partial<ModelState>) =>
      set((s) => ({ model: { ...s.model, ...change } }));
    const setScore = (photoId: string, score: PhotoScore) =>
      set((s) => (s.photos[photoId] ? { scores: { ...s.scores, [photoId]: score } } : {}));

    /** The load under way (download included), so it can be cancelled. */
    let loading: AbortController | null = null;
    /** Bumped by every settings change: an older inspect or load must not write its result. */
    let settingsVersion = 0;
    /** Photos in the score queue (so a photo is never queued twice). */
    const queued = new Set<string>();
    /** Photos whose score was cut off by a worker crash once already (retried only once). */
    const crashedOnce = new Set<string>();
    /** Reloads after a crash, done by the app itself; past `AUTO_RELOADS` the person is asked. */
    let autoReloads = 0;
    const AUTO_RELOADS = 3;
    /** Times the GPU device under the model was lost this visit. */
    let gpuLosses = 0;

    modelHandlers.onEvent = (event: ModelEvent) => {
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
      }
    };

    modelHandlers.onCrash = (error) => {
      // The worker died and its model with it; the bridge already started a fresh worker. Load
      // again by itself (the files are in the browser's cache), a few times at most: a model that
      // keeps crashing is left for the person to retry or to choose a smaller precision.
      const wasReady = get().model.status === 'ready';
      // Not when its files are gone from the cache (deleted, or never kept for lack of space):
      // loading again would be a download the person did not agree to.
      const filesKept = !get().storage.freed && !get().model.loaded?.notStored;
      patch({ status: 'failed', error, loaded: null });
      if (wasReady && filesKept && autoReloads < AUTO_RELOADS) {
        autoReloads += 1;
        if (error.kind === 'webgpu') {
          // The GPU device was lost. Once is usually a reset: load again on a new device. A second
          // time, the GPU is not to be relied on this visit: the same files run on WASM.
          gpuLosses += 1;
          const onWasm = gpuLosses >= 2 && get().model.device === 'webgpu';
          if (onWasm) patch({ device: 'wasm' });
          patch({
            notice: onWasm
              ? `${error.message} It happened again, so the model was loaded on WASM (CPU) instead.`
              : `${error.message} The model was loaded again on a new GPU device.`,
          });
        } else {
          patch({ notice: `${error.message} It was loaded again by itself.` });
        }
        void get().startModel();
      }
    };

    const loadSettings = (): LoadSettings | null => {
      const m = get().model;
      if (!m.device || !m.dtypes) return null;
      return {
        source: m.source,
        device: m.device,
        dtypes: m.dtypes,
        appBase: services.appBase(),
        hubHost: m.hubHost,
        allowFallback: true,
      };
    };

    const inspectAndMaybeLoad = async () => {
      const settings = loadSettings();
      if (!settings) return;
      const version = settingsVersion;
      const problem = get().model.settingsProblem;
      patch({ status: 'inspecting', error: null });
      let files: ModelFileInfo[];
      try {
        files = await client.inspect(settings);
      } catch (error) {
        if (version === settingsVersion) patch({ status: 'failed', error: errorDetail(error) });
        return;
      }
      if (version !== settingsVersion) return;
      patch({ files });
      const nothingToDownload = settings.source.kind === 'local' || files.every((f) => f.cached);
      if (nothingToDownload && !problem) await get().startModel();
      else patch({ status: 'needs-consent' });
    };

    const scoreWaiting = () => {
      for (const [photoId, score] of Object.entries(get().scores)) {
        if (score.status === 'waiting') queueScore(photoId);
      }
    };

    const queueScore = (photoId: string) => {
      if (queued.has(photoId) || get().model.status !== 'ready') return;
      const signal = pipeline.signal(photoId);
      if (signal.aborted) return;
      queued.add(photoId);
      void pipeline.scoreQueue
        .run(photoId, () => runScore(photoId, signal), signal)
        .catch(() => {}) // cancelled while waiting: the photo is gone
        .finally(() => {
          queued.delete(photoId);
          // Sent back to waiting (the model went away under it): queue it for the next model.
          if (get().scores[photoId]?.status === 'waiting') queueScore(photoId);
        });
    };

    const runScore = async (photoId: string, signal: AbortSignal) => {
      const m = get().model;
      if (m.status !== 'ready' || !m.loaded) return;
      const by = {
        modelId: m.loaded.source.id,
        device: m.loaded.device,
        dtypes: m.loaded.dtypes,
        imageMode: m.imageMode,
      };
      setScore(photoId, { status: 'scoring', by });
      try {
        const result = await client.score(
          photoId,
          pipeline.source(photoId),
          m.recipe,
          signal,
          m.imageMode,
        );
        if (signal.aborted) return;
        // The mode changed while it ran: it waits to be scored again in the new one.
        if (get().model.imageMode !== m.imageMode) {
          setScore(photoId, { status: 'waiting' });
          return;
        }
        get().countWork('scores');
        crashedOnce.delete(photoId);
        setScore(photoId, { status: 'done', result, by });
      } catch (error) {
        if (signal.aborted) return;
        const detail = errorDetail(error);
        // The model went away under it (reloaded, settings changed, or its worker crashed for the
        // first time): it waits for the next model. A second crash on the same photo is shown.
        const retryAfterCrash = detail.kind === 'crashed' && !crashedOnce.has(photoId);
        if (retryAfterCrash) crashedOnce.add(photoId);
        const again = detail.kind === 'not-loaded' || isCancelled(error) || retryAfterCrash;
        const shown = detail.kind === 'crashed' ? secondCrash(detail) : detail;
        setScore(photoId, again ? { status: 'waiting' } : { status: 'failed', error: shown, by });
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
        imageMode: 'fast',
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
        let caps: Capabilities;
        try {
          caps = await client.probe();
        } catch (error) {
          patch({ status: 'failed', error: errorDetail(error) });
          return;
        }
        const defaults = defaultRuntime(caps);
        const source =
          parseModelSource(params.get('model') ?? services.buildDefaults.model ?? '') ??
          get().model.source;
        const notices: string[] = [];
        const hang = hangLimitFromLink(params);
        client.setHangLimit(hang.ms);
        if (hang.notice) notices.push(hang.notice);
        const hubHost = chooseHubHost(
          params.get('hub'),
          services.buildDefaults.hubHost,
          notices,
          services.buildDefaults.connectAllowed,
        );
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
        const imageModeParam = params.get('imageMode');
        const imageMode = parseImageMode(imageModeParam) ?? 'fast';
        if (imageModeParam !== null && !parseImageMode(imageModeParam)) {
          notices.push(`“${imageModeParam}” is not an image mode (fast or reference); using fast.`);
        }
        patch({
          caps,
          source,
          hubHost,
          device,
          recipe,
          imageMode,
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
        loading?.abort();
        const controller = new AbortController();
        loading = controller;
        patch({
          status: 'loading',
          error: null,
          progress: {},
          stage: 'Loading model files…',
          loaded: null,
        });
        try {
          const loaded = await client.load(settings, controller.signal);
          if (controller.signal.aborted) return;
          patch({ status: 'ready', loaded, stage: null, device: loaded.device });
          scoreWaiting();
          void get().noteModelLoaded(loaded);
        } catch (error) {
          if (controller.signal.aborted) return;
          patch({ status: 'failed', error: errorDetail(error), stage: null });
        } finally {
          if (loading === controller) loading = null;
        }
      },

      cancelModelDownload() {
        if (!loading) return;
        loading.abort();
        loading = null;
        settingsVersion += 1;
        patch({
          status: 'needs-consent',
          stage: null,
          progress: {},
          notice: 'The download was cancelled; nothing half-downloaded was kept.',
        });
      },

      async changeModelSettings(change) {
        const m = get().model;
        const device = change.device ?? m.device ?? 'wasm';
        const preset = change.preset ?? (m.preset === 'custom' ? 'q4' : m.preset);
        // A download under way is for the old settings: stop it before inspecting the new ones.
        loading?.abort();
        loading = null;
        settingsVersion += 1;
        patch({
          source: change.source ?? m.source,
          device,
          preset,
          dtypes: presetDtypes(preset),
          settingsProblem: m.caps ? presetProblem(preset, device, m.caps) : null,
          progress: {},
          stage: null,
        });
        await inspectAndMaybeLoad();
      },

      scorePhoto(photoId) {
        if (!get().photos[photoId]) return;
        // Asked for again (a new photo, or the person's Try again): it gets its retry once more.
        crashedOnce.delete(photoId);
        setScore(photoId, { status: 'waiting' });
        queueScore(photoId);
      },

      setImageMode(mode) {
        if (get().model.imageMode === mode) return;
        patch({ imageMode: mode });
        for (const [photoId, score] of Object.entries(get().scores)) {
          if (score.status === 'scoring') continue; // sent back to waiting when it ends
          setScore(photoId, { status: 'waiting' });
          queueScore(photoId);
        }
      },

      forgetPhotoModelState(photoId) {
        client.forget(photoId);
        crashedOnce.delete(photoId);
        set((s) => {
          const scores = { ...s.scores };
          delete scores[photoId];
          return { scores };
        });
      },
    };
  };
