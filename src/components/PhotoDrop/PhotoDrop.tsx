import { useEffect, useRef, useState, type DragEvent } from 'react';
import { usePhotoActions } from '../../store/hooks/usePhotos.ts';
import './PhotoDrop.css';

/** Extensions offered in the file picker (browsers do not all map HEIC/TIFF to image/*). */
const ACCEPT = 'image/*,.heic,.heif,.tif,.tiff,.avif,.webp';

/** Files from a drop, including the files inside dropped folders. */
async function filesFromDrop(event: DragEvent): Promise<File[]> {
  const items = [...event.dataTransfer.items];
  const entries = items.map((item) => item.webkitGetAsEntry?.()).filter((e) => e != null);
  if (entries.length === 0) return [...event.dataTransfer.files];
  const files: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      files.push(
        await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)),
      );
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
  for (const entry of entries) await walk(entry);
  return files.filter((f) => !f.name.startsWith('.'));
}

/** Where photos come in: drop (files or folders) anywhere on the page, pick, or paste. */
export function PhotoDrop({ compact = false }: { compact?: boolean }) {
  const { addFiles } = usePhotoActions();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

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

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void filesFromDrop(e).then(addFiles);
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
        <button type="button" onClick={() => input.current?.click()}>
          {compact ? 'Add photos' : 'Choose photos'}
        </button>
        {!compact && (
          <p className="photo-drop__hint">
            or paste one. JPEG, PNG, WebP, AVIF, GIF, TIFF, HEIC. Photos stay on this device.
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
            addFiles([...(e.target.files ?? [])]);
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
