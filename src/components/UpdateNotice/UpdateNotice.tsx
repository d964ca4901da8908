import { useAppUpdate } from '../../store/hooks/useAppUpdate.ts';
import './UpdateNotice.css';

/** "A new version is ready — reload", once the offline service worker has one waiting. */
export function UpdateNotice() {
  const { updateReady, reloadToUpdate } = useAppUpdate();
  if (!updateReady) return null;
  return (
    <div className="update-notice" role="status" data-testid="update-ready">
      <p>A new version of Quality Lens is ready. Reloading clears the photos added in this tab.</p>
      <button type="button" onClick={reloadToUpdate}>
        Reload
      </button>
    </div>
  );
}
