import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolationHeaders } from './isolation-headers.ts';

describe('withIsolationHeaders', () => {
  it('adds COOP, COEP and CORP and keeps status, text and body', async () => {
    const original = new Response('<!doctype html>', {
      status: 203,
      statusText: 'Partial Information',
      headers: { 'Content-Type': 'text/html', 'Content-Length': '15' },
    });
    const served = withIsolationHeaders(original);
    expect(served.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(served.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(served.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(served.headers.get('Content-Type')).toBe('text/html');
    expect(served.headers.get('Content-Length')).toBe('15');
    expect(served.status).toBe(203);
    expect(served.statusText).toBe('Partial Information');
    expect(await served.text()).toBe('<!doctype html>');
  });

  it('replaces a weaker embedder policy the host sent', () => {
    const served = withIsolationHeaders(
      new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' } }),
    );
    expect(served.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });

  it('passes a response that already carries the headers unchanged', () => {
    const original = new Response('x', { headers: { ...ISOLATION_HEADERS } });
    expect(withIsolationHeaders(original)).toBe(original);
  });

  it('passes opaque responses unchanged (they cannot be rebuilt)', () => {
    const opaque = Response.error(); // status 0, like a no-cors or opaque-redirect answer
    expect(withIsolationHeaders(opaque)).toBe(opaque);
  });

  it('adds the content policy where the host sent none, and keeps the host’s own', () => {
    const served = withIsolationHeaders(new Response('x'), "default-src 'self'");
    expect(served.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    const own = withIsolationHeaders(
      new Response('x', { headers: { 'Content-Security-Policy': "default-src 'none'" } }),
      "default-src 'self'",
    );
    expect(own.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
  });
});
