import { useEffect, useRef, useState } from 'react';
import { sha256Hex } from './config.ts';

/** Wrong PINs in a row before the dialog locks for a minute. */
const MAX_TRIES = 5;
const LOCK_MS = 60_000;

/**
 * Leaving kiosk mode, for the operator: reached by a hidden gesture, then a PIN (checked against
 * its SHA-256 from kiosk.json; the PIN itself is nowhere in the app). Without a PIN set it says so.
 */
export function OperatorDialog({
  pinSha256,
  onLeave,
  onClose,
}: {
  pinSha256: string | null;
  onLeave(): void;
  onClose(): void;
}) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const tries = useRef(0);
  const lockedUntil = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  const submit = async () => {
    if (pinSha256 === null) return onLeave();
    if (Date.now() < lockedUntil.current) {
      setMessage('Too many wrong PINs. Wait a minute.');
      return;
    }
    if ((await sha256Hex(pin)) === pinSha256) return onLeave();
    tries.current += 1;
    setPin('');
    if (tries.current >= MAX_TRIES) {
      tries.current = 0;
      lockedUntil.current = Date.now() + LOCK_MS;
      setMessage('Too many wrong PINs. Wait a minute.');
    } else setMessage('Wrong PIN.');
  };

  const press = (key: string) =>
    setPin((p) => (key === '⌫' ? p.slice(0, -1) : (p + key).slice(0, 12)));

  return (
    <div className="kiosk-overlay" role="dialog" aria-modal="true" aria-labelledby="operator-title">
      <form
        className="kiosk-operator"
        data-testid="operator-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="operator-title">Operator</h2>
        {pinSha256 === null ? (
          <p>No operator PIN is set for this kiosk (kiosk.json). Leave kiosk mode?</p>
        ) : (
          <>
            <label htmlFor="operator-pin">PIN</label>
            <input
              id="operator-pin"
              ref={input}
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value.slice(0, 12))}
            />
            <div className="kiosk-operator__pad" aria-label="Keypad">
              {['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0'].map((key) => (
                <button
                  key={key}
                  type="button"
                  aria-label={key === '⌫' ? 'Delete' : key}
                  onClick={() => press(key)}
                >
                  {key}
                </button>
              ))}
            </div>
          </>
        )}
        {message && (
          <p role="alert" className="kiosk-operator__message">
            {message}
          </p>
        )}
        <div className="kiosk-operator__actions">
          <button type="button" className="kiosk-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="kiosk-button kiosk-button--primary">
            Leave kiosk mode
          </button>
        </div>
      </form>
    </div>
  );
}
