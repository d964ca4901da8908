/**
 * What the store is given to do its work: the two worker clients and the few browser calls it
 * needs (bitmap copies, thumbnails). The app passes the real ones (`createBrowserServices`); tests
 * pass fakes, so every race in the pipeline can be played out in Node.
 */
import type { GroupingService } from '../cull/grouping-client.ts';
import type { ModelService } from '../model/client.ts';
import type { ModelError, ModelEvent } from '../model/protocol.ts';
import type { OfflineUpdates } from '../offline/protocol.ts';
import type { PixelsService } from '../pixels/client.ts';
import type { ShootArchive } from '../persist/archive.ts';
import type { ModelStorage } from '../storage/model-storage.ts';

/** Where the model client's events go (the store's model slice). */
export interface ModelHandlers {
  onEvent(event: ModelEvent): void;
  onCrash(error: ModelError): void;
}

/** Browser image calls, kept apart so the store runs in Node with fakes. */
export interface ImageTools {
  /** A copy of a bitmap that may be transferred to a worker. */
  copy(bitmap: ImageBitmap): Promise<ImageBitmap>;
  /** A small JPEG of a decoded photo, as an object URL. */
  thumbnail(bitmap: ImageBitmap): Promise<string>;
  /** Frees a thumbnail's object URL. */
  revoke(url: string): void;
}

/** How much work runs at once and how much memory it may hold. */
export interface PipelineLimits {
  /** Photos decoded and measured at once (each holds a full-size picture while it is decoded). */
  decodes: number;
  /** Bytes of decoded working bitmaps kept on the main thread; the rest are decoded again when needed. */
  bitmapBudgetBytes: number;
  /** Most working bitmaps kept, whatever their size (small photos would otherwise fill the bytes). */
  bitmapsKept: number;
}

export interface AppServices {
  pixels: PixelsService;
  /** Bursts and near-duplicates, worked out in a worker of their own. */
  grouping: GroupingService;
  /** Makes the model client, told where its events go. */
  model(handlers: ModelHandlers): ModelService;
  images: ImageTools;
  /** The browser's cache of model files and its storage figures. */
  storage: ModelStorage;
  limits: PipelineLimits;
  /** Absolute URL of the app's base (models/ and ort/ live under it). */
  appBase(): string;
  /** Settings baked into the build (VITE_DEFAULT_MODEL, VITE_HUB_HOST). */
  buildDefaults: {
    model?: string;
    hubHost?: string;
    /** Whether the build's Content Security Policy (its <meta> tag) lets the app fetch a URL. */
    connectAllowed?: (url: string) => boolean;
  };
  /** Where each shoot's results are kept between visits (absent: nothing is saved, as in the kiosk). */
  archive?: ShootArchive;
  /** New versions of the app waiting to be reloaded into (absent in dev builds and tests). */
  offline?: OfflineUpdates;
}

/**
 * 192 MB holds about 15 working bitmaps of 12 MP photos (2048 × 1536 × 4 bytes each): the photo on
 * screen, the ones being decoded and scored, and a few to go back to without decoding again. Small
 * photos are held to the same 16 bitmaps, so a shoot's memory does not grow with its size.
 */
export const DEFAULT_LIMITS: PipelineLimits = {
  decodes: 2,
  bitmapBudgetBytes: 192 * 1024 * 1024,
  bitmapsKept: 16,
};
