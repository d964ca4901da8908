/**
 * Where the hand-back's files go: into the shoot's folder through the File System Access API
 * (Chromium, after the person confirmed), or into one zip that any browser can download.
 *
 * The zip is made with fflate rather than client-zip: it is a well-kept, dependency-free library
 * that zips synchronously in the browser and in Node alike (so the tests unzip with the same
 * library the app zips with, and compare with ExifTool's reading), and a few hundred sidecars and
 * JPEG copies fit in memory at once.
 */
import { zipSync, type Zippable } from 'fflate';
import type { HandbackFile, HandbackOutcome } from './handback.ts';

/** The zip's file name. */
export const SIDECARS_ZIP = 'quality-lens-xmp.zip';

/** The files in one zip, at their paths inside the shoot's folder (JPEG copies already stored). */
export function zipHandback(files: readonly HandbackFile[]): Uint8Array {
  const entries: Zippable = {};
  // JPEGs do not shrink: store them; XMP text deflates well.
  for (const f of files) entries[f.path] = [f.bytes, { level: f.kind === 'copy' ? 0 : 6 }];
  return zipSync(entries);
}

/** Whether this browser can write into a folder the person picks (Chromium's File System Access API). */
export function canWriteToFolder(): boolean {
  return typeof window !== 'undefined' && 'showDirectoryPicker' in window;
}

/** Asks the person for the shoot's folder, with permission to write into it. */
export async function pickShootFolder(): Promise<FileSystemDirectoryHandle> {
  const picker = (
    window as unknown as {
      showDirectoryPicker(options: { mode: 'readwrite' }): Promise<FileSystemDirectoryHandle>;
    }
  ).showDirectoryPicker;
  return picker({ mode: 'readwrite' });
}

/** The permission calls of a directory handle (Chromium; not in TypeScript's DOM lib). */
type PermissionHandle = FileSystemDirectoryHandle & {
  queryPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
};

/**
 * Whether the app may write into a folder it was given to read (the remembered shoot folder):
 * asks the browser, which prompts the person once. False when refused or not askable.
 */
export async function mayWriteFolder(folder: FileSystemDirectoryHandle): Promise<boolean> {
  const handle = folder as PermissionHandle;
  try {
    if ((await handle.queryPermission?.({ mode: 'readwrite' })) === 'granted') return true;
    return (await handle.requestPermission?.({ mode: 'readwrite' })) === 'granted';
  } catch {
    return false;
  }
}

/**
 * Writes the files into `folder` (the shoot's folder: a handle the ingest remembered, or one just
 * picked) as they come, creating subfolders as needed; a sidecar already there is replaced by its
 * merged version. Returns how many were written and the problems the files came with; the first
 * failure to write stops it, with the file's path in the message.
 */
export async function writeIntoFolder(
  folder: FileSystemDirectoryHandle,
  outcomes: AsyncIterable<HandbackOutcome> | Iterable<HandbackOutcome>,
): Promise<{ written: number; problems: string[] }> {
  let written = 0;
  const problems: string[] = [];
  for await (const outcome of outcomes) {
    if ('problem' in outcome) {
      problems.push(outcome.problem);
      continue;
    }
    const file = outcome.file;
    const parts = file.path.split('/');
    const name = parts.pop()!;
    try {
      let dir = folder;
      for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(file.bytes as Uint8Array<ArrayBuffer>);
      await writable.close();
      written++;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not write ${file.path} into ${folder.name}: ${why}`, { cause: error });
    }
  }
  return { written, problems };
}
