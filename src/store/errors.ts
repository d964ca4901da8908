/** Telling a cancelled call from a failed one, whichever layer said it. */
import { ModelCallError } from '../model/client.ts';
import { BridgeError } from '../lib/worker-bridge.ts';

/** True for work stopped on purpose (photo removed, Stop pressed, settings changed). */
export function isCancelled(error: unknown): boolean {
  return (
    (error instanceof BridgeError && error.kind === 'cancelled') ||
    (error instanceof ModelCallError && error.detail.kind === 'cancelled') ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}
