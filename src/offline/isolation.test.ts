import { describe, expect, it } from 'vitest';
import { shouldReloadForIsolation, type IsolationFacts } from './isolation.ts';

/** A first visit to a host without the headers, with the worker active and nothing under way. */
const canHelp: IsolationFacts = {
  isolated: false,
  secureContext: true,
  workerActive: true,
  reloadedBefore: false,
  idle: true,
};

describe('shouldReloadForIsolation', () => {
  it('reloads once when the active service worker can isolate an idle page', () => {
    expect(shouldReloadForIsolation(canHelp)).toBe(true);
  });

  it.each<[string, Partial<IsolationFacts>]>([
    ['the page is isolated already (the host sends the headers)', { isolated: true }],
    ['the browser has no notion of isolation', { isolated: undefined }],
    ['no secure context, so no service worker', { secureContext: false }],
    ['no active service worker', { workerActive: false }],
    ['it reloaded once already this session (no loop)', { reloadedBefore: true }],
    ['the person is at work (photos, a download)', { idle: false }],
  ])('does not reload when %s', (_why, change) => {
    expect(shouldReloadForIsolation({ ...canHelp, ...change })).toBe(false);
  });
});
