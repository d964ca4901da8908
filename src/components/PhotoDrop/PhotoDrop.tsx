import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  canPickFolder,
  filesOfFolder,
  filesOfInput,
  mayReadFolder,
  pickFolder,
  readDrop,
  rememberedFolder,
  rememberFolder,
  type RememberedFolder,
} from '../../cull/folder-sources.ts';
import type { IncomingFile } from '../../cull/intake.ts';
import { usePhotoActions } from '../../store/hooks/usePhotos.ts';
import './PhotoDrop.css';

/** Extensions offered in the file picker (browsers do not all map HEIC/TIFF/RAW to image/*). */
const ACCEPT =
  'image/*,.heic,.heif,.tif,.tiff,.avif,.webp,.cr2,.cr3,.nef,.arw,.raf,.orf,.rw2,.dng,.xmp';

/** Loose files are a shoot when RAW+JPEG pairs or sidecars may be among them. */
const looksLikeShoot = (files: readonly IncomingFile[]) =>
  files.some(({ file }) => /\.(cr2|cr3|nef|arw|raf|orf|rw2|dng|xmp)$/i.test(file.name));

/**
 * Where photos come in: drop (files or folders) anywhere on the page, pick files or a folder, or
 * paste. A folder (or loose RAWs and sidecars) comes in as a shoot, summed up in one line.
 */
export function PhotoDrop({ compact = false }: { compact?: boolean }) {
  const { addFiles, addShoot } = usePhotoActions();
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [lastFolder, setLastFolder] = useState<RememberedFolder | null>(null);

  useEffect(() => {
    // React has no prop for it: the folder input lists a folder's files with their paths.
    folderInput.current?.setAttribute('webkitdirectory', '');
    let live = true;
    if (canPickFolder()) void rememberedFolder().then((h) => live && setLastFolder(h));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length > 0) {
        e.preventDefault();
        addFiles(files);
      }
    };
    const onDragOver = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) {
        e.preventDefault();
        setDragging(true);
      }
    };
    const onDragLeave = (e: globalThis.DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
    };
  }, [addFiles]);

  const addIncoming = (files: IncomingFile[], asShoot: boolean) => {
    if (asShoot || looksLikeShoot(files)) addShoot(files);
    else addFiles(files.map((f) => f.file).filter((f) => !f.name.startsWith('.')));
  };

  const remember = (handle: RememberedFolder) => {
    setLastFolder(handle);
    void rememberFolder(handle).catch(() => undefined);
  };

  const openFolder = async (handle: RememberedFolder) => {
    remember(handle);
    addShoot(await filesOfFolder(handle));
  };

  const chooseFolder = async () => {
    if (!canPickFolder()) {
      folderInput.current?.click();
      return;
    }
    const handle = await pickFolder();
    if (handle) await openFolder(handle);
  };

  /** The remembered folder, after the browser's permission prompt. */
  const openAgain = async () => {
    if (lastFolder && (await mayReadFolder(lastFolder))) await openFolder(lastFolder);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void readDrop(e.dataTransfer).then(({ files, hadFolder, folder }) => {
      addIncoming(files, hadFolder);
      void folder.then((h) => h && remember(h));
    });
  };

  return (
    <>
      <div
        className={compact ? 'photo-drop photo-drop--compact' : 'photo-drop'}
        data-testid="photo-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
      >
        {!compact && <p className="photo-drop__title">Drop photos or a folder here</p>}
        <div className="photo-drop__buttons">
          <button type="button" onClick={() => input.current?.click()}>
            {compact ? 'Add photos' : 'Choose photos'}
          </button>
          <button type="button" onClick={() => void chooseFolder()} data-testid="choose-folder">
            {compact ? 'Add a folder' : 'Choose a folder'}
          </button>
          {lastFolder && (
            <button type="button" onClick={() => void openAgain()} data-testid="open-folder-again">
              Open {lastFolder.name} again
            </button>
          )}
        </div>
        {!compact && (
          <p className="photo-drop__hint">
            or paste one. JPEG, PNG, WebP, AVIF, GIF, TIFF, HEIC, and RAW files (CR2, CR3, NEF, ARW,
            RAF, ORF, RW2, DNG) by the preview the camera embedded. Photos stay on this device.
          </p>
        )}
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          multiple
          hidden
          data-testid="photo-input"
          onChange={(e) => {
            addIncoming(filesOfInput(e.target.files), false);
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          data-testid="folder-input"
          onChange={(e) => {
            addShoot(filesOfInput(e.target.files));
            e.target.value = '';
          }}
        />
      </div>
      {dragging && (
        <div className="photo-drop__overlay" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          Drop to add photos
        </div>
      )}
    </>
  );
}
