/**
 * A shoot folder the app remembered from an earlier visit, without the native folder picker (a
 * window a test cannot drive): a real directory handle in the origin's private file system,
 * stored in IndexedDB where the picker's handle would be (src/cull/folder-sources.ts).
 */
import type { Page } from '@playwright/test';

/** A file to put in the folder: its name and bytes. */
export interface FolderFile {
  name: string;
  bytes: number[];
}

/**
 * Makes `folder/sub` in the page origin's private file system with `files` in it and remembers
 * `folder` as the last shoot folder. Returns whether this browser has the directory picker (where
 * it has none the app never offers a remembered folder).
 */
export async function rememberShootFolder(
  page: Page,
  folder: string,
  sub: string,
  files: FolderFile[],
): Promise<boolean> {
  return page.evaluate(
    async ({ folder, sub, files }) => {
      const root = await navigator.storage.getDirectory();
      const top = await root.getDirectoryHandle(folder, { create: true });
      const inner = await top.getDirectoryHandle(sub, { create: true });
      for (const { name, bytes } of files) {
        const file = await inner.getFileHandle(name, { create: true });
        const writable = await file.createWritable();
        await writable.write(new Uint8Array(bytes));
        await writable.close();
      }
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('quality-lens-folders', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('handles');
        open.onsuccess = () => {
          const tx = open.result.transaction('handles', 'readwrite');
          tx.objectStore('handles').put(top, 'last-shoot');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      });
      return 'showDirectoryPicker' in window;
    },
    { folder, sub, files },
  );
}
