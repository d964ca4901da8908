/** The store's services in the browser: the real workers and image calls. */
import { GroupingClient } from '../cull/grouping-client.ts';
import { ModelClient } from '../model/client.ts';
import { policyAllowsConnect } from '../offline/worker/content-policy.ts';
import { makeThumbnail } from '../photos/thumbnail.ts';
import { PixelsClient } from '../pixels/client.ts';
import { createBrowserModelStorage } from '../storage/model-storage.ts';
import { DEFAULT_LIMITS, type AppServices, type PipelineLimits } from './services.ts';

/** The real workers and browser calls. */
export function createBrowserServices(limits: Partial<PipelineLimits> = {}): AppServices {
  return {
    pixels: new PixelsClient(),
    grouping: new GroupingClient(),
    model: (handlers) => new ModelClient(handlers.onEvent, { onCrash: handlers.onCrash }),
    images: {
      copy: (bitmap) => createImageBitmap(bitmap),
      thumbnail: (bitmap) => makeThumbnail(bitmap),
      revoke: (url) => URL.revokeObjectURL(url),
    },
    storage: createBrowserModelStorage(),
    limits: { ...DEFAULT_LIMITS, ...limits },
    appBase: () => new URL('./', document.baseURI).href,
    buildDefaults: {
      model: import.meta.env.VITE_DEFAULT_MODEL,
      hubHost: import.meta.env.VITE_HUB_HOST,
      connectAllowed: (url) => {
        // The build writes its policy into index.html; the dev server's page has none.
        const policy = document
          .querySelector('meta[http-equiv="Content-Security-Policy"]')
          ?.getAttribute('content');
        return !policy || policyAllowsConnect(policy, url, location.origin);
      },
    },
  };
}
