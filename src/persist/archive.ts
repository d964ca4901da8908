/**
 * The shoots kept in IndexedDB: one record per photo (persist/record.ts) and one summary per shoot.
 * Written through `idb` (Jake Archibald's small promise wrapper, ~1 kB): it turns IndexedDB's
 * request/event API into promises and typed stores while leaving transactions and indexes as they
 * are, which is all this needs; a key-value wrapper (idb-keyval) has no indexes to find a shoot's
 * photos, and a database layer (Dexie) is far more than two stores need.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedPhoto } from './record.ts';

/** A shoot as it is listed: named by its folder, or "Loose photos, <date>". */
export interface ShootSummary {
  id: string;
  name: string;
  /** The dropped or picked folder's name, when it came from one. */
  folder: string | null;
  createdAt: number;
  updatedAt: number;
  photoCount: number;
  markedCount: number;
}

/** Photos to write and the shoot they belong to, in one transaction. */
export interface ArchiveWrite {
  shoot: Omit<ShootSummary, 'photoCount' | 'markedCount' | 'updatedAt'>;
  photos: SavedPhoto[];
}

/** Where shoots are kept (IndexedDB in the browser; the same code on fake-indexeddb in tests). */
export interface ShootArchive {
  /** Every saved shoot, the most recently changed first. */
  shoots(): Promise<ShootSummary[]>;
  /** The saved records of these fingerprints (those that have one). */
  lookUp(fingerprints: readonly string[]): Promise<Map<string, SavedPhoto>>;
  /** Writes photos' records and brings their shoot's counts up to date; returns the summary. */
  write(batch: ArchiveWrite): Promise<ShootSummary>;
  /** Deletes a shoot and every record in it. */
  forget(shootId: string): Promise<void>;
  /** Deletes every shoot. */
  forgetAll(): Promise<void>;
}

interface ShootDb extends DBSchema {
  photos: {
    key: string;
    value: SavedPhoto;
    indexes: { shoot: string; shootMarked: [string, number] };
  };
  shoots: { key: string; value: ShootSummary };
}

export const ARCHIVE_DB = 'quality-lens-shoots';

/** The archive on the browser's IndexedDB (in Node tests, fake-indexeddb's). */
export function createIdbArchive(name = ARCHIVE_DB): ShootArchive {
  let opened: Promise<IDBPDatabase<ShootDb>> | null = null;
  const db = () => {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(new Error('IndexedDB is not available in this browser.'));
    }
    opened ??= openDB<ShootDb>(name, 1, {
      upgrade(database) {
        const photos = database.createObjectStore('photos', { keyPath: 'fingerprint' });
        photos.createIndex('shoot', 'shootId');
        photos.createIndex('shootMarked', ['shootId', 'marked']);
        database.createObjectStore('shoots', { keyPath: 'id' });
      },
    }).catch((error: unknown) => {
      opened = null; // try again next time (e.g. after the person freed space)
      throw error;
    });
    return opened;
  };

  return {
    async shoots() {
      const all = await (await db()).getAll('shoots');
      return all.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async lookUp(fingerprints) {
      const tx = (await db()).transaction('photos');
      const found = await Promise.all(fingerprints.map((f) => tx.store.get(f)));
      await tx.done;
      const map = new Map<string, SavedPhoto>();
      for (const record of found) if (record) map.set(record.fingerprint, record);
      return map;
    },
    async write({ shoot, photos }) {
      const tx = (await db()).transaction(['photos', 'shoots'], 'readwrite');
      const store = tx.objectStore('photos');
      for (const photo of photos) void store.put(photo);
      const [photoCount, markedCount] = await Promise.all([
        store.index('shoot').count(shoot.id),
        store.index('shootMarked').count(IDBKeyRange.only([shoot.id, 1])),
      ]);
      const summary: ShootSummary = { ...shoot, photoCount, markedCount, updatedAt: Date.now() };
      void tx.objectStore('shoots').put(summary);
      await tx.done;
      return summary;
    },
    async forget(shootId) {
      const tx = (await db()).transaction(['photos', 'shoots'], 'readwrite');
      const photos = tx.objectStore('photos');
      for (const key of await photos.index('shoot').getAllKeys(shootId)) void photos.delete(key);
      void tx.objectStore('shoots').delete(shootId);
      await tx.done;
    },
    async forgetAll() {
      const tx = (await db()).transaction(['photos', 'shoots'], 'readwrite');
      void tx.objectStore('photos').clear();
      void tx.objectStore('shoots').clear();
      await tx.done;
    },
  };
}
