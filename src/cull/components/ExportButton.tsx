import { useState } from 'react';
import { useAnyPhotoScored } from '../../store/hooks/useHandback.ts';
import { ExportDialog } from './ExportDialog.tsx';

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
      {open && <ExportDialog onClose={() => setOpen(false)} />}
    </>
  );
}
