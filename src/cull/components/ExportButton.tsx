import { lazy, Suspense, useState } from 'react';
import { useAnyPhotoScored, useShootFolderName } from '../../store/hooks/useHandback.ts';
import { canPickFolder, rememberedFolder } from '../folder-sources.ts';

/** The dialog and its XML and zip libraries are a chunk of their own, loaded on first use. */
const ExportDialog = lazy(() =>
  import('./ExportDialog.tsx').then((m) => ({ default: m.ExportDialog })),
);

/**
 * The folder handle the intake remembered (picker or drop), when it is the shoot's own folder:
 * the export writes the sidecars next to the originals through it.
 */
async function shootFolderHandle(name: string | null): Promise<FileSystemDirectoryHandle | null> {
  if (!name || !canPickFolder()) return null;
  const handle = await rememberedFolder();
  return handle?.name === name ? (handle as unknown as FileSystemDirectoryHandle) : null;
}

/** Opens the hand-back dialog; shown once at least one photo has a score. */
export function ExportButton() {
  const scored = useAnyPhotoScored();
  const folderName = useShootFolderName();
  const [open, setOpen] = useState(false);
  const [folder, setFolder] = useState<FileSystemDirectoryHandle | null>(null);
  if (!scored) return null;
  return (
    <>
      <button
        type="button"
        className="export-button"
        onClick={() => {
          void shootFolderHandle(folderName)
            .catch(() => null)
            .then((handle) => {
              setFolder(handle);
              setOpen(true);
            });
        }}
        aria-haspopup="dialog"
      >
        Export for your editor…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportDialog onClose={() => setOpen(false)} folder={folder} />
        </Suspense>
      )}
    </>
  );
}
