/**
 * The app's Content Security Policy, in one place: the preview and dev servers send it, the build
 * writes it into index.html as a <meta> tag, the service worker adds it to what it serves where the
 * host sends none, and public/_headers, vercel.json and docs/HOSTING.md carry the default text
 * (scripts/hosting.test.ts keeps them equal). Why each source is there:
 *
 * - scripts and workers only from the app itself; `'wasm-unsafe-eval'` because onnxruntime-web and
 *   the HEIC decoder compile WebAssembly; no inline script, no eval, no blob: scripts (the model
 *   worker turns off transformers.js' WASM cache, which would import the runtime from a blob: URL);
 * - connect to the app itself and the Hugging Face Hub: `huggingface.co` answers a model file with
 *   a redirect to a CDN host under `hf.co` (`cas-bridge.xethub.hf.co`, `*.cdn.hf.co`, earlier
 *   `cdn-lfs*.hf.co` and `cdn-lfs*.huggingface.co`), and CSP checks every hop of a redirect.
 *   `blob:` and `data:` are not network: the share panel reads the photo's thumbnail (an object
 *   URL) and a shared link's thumbnail (a data URL) back with fetch();
 * - images from the app, object URLs (thumbnails, overlays) and data URLs (shared thumbnails);
 * - styles only from the app's stylesheet (React sets style properties through the DOM, which CSP
 *   does not restrict).
 */

/** The Hub and the hosts its downloads redirect to. */
export const HUB_CONNECT_SOURCES: readonly string[] = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
];

/** What the policy is built for. */
export interface PolicyOptions {
  /** More sources the app may download from (a mirror's origin), added to connect-src. */
  connect?: readonly string[];
  /** For a <meta> tag: leave out what browsers ignore there (frame-ancestors). */
  meta?: boolean;
  /** For Vite's dev server, whose module preamble and hot-reloaded CSS are inline. */
  dev?: boolean;
}

/** The policy's directives in order, each with its sources. */
export function contentPolicyDirectives(options: PolicyOptions = {}): [string, string[]][] {
  const connect = [
    ...new Set(["'self'", 'blob:', 'data:', ...HUB_CONNECT_SOURCES, ...(options.connect ?? [])]),
  ];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    [
      'script-src',
      options.dev
        ? ["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"]
        : ["'self'", "'wasm-unsafe-eval'"],
    ],
    ['worker-src', ["'self'"]],
    ['connect-src', options.dev ? [...connect, 'ws:', 'wss:'] : connect],
    ['img-src', ["'self'", 'blob:', 'data:']],
    ['style-src', options.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['font-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'none'"]],
  ];
  if (!options.meta) directives.push(['frame-ancestors', ["'self'"]]);
  return directives;
}

/** The policy as the value of a Content-Security-Policy header or meta tag. */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  return contentPolicyDirectives(options)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * The sources a build adds to connect-src: the origin of VITE_HUB_HOST (a build whose default is
 * a mirror) and any given in CSP_CONNECT_SRC (space-separated, e.g. the tests' Hub stand-in).
 */
export function extraConnectSources(env: Record<string, string | undefined>): string[] {
  const sources = (env.CSP_CONNECT_SRC ?? '').split(/\s+/).filter(Boolean);
  if (env.VITE_HUB_HOST) {
    try {
      sources.push(new URL(env.VITE_HUB_HOST).origin);
    } catch {
      // The app refuses a bad VITE_HUB_HOST itself and falls back to the Hub.
    }
  }
  return sources;
}

/** One source expression of connect-src against a URL (scheme, host with `*.` wildcard, port). */
function sourceMatches(source: string, url: URL, selfOrigin: string): boolean {
  if (source === "'self'") return url.origin === selfOrigin;
  if (source === '*') return url.protocol === 'http:' || url.protocol === 'https:';
  if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return url.protocol === source.toLowerCase();
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+)(?::(\d+|\*))?(\/.*)?$/i.exec(source);
  if (!match) return false;
  const [, scheme, wildcard, host, port] = match;
  if (scheme && `${scheme.toLowerCase()}:` !== url.protocol) return false;
  const hostname = url.hostname.toLowerCase();
  const wanted = host!.toLowerCase();
  if (wildcard ? !hostname.endsWith(`.${wanted}`) : hostname !== wanted) return false;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return port === '*' || (port ?? defaultPort) === (url.port || defaultPort);
}

/**
 * Whether a policy lets the page connect to `url` (connect-src, else default-src; no such
 * directive allows everything). Good enough for the model host check: schemes, hosts, `*.`
 * wildcards, ports; paths in sources are ignored.
 */
export function policyAllowsConnect(policy: string, url: string, selfOrigin: string): boolean {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources] as const),
  );
  const sources = directives.get('connect-src') ?? directives.get('default-src');
  if (!sources) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return sources.some((source) => sourceMatches(source, target, selfOrigin));
}
