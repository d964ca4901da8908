/**
 * The app store, made of slices by concern and built by a factory with its services injected
 * (`createAppStore(services)`, as xyflow builds a store per provider): the app passes the real
 * workers, tests pass fakes. Nothing lives beside it at module level. Components never import
 * this directly: they use the named hooks in store/hooks/, each with a small selector.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { createAttributesSlice, type AttributesSlice } from './attributesSlice.ts';
import { createChatSlice, type ChatSlice } from './chatSlice.ts';
import { createCullSlice, type CullSlice } from './cullSlice.ts';
import { createGroundingSlice, type GroundingSlice } from './groundingSlice.ts';
import { createCompareSlice, type CompareSlice } from './compareSlice.ts';
import { createGroupsSlice, type GroupsSlice } from './groupsSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createPhotosSlice, type PhotosSlice } from './photosSlice.ts';
import { Pipeline } from './pipeline.ts';
import { createPixelsSlice, type PixelsSlice } from './pixelsSlice.ts';
import { createQueueSlice, type QueueSlice } from './queueSlice.ts';
import { createQualityMapSlice, type QualityMapSlice } from './qualityMapSlice.ts';
import { createPersistSlice, type PersistSlice } from './persistSlice.ts';
import type { AppServices, ModelHandlers } from './services.ts';
import { createStorageSlice, type StorageSlice } from './storageSlice.ts';
import { createUpdateSlice, type UpdateSlice } from './updateSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';
import type { ModelService } from '../model/client.ts';

export type AppState = PhotosSlice &
  ModelSlice &
  PixelsSlice &
  ChatSlice &
  AttributesSlice &
  UpdateSlice &
  StorageSlice &
  CullSlice &
  GroupsSlice &
  ViewSlice &
  QueueSlice &
  PersistSlice &
  GroundingSlice &
  CompareSlice &
  QualityMapSlice;

/** What every slice is built with: the services, the photo pipeline and the model client. */
export interface StoreContext {
  services: AppServices;
  pipeline: Pipeline;
  model: ModelService;
  /** Filled in by the model slice: where the model client's events go. */
  modelHandlers: ModelHandlers;
}

/** A store with the pipeline behind it (tests and the debug view read the pipeline's figures). */
export type AppStore = StoreApi<AppState> & { pipeline: Pipeline };

export function createAppStore(services: AppServices): AppStore {
  const modelHandlers: ModelHandlers = { onEvent: () => {}, onCrash: () => {} };
  const model = services.model({
    onEvent: (event) => modelHandlers.onEvent(event),
    onCrash: (error) => modelHandlers.onCrash(error),
  });
  let state: (() => AppState) | null = null;
  const pipeline = new Pipeline(services, () => state?.().selectedPhotoId ?? null);
  const context: StoreContext = { services, pipeline, model, modelHandlers };
  const store = createStore<AppState>()((...a) => ({
    ...createPhotosSlice(context)(...a),
    ...createModelSlice(context)(...a),
    ...createPixelsSlice(context)(...a),
    ...createChatSlice(context)(...a),
    ...createAttributesSlice(context)(...a),
    ...createUpdateSlice(context)(...a),
    ...createStorageSlice(context)(...a),
    ...createCullSlice(context)(...a),
    ...createGroupsSlice(context)(...a),
    ...createViewSlice(context)(...a),
    ...createQueueSlice(context)(...a),
    ...createPersistSlice(context)(...a),
    ...createGroundingSlice(context)(...a),
    ...createCompareSlice(context)(...a),
    ...createQualityMapSlice(context)(...a),
  }));
  state = store.getState;
  return Object.assign(store, { pipeline });
}

const StoreContextReact = createContext<AppStore | null>(null);

/** Makes `store` the one the hooks below it read. */
export function AppStoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContextReact.Provider, { value: store }, children);
}

/** Reads the store of the nearest provider through a selector (used by the named hooks only). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContextReact);
  if (!store) throw new Error('useAppStore needs an <AppStoreProvider> above it.');
  return useStore(store, selector);
}
