import { lazy, Suspense, useState } from 'react';
import { useAnyPhotoScored } from '../../store/hooks/useHandback.ts';

/** The dialog and its XML and zip libraries are a chunk of their own, loaded on first use. */
const ExportDialog = lazy(() =>
  import('./ExportDialog.tsx').then((m) => ({ default: m.ExportDialog })),
);

/** Opens the hand-back dialog; shown once at least one photo has a score. */
export function ExportButton() {
  const scored = useAnyPhotoScored();
  const [open, setOpen] = useState(false);
  if (!scored) return null;
  return (
    <>
      <button
        type="button"
        className="export-button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
      >
        Export for your editor…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
