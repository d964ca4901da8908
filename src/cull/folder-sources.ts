/**
 * Where a shoot's files come from, each read with the path inside the folder kept: a drop (files
 * and folders, walked recursively), the File System Access directory picker (its handle remembered
 * in IndexedDB so the next visit can offer "Open <folder> again"), or a `<input webkitdirectory>`.
 */
import type { IncomingFile } from './intake.ts';

/** The parts of the File System Access API this app uses (Chromium; not in TypeScript's DOM lib). */
interface DirectoryHandle {
  kind: 'directory';
  name: string;
  entries(): AsyncIterableIterator<[string, DirectoryHandle | FileHandle]>;
  queryPermission?(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' }): Promise<PermissionState>;
}
interface FileHandle {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}
type PickerWindow = Window & {
  showDirectoryPicker?: (options?: { id?: string; mode?: 'read' }) => Promise<DirectoryHandle>;
};
type HandleItem = DataTransferItem & {
  getAsFileSystemHandle?: () => Promise<DirectoryHandle | FileHandle | null>;
};

/** A folder the person picked or dropped, remembered so it can be opened again. */
export type RememberedFolder = DirectoryHandle;

/** Most files read from one folder; a shoot of 2,000 frames with sidecars fits many times over. */
const MAX_FILES = 50_000;

/** The files of a picked or remembered folder, paths starting with the folder's name. */
export async function filesOfFolder(handle: DirectoryHandle): Promise<IncomingFile[]> {
  const files: IncomingFile[] = [];
  const walk = async (dir: DirectoryHandle, path: string): Promise<void> => {
    for await (const [name, child] of dir.entries()) {
      if (files.length >= MAX_FILES) return;
      if (child.kind === 'file')
        files.push({ file: await child.getFile(), path: `${path}/${name}` });
      else await walk(child, `${path}/${name}`);
    }
  };
  await walk(handle, handle.name);
  return files;
}

/** The files of a `<input webkitdirectory>` (or a plain multiple input), with their paths. */
export function filesOfInput(list: FileList | null): IncomingFile[] {
  return [...(list ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** What a drop brought: its files with paths, whether a folder was among them, and its handle. */
export interface DroppedFiles {
  files: IncomingFile[];
  hadFolder: boolean;
  /** The dropped folder's handle where the browser gives one (to offer it again next visit). */
  folder: Promise<DirectoryHandle | null>;
}

/**
 * Reads a drop. Both the entries and the handle must be asked for during the drop event itself
 * (the items are emptied afterwards), so this is called synchronously and awaits later.
 */
export function readDrop(transfer: DataTransfer): Promise<DroppedFiles> {
  const items = [...transfer.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  const first = items[0] as HandleItem | undefined;
  const folder =
    items.length === 1 && entries[0]?.isDirectory && first?.getAsFileSystemHandle
      ? first
          .getAsFileSystemHandle()
          .then((h) => (h?.kind === 'directory' ? h : null))
          .catch(() => null)
      : Promise.resolve(null);
  const loose = [...transfer.files];
  return (async () => {
    if (entries.every((e) => e === null)) {
      return { files: loose.map((file) => ({ file, path: file.name })), hadFolder: false, folder };
    }
    const files: IncomingFile[] = [];
    const walk = async (entry: FileSystemEntry): Promise<void> => {
      if (files.length >= MAX_FILES) return;
      const path = entry.fullPath.replace(/^\/+/, '');
      if (entry.isFile) {
        const file = await new Promise<File>((res, rej) =>
          (entry as FileSystemFileEntry).file(res, rej),
        );
        files.push({ file, path });
      } else if (entry.isDirectory) {
        const reader = (entry as FileSystemDirectoryEntry).createReader();
        // readEntries returns the folder in batches until an empty one.
        for (;;) {
          const batch = await new Promise<FileSystemEntry[]>((res, rej) =>
            reader.readEntries(res, rej),
          );
          if (batch.length === 0) break;
          for (const child of batch) await walk(child);
        }
      }
    };
    for (const entry of entries) if (entry) await walk(entry);
    return { files, hadFolder: entries.some((e) => e?.isDirectory), folder };
  })();
}

/** Whether this browser has the directory picker (Chromium on desktop). */
export const canPickFolder = (): boolean =>
  typeof (window as PickerWindow).showDirectoryPicker === 'function';

/** Asks for a folder with the browser's picker; null when the person cancels. */
export async function pickFolder(): Promise<DirectoryHandle | null> {
  try {
    return await (window as PickerWindow).showDirectoryPicker!({ id: 'shoot', mode: 'read' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return null;
    throw error;
  }
}

/** Asks again for permission to read a remembered folder (the browser shows a prompt). */
export async function mayReadFolder(handle: DirectoryHandle): Promise<boolean> {
  if ((await handle.queryPermission?.({ mode: 'read' })) === 'granted') return true;
  return (await handle.requestPermission?.({ mode: 'read' })) === 'granted';
}

const DB = 'quality-lens-folders';
const STORE = 'handles';
const KEY = 'last-shoot';

/** Runs one request against the small handle store (the handle is structured-cloneable). */
function withStore<T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB could not be opened'));
    open.onsuccess = () => {
      const db = open.result;
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => {
        db.close();
        resolve(request.result);
      };
      request.onerror = () => {
        db.close();
        reject(request.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
}

/** Remembers the last folder picked or dropped (a handle, never the photos). */
export const rememberFolder = (handle: DirectoryHandle): Promise<unknown> =>
  withStore('readwrite', (s) => s.put(handle, KEY));

/** The folder remembered from an earlier visit, if any (null where IndexedDB is unavailable). */
export async function rememberedFolder(): Promise<DirectoryHandle | null> {
  try {
    const handle = await withStore<unknown>('readonly', (s) => s.get(KEY));
    return handle && typeof handle === 'object' && 'entries' in handle
      ? (handle as DirectoryHandle)
      : null;
  } catch {
    return null;
  }
}

/** Forgets the remembered folder. */
export const forgetFolder = (): Promise<unknown> => withStore('readwrite', (s) => s.delete(KEY));
