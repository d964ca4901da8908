/**
 * Where the model files come from: a Hugging Face Hub repository (downloaded once, then cached by
 * the browser) or a folder the app serves itself under `models/<id>/` (the kiosk's local bundle).
 */

export const DEFAULT_MODEL_ID = 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf';
export const DEFAULT_HUB_HOST = 'https://huggingface.co/';

export interface ModelSource {
  kind: 'hub' | 'local';
  /** Hub repository id (`org/name`) or folder name under models/. */
  id: string;
}

const ID_PATTERN = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/**
 * Parses the `model` setting: `org/name` for the Hub, `local:<folder>` for a served folder.
 * Returns null for anything else (including path tricks such as `..`).
 */
export function parseModelSource(value: string): ModelSource | null {
  const local = value.startsWith('local:');
  const id = local ? value.slice('local:'.length) : value;
  if (!ID_PATTERN.test(id) || id.split('/').some((part) => part === '..' || part === '.'))
    return null;
  return { kind: local ? 'local' : 'hub', id };
}

/** The setting's text form, the inverse of parseModelSource. */
export function formatModelSource(source: ModelSource): string {
  return source.kind === 'local' ? `local:${source.id}` : source.id;
}

/** The URL a model file is fetched from (also used to ask for its size before downloading). */
export function modelFileUrl(
  source: ModelSource,
  file: string,
  appBase: string,
  hubHost: string,
): string {
  return source.kind === 'local'
    ? new URL(`models/${source.id}/${file}`, appBase).href
    : new URL(`${source.id}/resolve/main/${file}`, hubHost).href;
}
