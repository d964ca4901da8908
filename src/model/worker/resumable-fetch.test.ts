/**
 * The resuming download against a real HTTP server (Node's own) that cuts its answers the way a
 * dropped connection does: some bytes, then the socket destroyed. The expected bytes are the
 * server's file, never the code under test's output.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadCutError, fetchWithResume, type ResumeInfo } from './resumable-fetch.ts';

/** 1 MB of bytes that differ from their neighbours, so a misplaced part shows. */
const FILE = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff);

interface Behaviour {
  /** Fraction of a full answer sent before the connection is cut (once per path). */
  cutOnce?: number;
  /** Every answer, ranges included, is cut after half its bytes. */
  cutAlways?: boolean;
  /** Range requests are answered with the whole file (a host without ranges). */
  noRanges?: boolean;
  /** The ETag of range answers (a file replaced between the two requests). */
  rangeEtag?: string;
}

let server: Server;
let base = '';
const behaviours = new Map<string, Behaviour>();
const cut = new Set<string>();
const log: string[] = [];

function send(res: import('node:http').ServerResponse, bytes: Uint8Array, cutAt: number | null) {
  if (cutAt === null) return void res.end(bytes);
  res.write(bytes.subarray(0, cutAt), () => res.destroy());
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const b = behaviours.get(path) ?? {};
    log.push(`${path} ${req.headers.range ?? 'whole'}`);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !b.noRanges) {
      const start = Number(range[1]);
      const part = FILE.subarray(start);
      res.writeHead(206, {
        'content-length': part.length,
        'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}`,
        etag: b.rangeEtag ?? '"v1"',
      });
      return send(res, part, b.cutAlways ? Math.floor(part.length / 2) : null);
    }
    res.writeHead(200, { 'content-length': FILE.length, etag: '"v1"' });
    if (b.cutAlways) return send(res, FILE, FILE.length / 2);
    if (b.cutOnce !== undefined && !cut.has(path)) {
      cut.add(path);
      return send(res, FILE, Math.floor(FILE.length * b.cutOnce));
    }
    send(res, FILE, null);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function download(path: string, behaviour: Behaviour) {
  behaviours.set(path, behaviour);
  const resumes: ResumeInfo[] = [];
  const fetchResuming = fetchWithResume(fetch, { onResume: (r) => resumes.push(r) });
  const response = await fetchResuming(`${base}${path}`);
  return { response, resumes, bytes: () => response.arrayBuffer().then((b) => new Uint8Array(b)) };
}

describe('fetchWithResume', () => {
  for (const fraction of [0.3, 0.95]) {
    it(`a connection cut at ${fraction * 100} % is resumed from the byte where it stopped`, async () => {
      const path = `/cut-${fraction}`;
      const { response, resumes, bytes } = await download(path, { cutOnce: fraction });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(FILE.length));
      const got = await bytes();
      expect(got.length).toBe(FILE.length);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(FILE))).toBe(0);
      const at = Math.floor(FILE.length * fraction);
      expect(resumes).toEqual([
        { url: `${base}${path}`, from: at, total: FILE.length, attempt: 1 },
      ]);
      expect(log.filter((l) => l.startsWith(`${path} `))).toEqual([
        `${path} whole`,
        `${path} bytes=${at}-`,
      ]);
    });
  }

  it('a connection that keeps dropping fails after five resumes, never with a short body', async () => {
    const { bytes, resumes } = await download('/always', { cutAlways: true });
    await expect(bytes()).rejects.toThrow(/resumed 5 times and is given up/);
    expect(resumes).toHaveLength(5);
  });

  it('a host that answers a range with the whole file fails the download with why', async () => {
    const { bytes } = await download('/no-ranges', { cutOnce: 0.5, noRanges: true });
    await expect(bytes()).rejects.toThrow(/answered 200 to a request for the rest/);
  });

  it('a file replaced on the host between the two requests is not stitched together', async () => {
    const { bytes } = await download('/replaced', { cutOnce: 0.5, rangeEtag: '"v2"' });
    await expect(bytes()).rejects.toThrow(/the file on the host changed/);
  });

  it('a body that ends cleanly before its Content-Length is resumed too', async () => {
    const short = (async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(FILE.subarray(0, 1000));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-length': String(FILE.length) } });
    }) as typeof fetch;
    let calls = 0;
    const fake: typeof fetch = async (input, init) => {
      calls += 1;
      return calls === 1 ? short(input, init) : fetch(`${base}/clean`, init);
    };
    const got = new Uint8Array(await (await fetchWithResume(fake)(`${base}/clean`)).arrayBuffer());
    expect(Buffer.compare(Buffer.from(got), Buffer.from(FILE))).toBe(0);
  });

  it('leaves range requests and HEAD requests alone', async () => {
    const f = fetchWithResume(fetch);
    const ranged = await f(`${base}/plain`, { headers: { range: 'bytes=5-' } });
    expect(ranged.status).toBe(206);
    await ranged.arrayBuffer();
    const head = await f(`${base}/plain`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('throws DownloadCutError, which the worker explains as an interrupted download', async () => {
    const { bytes } = await download('/always-2', { cutAlways: true });
    await expect(bytes()).rejects.toBeInstanceOf(DownloadCutError);
  });
});
