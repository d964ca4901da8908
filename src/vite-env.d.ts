/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Build-time default model: a Hub id, or `local:<folder>` for a kiosk bundle under models/. */
  readonly VITE_DEFAULT_MODEL?: string;
  /** Build-time Hub host (a mirror); the `hub` URL parameter overrides it. */
  readonly VITE_HUB_HOST?: string;
  /** `1` in a kiosk build (`npm run kiosk:bundle`): the app opens in kiosk mode. */
  readonly VITE_KIOSK?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
