/**
 * Nothing lost: each photo's results are kept in the shoot archive (IndexedDB) and put back when
 * the same file (name + size + modified time) is added again, on this visit or a later one, so its
 * measures and score are not computed again. The photo itself is still decoded for its thumbnail
 * and the view (files cannot be kept; only results are).
 *
 * A shoot is the photos added since the app started or was cleared (removeAllPhotos), named by
 * the folder they came from, else "Loose photos, <date>". Writes are batched: store changes mark
 * photos dirty, and one transaction a little later writes them all. When storage fails (no
 * IndexedDB, private mode, full) the app says so once and works on without saving.
 */
import type { StateCreator } from 'zustand';
import type { AppState, StoreContext } from './index.ts';
import { fileFingerprint } from './photosSlice.ts';
import type { ShootArchive, ShootSummary } from '../persist/archive.ts';
import {
  APP_VERSION,
  isMarked,
  PERSISTED_FIELDS,
  RECORD_FORMAT,
  sameProducer,
  type SavedPhoto,
  type SavedScore,
} from '../persist/record.ts';

/** Which stages a photo's saved results spared it. */
export interface Restored {
  score: boolean;
  measures: boolean;
}

const NOTHING_RESTORED: Restored = Object.freeze({ score: false, measures: false });

/** How long after a change its batch is written (changes meanwhile join the batch). */
export const FLUSH_DELAY_MS = 800;

export interface PersistSlice {
  /** The shoot the photos in the list belong to (null before the first photo, or when forgotten). */
  shoot: ShootSummary | null;
  /** A shoot saved on an earlier visit, offered until its files come back or it is forgotten. */
  savedShoot: ShootSummary | null;
  /** Why results cannot be saved here; the app works on without saving. */
  persistProblem: string | null;
  /** Photos whose results came back from the archive, and which stages that spared. */
  restored: Record<string, Restored>;
  /** Results changed and not yet written (the e2e waits for false before reloading). */
  savePending: boolean;
  /** Opens the archive and offers the last saved shoot (the app calls it once at start). */
  openArchive(): Promise<void>;
  /** Looks up saved results for photos just added (photosSlice.addFiles calls it). */
  lookUpSaved(added: readonly { id: string; file: File; folder?: string }[]): void;
  /** What the photo's saved results spare it; its intake waits for this before measure and score. */
  savedResults(photoId: string): Promise<Restored>;
  /**
   * For the folder intake (drop, picker, folder input): the name of the folder the next photos
   * come from, so a new shoot is named by it and `savedShoot.folder` can be matched with a
   * remembered directory handle ("Open '<folder>' again" → addFiles with its files). Call it
   * before addFiles.
   */
  noteShootFolder(folder: string): void;
  /** Deletes a saved shoot; the current one is no longer saved until the list is cleared. */
  forgetShoot(shootId: string): Promise<void>;
  /** Deletes every saved shoot (storage settings). */
  forgetEverything(): Promise<void>;
  /** Writes what is waiting now (tests, and the page going away). */
  flushSaved(): Promise<void>;
  /** The list was cleared: the next photos start a new shoot. */
  endShoot(): void;
  /** A removed photo's bookkeeping goes (its saved record stays for when it comes back). */
  forgetPhotoSaved(photoId: string): void;
}

/** "Loose photos, 30 Nov 2026". */
export const looseShootName = (at: number) =>
  `Loose photos, ${new Date(at).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })}`;

/** The top folder a file came from: the ingest's shoot folder, else the folder input's path. */
const topFolder = (file: File, folder?: string): string | null => {
  const path = folder || (file as File & { webkitRelativePath?: string }).webkitRelativePath || '';
  const top = path.split('/')[0];
  return top && top !== file.name ? top : null;
};

/** The sentence for a storage failure. */
export function storageProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError') {
    return 'This device’s storage for the app is full, so results are no longer saved. Free space (Storage settings) to save them again; everything on screen keeps working.';
  }
  return `Results cannot be saved in this browser (${detail}), for example in a private window. Everything works, but a reload loses the results.`;
}

