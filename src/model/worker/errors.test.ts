import { describe, expect, it } from 'vitest';
import { ExplainedError, explainError } from './errors.ts';
import { DownloadCutError } from './resumable-fetch.ts';

describe('explainError', () => {
  it('tells a missing file from a dropped download and from being offline', () => {
    expect(explainError(new Error('Could not locate file: "x/onnx/a.onnx" (404)')).kind).toBe(
      'not-found',
    );
    expect(explainError(new TypeError('network error')).kind).toBe('download-interrupted');
    expect(explainError(new TypeError('Failed to fetch'), { offline: true }).kind).toBe('offline');
    // A download that could not be continued after its connection dropped (resumable-fetch.ts).
    const cut = new DownloadCutError(
      'The download of x stopped at 30 %; the file on the host changed.',
    );
    expect(explainError(cut).kind).toBe('download-interrupted');
  });

  it('says the host could not be reached when nothing came from it, naming the host', () => {
    const context = { host: 'evil.example', nothingReceived: true };
    const refused = explainError(new TypeError('Failed to fetch'), context);
    expect(refused.kind).toBe('host-unreachable');
    expect(refused.message).toBe('The model host evil.example could not be reached.');
    expect(refused.advice).toMatch(/\?hub=/);
    const silent = new Error('The model host evil.example did not answer within 30 s.');
    silent.name = 'HostTimeoutError';
    expect(explainError(silent, context).message).toMatch(/no answer in time/);
    // Bytes had arrived: the download was cut, not the host unreachable. Offline says offline.
    expect(
      explainError(new TypeError('network error'), { ...context, nothingReceived: false }).kind,
    ).toBe('download-interrupted');
    expect(explainError(new TypeError('Failed to fetch'), { ...context, offline: true }).kind).toBe(
      'offline',
    );
  });

  it('recognises out-of-memory failures of WASM and of the runtime', () => {
    expect(explainError(new RangeError('Array buffer allocation failed')).kind).toBe(
      'out-of-memory',
    );
    expect(explainError(new Error('std::bad_alloc')).kind).toBe('out-of-memory');
  });

  it('says what to do, and passes explained errors through unchanged', () => {
    const detail = explainError(new Error('something odd'));
    expect(detail.advice.length).toBeGreaterThan(10);
    const explained = new ExplainedError({ kind: 'bad-model', message: 'm', advice: 'a' });
    expect(explainError(explained)).toEqual({ kind: 'bad-model', message: 'm', advice: 'a' });
  });

  it('keeps very long runtime messages readable', () => {
    expect(explainError(new Error('x'.repeat(5000))).message.length).toBeLessThan(400);
  });
});
