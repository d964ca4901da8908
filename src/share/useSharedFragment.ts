/**
 * Whether the page was opened on a shared result (`#r=…`), kept in step with the address bar.
 * Not store state: the fragment is the source of truth, and the store never holds a shared
 * result, so a hostile link cannot reach the rest of the app.
 */
import { useSyncExternalStore } from 'react';
import { isSharedFragment } from './link.ts';

const LEFT = 'quality-lens:left-shared-result';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  window.addEventListener(LEFT, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(LEFT, onChange);
  };
}

function snapshot(): string | null {
  return isSharedFragment(window.location.hash) ? window.location.hash : null;
}

/** The `#r=…` fragment of the address, or null when the page is the normal app. */
export function useSharedFragment(): string | null {
  return useSyncExternalStore(subscribe, snapshot, () => null);
}

/** Leaves the shared result for the normal app; Back returns to the shared result. */
export function leaveSharedResult() {
  const { pathname, search } = window.location;
  window.history.pushState(null, '', pathname + search);
  window.dispatchEvent(new Event(LEFT));
}
