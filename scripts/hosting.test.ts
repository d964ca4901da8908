/**
 * The hosting files say what docs/HOSTING.md says they say: the same isolation headers in
 * public/_headers (Netlify, Cloudflare Pages), vercel.json, the Hugging Face Space front matter
 * in the docs, the service worker and the dev server; the same Content Security Policy in
 * public/_headers, vercel.json and the docs; and the web manifest's icons exist, are the size they
 * claim and are small. (The hosts themselves cannot be reached from here.)
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contentPolicyDirectives,
  contentSecurityPolicy,
} from '../src/offline/worker/content-policy.ts';
import { ISOLATION_HEADERS } from '../src/offline/worker/isolation-headers.ts';

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
const EXPECTED = lower({ ...ISOLATION_HEADERS });
const POLICY = contentSecurityPolicy();
const WITH_POLICY = { ...EXPECTED, 'content-security-policy': POLICY };

/** Netlify / Cloudflare Pages `_headers`: a path at column 0, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let path: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      path = line.trim();
      rules[path] = {};
      continue;
    }
    const match = /^\s+([A-Za-z-]+):\s*(.+)$/.exec(line);
    if (!path || !match) throw new Error(`_headers: cannot read "${line}"`);
    rules[path]![match[1]!.toLowerCase()] = match[2]!.trim();
  }
  return rules;
}

describe('hosting files', () => {
  it('public/_headers sends the isolation headers and the policy for every path', () => {
    const rules = parseHeadersFile(readFileSync('public/_headers', 'utf8'));
    expect(Object.keys(rules)).toEqual(['/*']);
    expect(rules['/*']).toEqual(WITH_POLICY);
  });

  it('vercel.json sends them for every path and builds into dist/', () => {
    const config = JSON.parse(readFileSync('vercel.json', 'utf8')) as {
      outputDirectory: string;
      headers: { source: string; headers: { key: string; value: string }[] }[];
    };
    expect(config.outputDirectory).toBe('dist');
    const all = config.headers.find((h) => h.source === '/(.*)');
    expect(all).toBeDefined();
    expect(lower(Object.fromEntries(all!.headers.map((h) => [h.key, h.value])))).toEqual(
      WITH_POLICY,
    );
  });

  it('the Hugging Face Space front matter in docs/HOSTING.md sends them', () => {
    const docs = readFileSync('docs/HOSTING.md', 'utf8');
    const block = /```yaml\n(---\n[\s\S]*?sdk: static[\s\S]*?---)\n```/.exec(docs)?.[1];
    expect(block, 'a ```yaml block with sdk: static').toBeDefined();
    const lines = block!.split('\n');
    const at = lines.indexOf('custom_headers:');
    expect(at).toBeGreaterThan(0);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(at + 1)) {
      const match = /^ {2}([a-z-]+): (\S+)$/.exec(line);
      if (!match) break;
      headers[match[1]!] = match[2]!;
    }
    expect(headers).toEqual(EXPECTED);
    expect(lines).toContain('app_build_command: npm run build');
    expect(lines).toContain('app_file: dist/index.html');
  });

  it('docs/HOSTING.md shows the policy the files send, and the meta form without frame-ancestors', () => {
    const docs = readFileSync('docs/HOSTING.md', 'utf8');
    expect(docs).toContain(`Content-Security-Policy: ${POLICY}`);
    const meta = contentSecurityPolicy({ meta: true });
    expect(meta).not.toContain('frame-ancestors');
    expect(POLICY.startsWith(meta)).toBe(true);
  });

  it('the policy allows no inline script, no eval beyond WebAssembly, no blob: scripts', () => {
    for (const options of [{}, { meta: true }, { connect: ['https://mirror.example.org'] }]) {
      const directives = new Map(contentPolicyDirectives(options));
      expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(directives.get('worker-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
    }
    const connect = new Map(contentPolicyDirectives({ connect: ['https://mirror.example.org'] }));
    expect(connect.get('connect-src')).toContain('https://mirror.example.org');
  });

  it('the dev and preview servers send them too', () => {
    const config = readFileSync('vite.config.ts', 'utf8');
    expect(config).toContain('const isolationHeaders = { ...ISOLATION_HEADERS }');
  });
});

describe('web manifest', () => {
  const manifest = JSON.parse(readFileSync('public/manifest.webmanifest', 'utf8')) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };

  it('has what Chromium needs to offer installing the app', () => {
    expect(manifest.name).toBeTruthy();
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.start_url).toBe('./');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.filter((i) => i.type === 'image/png').map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(readFileSync('index.html', 'utf8')).toContain(
      '<link rel="manifest" href="./manifest.webmanifest" />',
    );
  });

  it.each(['icon-192.png', 'icon-512.png', 'icon-maskable-512.png'])(
    '%s is a PNG of the size the manifest says, under 10 kB',
    (name) => {
      const icon = manifest.icons.find((i) => i.src === name)!;
      const png = readFileSync(`public/${name}`);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
      expect(statSync(`public/${name}`).size).toBeLessThan(10_000);
    },
  );
});