export const createPersistSlice =
  ({ services }: StoreContext): StateCreator<AppState, [], [], PersistSlice> =>
  (set, get, api) => {
    const archive: ShootArchive | undefined = services.archive;
    /** Photo id → its fingerprint and the folder it came from. */
    const files = new Map<string, { fingerprint: string; name: string }>();
    /** Photo id → the lookup of its saved results. */
    const pending = new Map<string, Promise<Restored>>();
    /** Saved fields of photos that came back, kept so fields this visit lacks are not lost. */
    const savedFields = new Map<string, Record<string, unknown>>();
    /** Photo id → the watched value of each field when last written. */
    const written = new Map<string, unknown[]>();
    const dirty = new Set<string>();
    /** Photos whose saved results were looked up (written before that, a record would be lost). */
    const lookedUp = new Set<string>();
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let flushing: Promise<void> = Promise.resolve();
    /** False after the current shoot was forgotten: nothing more of it is written. */
    let saving = true;
    /** The shoot being decided for the first photos (their lookup says if it is a saved one). */
    let choosingShoot: Promise<void> | null = null;
    let opened: Promise<ShootSummary[]> = Promise.resolve([]);
    /** The folder the intake said the next photos come from. */
    let nextFolder: string | null = null;

    const fail = (error: unknown) => {
      if (!get().persistProblem) set({ persistProblem: storageProblem(error) });
    };

    const watched = (s: AppState, id: string) => PERSISTED_FIELDS.map((f) => f.watch(s, id));

    const schedule = () => {
      if (flushTimer !== null || !archive) return;
      if (!get().savePending) set({ savePending: true });
      flushTimer = setTimeout(() => {
        flushTimer = null;
        void flush();
      }, FLUSH_DELAY_MS);
    };

    /** Builds the dirty photos' records now and writes them after any write under way. */
    const flush = (): Promise<void> => {
      const shoot = get().shoot;
      if (!archive || !shoot || !saving || dirty.size === 0) return flushing;
      const s = get();
      const photos: SavedPhoto[] = [];
      for (const id of dirty) {
        const file = files.get(id);
        if (!lookedUp.has(id)) continue; // stays dirty until its lookup is in
        dirty.delete(id);
        if (!file || !s.photos[id]) continue;
        const fields: Record<string, unknown> = { ...savedFields.get(id) };
        for (const field of PERSISTED_FIELDS) {
          const value = field.save(s, id);
          if (value === undefined) delete fields[field.name];
          else fields[field.name] = value;
        }
        written.set(id, watched(s, id));
        photos.push({
          format: RECORD_FORMAT,
          fingerprint: file.fingerprint,
          shootId: shoot.id,
          appVersion: APP_VERSION,
          name: file.name,
          savedAt: Date.now(),
          marked: isMarked(s.marks[id]) ? 1 : 0,
          fields,
        });
      }
      if (photos.length === 0) return flushing;
      flushing = flushing.then(async () => {
        try {
          const summary = await archive.write({ shoot, photos });
          if (saving && get().shoot?.id === summary.id) set({ shoot: summary });
        } catch (error) {
          fail(error);
        }
        if (dirty.size === 0 && flushTimer === null) set({ savePending: false });
      });
      return flushing;
    };

    // Results that changed since they were written make their photo dirty.
    api.subscribe((s, prev) => {
      if (!archive || !saving) return;
      if (
        s.scores === prev.scores &&
        s.pixelAnalyses === prev.pixelAnalyses &&
        s.marks === prev.marks &&
        s.groupOf === prev.groupOf &&
        s.groups === prev.groups
      ) {
        return;
      }
      for (const id of s.photoOrder) {
        const before = written.get(id);
        const now = watched(s, id);
        if (!before || now.some((v, i) => v !== before[i])) dirty.add(id);
      }
      if (dirty.size > 0) schedule();
    });

    // Scores put back before the model was known are checked once it is: another model's are redone.
    api.subscribe((s, prev) => {
      if (s.model.status !== 'ready' || prev.model.status === 'ready') return;
      for (const [id, r] of Object.entries(s.restored)) {
        if (r.score && !sameProducer(s.scores[id]?.by, s)) {
          set((st) => ({ restored: { ...st.restored, [id]: { ...r, score: false } } }));
          get().scorePhoto(id);
        }
      }
    });

    /** The shoot for the first photos added: the saved one they belong to, or a new one. */
    const chooseShoot = async (
      added: readonly { file: File; folder?: string }[],
      found: Map<string, SavedPhoto>,
    ) => {
      const savedId = [...found.values()][0]?.shootId;
      const saved = savedId ? (await opened.catch(() => [])).find((x) => x.id === savedId) : null;
      if (saved) {
        set({ shoot: saved, savedShoot: null });
        return;
      }
      const first = added[0]!;
      const folder = nextFolder ?? topFolder(first.file, first.folder);
      const now = Date.now();
      set({
        shoot: {
          id: `s${now.toString(36)}${Math.random().toString(36).slice(2, 6)}`,
          name: folder ?? looseShootName(now),
          folder,
          createdAt: now,
          updatedAt: now,
          photoCount: 0,
          markedCount: 0,
        },
      });
    };

    /** Puts saved results back into the store; says which stages they spare each photo. */
    const restore = (
      added: readonly { id: string; fingerprint: string }[],
      found: Map<string, SavedPhoto>,
    ): Map<string, Restored> => {
      const result = new Map<string, Restored>();
      let next = get();
      let patch: Partial<AppState> = {};
      for (const { id, fingerprint } of added) {
        const record = found.get(fingerprint);
        if (!record || record.format !== RECORD_FORMAT || !next.photos[id]) continue;
        savedFields.set(id, record.fields);
        // Measures, scores and groups of another app version are made again; marks always return.
        const computedOk = record.appVersion === APP_VERSION;
        const r: Restored = { score: false, measures: false };
        for (const field of PERSISTED_FIELDS) {
          const value = record.fields[field.name];
          if (value === undefined) continue;
          if (field.name !== 'marks' && !computedOk) continue;
          if (field.name === 'score' && !sameProducer((value as SavedScore).by, next)) continue;
          const change = field.restore(next, id, value);
          patch = { ...patch, ...change };
          next = { ...next, ...change };
          if (field.name === 'score') r.score = true;
          if (field.name === 'measures') r.measures = true;
        }
        if (r.score || r.measures) result.set(id, r);
      }
      const restoredNow = Object.fromEntries(result);
      set({ ...patch, restored: { ...get().restored, ...restoredNow } });
      // What came back is what the archive holds for this shoot: not written again unless it changes.
      const s = get();
      for (const { id, fingerprint } of added) {
        if (result.has(id) && found.get(fingerprint)?.shootId === s.shoot?.id) {
          written.set(id, watched(s, id));
          dirty.delete(id);
        }
      }
      return result;
    };

    return {
      shoot: null,
      savedShoot: null,
      persistProblem: null,
      restored: {},
      savePending: false,

      async openArchive() {
        if (!archive) return;
        opened = archive.shoots();
        try {
          const shoots = await opened;
          const last = shoots[0];
          if (last && !get().shoot && last.photoCount > 0) set({ savedShoot: last });
        } catch (error) {
          fail(error);
        }
      },

      lookUpSaved(added) {
        if (!archive) return;
        const entries = added.map(({ id, file, folder }) => {
          const fingerprint = fileFingerprint(file);
          files.set(id, { fingerprint, name: file.name });
          dirty.add(id);
          return { id, file, folder, fingerprint };
        });
        const lookup = (async () => {
          let found = new Map<string, SavedPhoto>();
          try {
            await opened.catch(() => []);
            found = await archive.lookUp(entries.map((e) => e.fingerprint));
          } catch (error) {
            fail(error);
          }
          if (!get().shoot && saving) {
            choosingShoot ??= chooseShoot(entries, found).finally(() => {
              choosingShoot = null;
            });
          }
          await choosingShoot;
          const restored = restore(entries, found);
          for (const { id } of entries) lookedUp.add(id);
          schedule();
          return restored;
        })();
        for (const { id } of entries) {
          pending.set(
            id,
            lookup.then((r) => r.get(id) ?? NOTHING_RESTORED),
          );
        }
      },

      noteShootFolder(folder) {
        nextFolder = folder.split('/')[0] || null;
        const shoot = get().shoot;
        if (shoot && !shoot.folder && nextFolder) set({ shoot: { ...shoot, folder: nextFolder } });
      },

      savedResults(photoId) {
        return pending.get(photoId) ?? Promise.resolve(NOTHING_RESTORED);
      },

      async forgetShoot(shootId) {
        if (!archive) return;
        if (get().shoot?.id === shootId) {
          saving = false;
          dirty.clear();
          set({ shoot: null });
        }
        if (get().savedShoot?.id === shootId) set({ savedShoot: null });
        await flushing;
        try {
          await archive.forget(shootId);
        } catch (error) {
          fail(error);
        }
      },

      async forgetEverything() {
        if (!archive) return;
        if (get().shoot) {
          saving = false;
          dirty.clear();
        }
        set({ shoot: null, savedShoot: null });
        await flushing;
        try {
          await archive.forgetAll();
        } catch (error) {
          fail(error);
        }
      },

      flushSaved() {
        if (flushTimer !== null) {
          clearTimeout(flushTimer);
          flushTimer = null;
        }
        return flush();
      },

      endShoot() {
        void get().flushSaved();
        saving = true;
        nextFolder = null;
        written.clear();
        savedFields.clear();
        set({ shoot: null, restored: {} });
      },

      forgetPhotoSaved(photoId) {
        files.delete(photoId);
        pending.delete(photoId);
        lookedUp.delete(photoId);
        written.delete(photoId);
        savedFields.delete(photoId);
        dirty.delete(photoId);
        if (photoId in get().restored) {
          set((s) => {
            const restored = { ...s.restored };
            delete restored[photoId];
            return { restored };
          });
        }
      },
    };
  };
