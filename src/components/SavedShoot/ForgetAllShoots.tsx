import { useState } from 'react';
import { useSavedShootActions } from '../../store/hooks/useSavedShoot.ts';

/**
 * Storage settings' line for saved shoots: every shoot's results (never the photos) are kept on
 * this device until forgotten here or one by one.
 */
export function ForgetAllShoots() {
  const { forgetEverything } = useSavedShootActions();
  const [forgotten, setForgotten] = useState(false);
  return (
    <p className="model-storage__shoots" data-testid="storage-shoots">
      Scores, measures and marks of your shoots are kept in this browser (never the photos).{' '}
      <button
        type="button"
        onClick={() => void forgetEverything().then(() => setForgotten(true))}
        data-testid="forget-all-shoots"
      >
        Forget all saved shoots
      </button>
      {forgotten && <span role="status"> All saved shoots were forgotten.</span>}
    </p>
  );
}
