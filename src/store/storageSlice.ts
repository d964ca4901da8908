/**
 * Storage that is honest: how much room the downloaded model takes and the site has, whether the
 * browser promised to keep it (asked right after a download), and deleting it on request. That a
 * cache write failed (storage full) is reported by the worker on the loaded model
 * (`LoadedModel.notStored`) and shown with the ready line.
 */
import type { StateCreator } from 'zustand';
import type { LoadedModel } from '../model/protocol.ts';
import { modelFileUrl } from '../model/source.ts';
import type { CachedFiles, StorageFigures } from '../storage/model-storage.ts';
import type { AppState, StoreContext } from './index.ts';

export interface StorageState {
  /** This site's usage and quota; null until measured or where the browser does not say. */
  figures: StorageFigures | null;
  /** The current model's files in the browser cache. */
  model: CachedFiles | null;
  /** Whether the browser keeps this site's storage when space runs low (null: cannot say). */
  persisted: boolean | null;
  /** Whether persistence was asked for on this visit (after a download). */
  persistAsked: boolean;
  /** What "Delete downloaded model" freed: its files, and the site's usage before and after. */
  freed: (CachedFiles & { usageBefore: number | null; usageAfter: number | null }) | null;
  deleting: boolean;
  error: string | null;
}

export interface StorageSlice {
  storage: StorageState;
  /** Measures the model's files, the site's usage and quota, and persistence. */
  refreshStorage(): Promise<void>;
  /** Called when a model is ready: after a download that was kept, asks for persistent storage. */
  noteModelLoaded(loaded: LoadedModel): Promise<void>;
  /** The person frees the downloaded model; the loaded one keeps running from memory. */
  deleteDownloadedModel(): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createStorageSlice =
  ({ services }: StoreContext): StateCreator<AppState, [], [], StorageSlice> =>
  (set, get) => {
    const patch = (change: Partial<StorageState>) =>
      set((s) => ({ storage: { ...s.storage, ...change } }));
    const folderUrl = () => {
      const m = get().model;
      return modelFileUrl(m.source, '', services.appBase(), m.hubHost);
    };
    const storage = services.storage;

    return {
      storage: {
        figures: null,
        model: null,
        persisted: null,
        persistAsked: false,
        freed: null,
        deleting: false,
        error: null,
      },

      async refreshStorage() {
        try {
          const [figures, model, persisted] = await Promise.all([
            storage.estimate(),
            storage.measure(folderUrl()),
            storage.persisted(),
          ]);
          patch({ figures, model, persisted });
        } catch (error) {
          patch({ error: `Could not read this browser’s storage: ${message(error)}` });
        }
      },

      async noteModelLoaded(loaded) {
        // Asked once the files are in the cache: then there is something worth keeping, and the
        // person has just agreed to a large download (Firefox shows a prompt; Chromium decides by
        // itself from how the site is used).
        // Downloaded again after a delete: the files are back.
        if (!loaded.fromCache) patch({ freed: null });
        if (!loaded.fromCache && !loaded.notStored && !get().storage.persistAsked) {
          patch({ persistAsked: true });
          try {
            patch({ persisted: await storage.persist() });
          } catch {
            patch({ persisted: false });
          }
        }
        await get().refreshStorage();
      },

      async deleteDownloadedModel() {
        if (get().storage.deleting) return;
        patch({ deleting: true, error: null, freed: null });
        try {
          const before = await storage.estimate();
          const removed = await storage.remove(folderUrl());
          const after = await storage.estimate();
          patch({
            freed: {
              ...removed,
              usageBefore: before?.usage ?? null,
              usageAfter: after?.usage ?? null,
            },
          });
          // The next visit must download again: say so before it starts.
          set((s) => ({
            model: { ...s.model, files: s.model.files.map((f) => ({ ...f, cached: false })) },
          }));
        } catch (error) {
          patch({ error: `The model could not be deleted: ${message(error)}` });
        } finally {
          patch({ deleting: false });
          await get().refreshStorage();
        }
      },
    };
  };
