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

/** What a `hub` setting turned out to be: a host to download from, or why it was refused. */
export type HubHostSetting =
  { ok: true; url: string; host: string } | { ok: false; problem: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a model host given by a link (`?hub=`) or the build (VITE_HUB_HOST) before any request
 * goes to it: an https address with a host name (http only for this computer, where the tests'
 * Hub stand-in and a local mirror run), no user name or password in it, no query or fragment.
 * A path is kept (a mirror may live under one) and always ends with a slash.
 */
export function parseHubHost(value: string): HubHostSetting {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: 'it is not a web address' };
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return { ok: false, problem: 'only https addresses are allowed, http only for this computer' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `“${url.protocol}” addresses cannot serve a model` };
  }
  if (!url.hostname) return { ok: false, problem: 'it has no host name' };
  if (url.username || url.password) {
    return { ok: false, problem: 'it carries a user name or password' };
  }
  if (url.search || url.hash) return { ok: false, problem: 'it carries a query or fragment' };
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { ok: true, url: `${url.origin}${path}`, host: url.host };
}

/** The host name (and port) of a model host URL, as shown to the person: "huggingface.co". */
export function hubHostName(hubHost: string): string {
  try {
    return new URL(hubHost).host;
  } catch {
    return hubHost;
  }
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
