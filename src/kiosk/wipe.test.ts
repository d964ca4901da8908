import { describe, expect, it } from 'vitest';
import { MODEL_CACHE } from '../model/worker/model-cache.ts';
import { APP_CACHE_PREFIX } from '../offline/worker/app-caches.ts';
import { APP_FILES_CACHE_PREFIX, isKioskOwnCache } from './wipe.ts';

describe('what a kiosk reset keeps', () => {
  it('keeps the model and the app’s own files, nothing else', () => {
    expect(APP_FILES_CACHE_PREFIX).toBe(APP_CACHE_PREFIX);
    expect(isKioskOwnCache(MODEL_CACHE)).toBe(true);
    expect(isKioskOwnCache(`${APP_CACHE_PREFIX}abc123`)).toBe(true);
    for (const name of ['visitor-photos', 'shoot-results', 'transformers-cache-old', '']) {
      expect(isKioskOwnCache(name)).toBe(false);
    }
  });
});
