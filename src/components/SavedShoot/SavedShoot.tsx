import { useSavedShoot, useSavedShootActions } from '../../store/hooks/useSavedShoot.ts';
import './SavedShoot.css';

const photos = (n: number) => `${n} photo${n === 1 ? '' : 's'}`;

/**
 * The shoot kept on this device: after a reload or a crash, what is saved and how to carry on
 * (the files themselves cannot be kept, so the person drops the folder again and the results come
 * back as the files do); while working, which shoot the results are saved under, with "Forget
 * this shoot". Says so when results cannot be saved here.
 */
export function SavedShoot() {
  const { saved, current, restoredCount, problem, savePending } = useSavedShoot();
  const { forgetShoot } = useSavedShootActions();
  return (
    <>
      {saved && (
        <section
          className="saved-shoot"
          data-testid="saved-shoot"
          data-photos={saved.photoCount}
          role="status"
        >
          <p>
            Your shoot ‘{saved.name}’ ({photos(saved.photoCount)}, {saved.markedCount} marked) is
            saved here — drop the folder again to carry on.
          </p>
          <button type="button" onClick={() => void forgetShoot(saved.id)}>
            Forget this shoot
          </button>
        </section>
      )}
      {!saved && current && (
        <section
          className="saved-shoot saved-shoot--current"
          data-testid="current-shoot"
          data-restored={restoredCount}
          data-saved-photos={current.photoCount}
          data-save-pending={savePending}
        >
          <p>
            Saved on this device as ‘{current.name}’
            {restoredCount > 0 && `; ${photos(restoredCount)} carried on from before`}.
          </p>
          <button type="button" onClick={() => void forgetShoot(current.id)}>
            Forget this shoot
          </button>
        </section>
      )}
      {problem && (
        <p className="saved-shoot__problem" role="alert" data-testid="persist-problem">
          {problem}
        </p>
      )}
    </>
  );
}
