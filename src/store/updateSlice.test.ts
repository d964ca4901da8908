/** The "new version ready" notice, on the real store with a stand-in for the page's registration. */
import { describe, expect, it } from 'vitest';
import type { OfflineUpdates } from '../offline/protocol.ts';
import { createAppStore } from './index.ts';
import { fakeServices } from './testing/fakes.ts';

describe('a new version of the app', () => {
  it('is announced when the service worker has one waiting, and applied only when asked', () => {
    let announce = () => {};
    let applied = 0;
    const offline: OfflineUpdates = {
      onUpdateReady: (listener) => void (announce = listener),
      applyUpdate: () => void (applied += 1),
    };
    const store = createAppStore({ ...fakeServices().services, offline });
    expect(store.getState().updateReady).toBe(false);
    announce();
    expect(store.getState().updateReady).toBe(true);
    expect(applied).toBe(0);
    store.getState().reloadToUpdate();
    expect(applied).toBe(1);
  });
});
