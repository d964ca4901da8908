import { useEffect, useState } from 'react';
import { decodeSharedFragment } from '../link.ts';
import type { Checked, SharedResult } from '../payload.ts';
import { decodeThumbnail } from '../thumbnail.ts';
import { leaveSharedResult } from '../useSharedFragment.ts';
import { ReportCardButton } from './ReportCardButton.tsx';
import { SharedResultBody } from './SharedResultBody.tsx';
import './Share.css';

/**
 * The page a shared link opens: the result read-only, or — for a damaged or hostile link — a
 * sentence saying why nothing is shown. The model is not loaded and nothing from the link runs.
 */
export function SharedResultView({ fragment }: { fragment: string }) {
  const [opened, setOpened] = useState<{ fragment: string; checked: Checked<SharedResult> }>();
  useEffect(() => {
    let live = true;
    void decodeSharedFragment(fragment).then((checked) => live && setOpened({ fragment, checked }));
    return () => {
      live = false;
    };
  }, [fragment]);
  const checked = opened?.fragment === fragment ? opened.checked : null;

  return (
    <div className="app">
      <header className="app__header">
        <h1>Quality Lens</h1>
        <p className="app__tagline">
          Explainable photo quality, computed on the device. Photos never leave it.
        </p>
      </header>
      <main
        className="shared"
        data-testid="shared-result"
        data-status={!checked ? 'opening' : checked.ok ? 'ready' : 'failed'}
      >
        {!checked && <p role="status">Opening the shared result…</p>}
        {checked && !checked.ok && (
          <section className="shared__failed" role="alert" data-testid="shared-error">
            <h2>This shared link cannot be opened</h2>
            <p>{checked.problem}</p>
            <p className="shared__note">Nothing from the link was shown or run.</p>
          </section>
        )}
        {checked?.ok && (
          <p className="shared__banner" role="note" data-testid="shared-banner">
            Shared result — the photo itself is not included
          </p>
        )}
        <div className="share__actions">
          <button type="button" className="shared__try" onClick={leaveSharedResult}>
            Try your own photo
          </button>
          {checked?.ok && (
            <ReportCardButton
              result={checked.value}
              thumbnail={async () =>
                checked.value.thumbnail ? decodeThumbnail(checked.value.thumbnail) : null
              }
            />
          )}
        </div>
        {checked?.ok && <SharedResultBody result={checked.value} />}
      </main>
    </div>
  );
}
