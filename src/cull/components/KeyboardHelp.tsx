/** The keyboard shortcuts, listed in a dialog that `?` opens and Esc or `?` closes. */
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../view.ts';

export function KeyboardHelp({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="keyboard-help__backdrop" onClick={onClose}>
      <div
        className="keyboard-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keyboard-help-title"
        data-testid="keyboard-help"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="keyboard-help-title">Keyboard shortcuts</h2>
        <p className="keyboard-help__note">
          As in Lightroom. They do nothing while you type in the chat or any other field.
        </p>
        <dl className="keyboard-help__list">
          {SHORTCUTS.map((s) => (
            <div key={s.keys}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <button ref={close} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
