import {
  useFailedPhotoCount,
  usePhotoActions,
  usePhotoNotice,
} from '../../store/hooks/usePhotos.ts';
import '../PhotoStrip/PhotoStrip.css';

/**
 * A word about the last files added (the shoot's summary, files already in the list) and a button
 * that clears the files that could not be opened. Shown in every view, and before any photo is in
 * the list: a folder with nothing usable in it still says why.
 */
export function PhotoNotices() {
  const notice = usePhotoNotice();
  const failed = useFailedPhotoCount();
  const { clearFailedPhotos } = usePhotoActions();
  return (
    <>
      <p className="photo-strip__notice" role="status" data-testid="photo-notice">
        {notice}
      </p>
      {failed > 0 && (
        <button
          type="button"
          className="photo-strip__clear-failed"
          onClick={clearFailedPhotos}
          data-testid="clear-failed"
        >
          Clear {failed} {failed === 1 ? 'file' : 'files'} that could not be opened
        </button>
      )}
    </>
  );
}
