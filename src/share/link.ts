/**
 * A shared result as a URL fragment: `#r=<format>.<base64url of deflate-raw of JSON>`. The
 * fragment is never sent to a server. Decoding assumes the fragment is hostile: its length is
 * capped before anything is unpacked, unpacking stops at a byte cap (no zip bombs), and the JSON
 * goes through the strict validator. Compression is the browser's own CompressionStream (also in
 * Node 20), so no library is needed.
 */
import { checkSharedResult, SHARE_FORMAT, type Checked, type SharedResult } from './payload.ts';

/** The fragment prefix that marks a shared result. */
export const SHARE_FRAGMENT_PREFIX = '#r=';
/** Longest fragment we look at (characters after `#r=`). */
export const MAX_FRAGMENT_CHARS = 64 * 1024;
/** Most bytes a fragment may unpack to; a full result with a thumbnail is under 20 kB. */
export const MAX_UNPACKED_BYTES = 256 * 1024;

const DAMAGED =
  'This link is damaged or incomplete — it may have been cut off when it was copied. Ask for the whole link again.';

/** Whether a location hash is a shared result (well formed or not). */
export function isSharedFragment(hash: string): boolean {
  return hash.startsWith(SHARE_FRAGMENT_PREFIX);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const padded =
    text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

class TooLarge extends Error {}

function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream) {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
}

/** Packs a result into the part of the link after `#r=`; throws if the result is not valid. */
export async function encodeSharedResult(result: SharedResult): Promise<string> {
  const checked = checkSharedResult(result, SHARE_FORMAT);
  if (!checked.ok) throw new Error(`Refusing to share an invalid result: ${checked.problem}`);
  const encoded = await packFragment(JSON.stringify(result), SHARE_FORMAT);
  if (encoded.length > MAX_FRAGMENT_CHARS) throw new Error('The shared result is too large.');
  return encoded;
}

/**
 * Packs any text as `<format>.<base64url deflate-raw>` without checking it: the last step of
 * `encodeSharedResult`, and how tests craft damaged or hostile links.
 */
export async function packFragment(text: string, format: number): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const packed = await readAll(pipe(bytes, new CompressionStream('deflate-raw')), Infinity);
  return `${format}.${toBase64Url(packed)}`;
}

/** The full link: the app's address (with its query, e.g. a local model) and the fragment. */
export function sharedLink(appUrl: string, encoded: string): string {
  const url = new URL(appUrl);
  url.hash = '';
  return `${url.href}${SHARE_FRAGMENT_PREFIX}${encoded}`;
}

/**
 * Reads a location hash (`#r=…`) into a result, or a sentence for the person saying why it
 * cannot be shown. Never throws.
 */
export async function decodeSharedFragment(hash: string): Promise<Checked<SharedResult>> {
  const body = hash.startsWith(SHARE_FRAGMENT_PREFIX)
    ? hash.slice(SHARE_FRAGMENT_PREFIX.length)
    : hash;
  if (body.length > MAX_FRAGMENT_CHARS) {
    return {
      ok: false,
      problem: `This link is too long to be a shared result (${Math.round(body.length / 1024)} KB; a result is at most ${MAX_FRAGMENT_CHARS / 1024} KB). Nothing in it was opened.`,
    };
  }
  const match = /^(\d{1,6})\.(.*)$/s.exec(body);
  if (!match) {
    return { ok: false, problem: 'This link does not hold a Quality Lens result.' };
  }
  const format = Number(match[1]);
  if (format > SHARE_FORMAT) {
    return {
      ok: false,
      problem: `This link was made by a newer version of Quality Lens (result format ${format}); this version reads formats up to ${SHARE_FORMAT}. Open it in an up-to-date copy of the app.`,
    };
  }
  if (format < 1) return { ok: false, problem: `Result format ${format} does not exist.` };
  const packed = fromBase64Url(match[2]!);
  if (!packed) return { ok: false, problem: DAMAGED };
  let json: unknown;
  try {
    const bytes = await readAll(
      pipe(packed, new DecompressionStream('deflate-raw')),
      MAX_UNPACKED_BYTES,
    );
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    if (error instanceof TooLarge) {
      return {
        ok: false,
        problem: `This link unpacks to more than ${MAX_UNPACKED_BYTES / 1024} KB, far more than any result; it was not opened.`,
      };
    }
    return { ok: false, problem: DAMAGED };
  }
  const checked = checkSharedResult(json, format);
  return checked.ok
    ? checked
    : { ok: false, problem: `This link’s result cannot be shown: ${checked.problem}` };
}
