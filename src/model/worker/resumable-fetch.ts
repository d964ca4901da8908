/**
 * A model download that survives a dropped connection. The files are large (hundreds of MB) and a
 * connection that drops at 95 % should not cost the whole file again: when the body of a download
 * stops short (a network error, or an end before its Content-Length), the rest is asked for with
 * an HTTP Range request from the byte where it stopped, and the two parts reach the reader as one
 * body. The caller (transformers.js) sees one response that either delivers exactly the file's
 * bytes or fails: never fewer bytes than announced, so nothing truncated is ever used or cached.
 *
 * A resume is accepted only when the host answers 206 with a Content-Range starting at that byte,
 * for the same total size (and the same ETag when both answers carry one); anything else fails the
 * download with an explanation, and loading again starts it over. Written here because the fetch
 * libraries on npm retry whole requests; none continues a body that has already been partly read.
 */

/** A download that stopped short and could not be continued. */
export class DownloadCutError extends Error {
  override name = 'DownloadCutError';
}

/** Told each time a download is continued. */
export interface ResumeInfo {
  url: string;
  /** Bytes received before the cut. */
  from: number;
  total: number;
  /** 1 for the first resume of this file. */
  attempt: number;
}

export interface ResumeOptions {
  /** Resumes allowed per file (each must bring new bytes). */
  maxResumes?: number;
  onResume?: (info: ResumeInfo) => void;
}

const MAX_RESUMES = 5;

const urlOf = (input: RequestInfo | URL) =>
  input instanceof Request ? input.url : input instanceof URL ? input.href : input;

const percent = (part: number, total: number) => `${Math.floor((part / total) * 100)} %`;

/** `fetchImpl` whose plain GET downloads with a known length continue after a dropped connection. */
export function fetchWithResume(
  fetchImpl: typeof fetch,
  options: ResumeOptions = {},
): typeof fetch {
  const maxResumes = options.maxResumes ?? MAX_RESUMES;
  return async (input, init = {}) => {
    const response = await fetchImpl(input, init);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}));
    const total = Number(response.headers.get('content-length'));
    const resumable =
      method === 'GET' &&
      !headers.has('range') &&
      response.status === 200 &&
      response.body !== null &&
      Number.isSafeInteger(total) &&
      total > 0 &&
      // A compressed body's length is not the file's: its bytes cannot be counted against it.
      !response.headers.get('content-encoding');
    if (!resumable) return response;

    const url = urlOf(input);
    const etag = response.headers.get('etag');
    let reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    let received = 0;
    let resumes = 0;

    /** The rest of the file from `received`, or an explained failure. */
    const resume = async (cause: string): Promise<ReadableStreamDefaultReader<Uint8Array>> => {
      const where = `at ${percent(received, total)} (${received} of ${total} bytes): ${cause}`;
      if (resumes >= maxResumes) {
        throw new DownloadCutError(
          `The download of ${url} stopped ${where}; it was resumed ${resumes} times and is given up.`,
        );
      }
      resumes += 1;
      options.onResume?.({ url, from: received, total, attempt: resumes });
      const rangeHeaders = new Headers(headers);
      rangeHeaders.set('range', `bytes=${received}-`);
      let rest: Response;
      try {
        rest = await fetchImpl(url, { ...init, method: 'GET', headers: rangeHeaders });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        return resume(error instanceof Error ? error.message : String(error));
      }
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(rest.headers.get('content-range') ?? '');
      const restTag = rest.headers.get('etag');
      const problem =
        rest.status !== 206
          ? `the host answered ${rest.status} to a request for the rest`
          : !range || Number(range[1]) !== received
            ? 'the host sent another part of the file than the rest'
            : range[3] !== '*' && Number(range[3]) !== total
              ? 'the file on the host changed size'
              : etag && restTag && etag !== restTag
                ? 'the file on the host changed'
                : !rest.body
                  ? 'the host sent no bytes'
                  : null;
      if (problem) {
        void rest.body?.cancel().catch(() => {});
        throw new DownloadCutError(`The download of ${url} stopped ${where}; ${problem}.`);
      }
      return rest.body!.getReader();
    };

    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        for (;;) {
          let cause: string;
          try {
            const chunk = await reader.read();
            if (!chunk.done) {
              received += chunk.value.byteLength;
              if (received > total) {
                throw new DownloadCutError(
                  `The download of ${url} sent more than its ${total} bytes.`,
                );
              }
              controller.enqueue(chunk.value);
              return;
            }
            if (received === total) {
              controller.close();
              return;
            }
            cause = 'the connection ended early';
          } catch (error) {
            if (error instanceof DownloadCutError || init.signal?.aborted) throw error;
            cause = error instanceof Error ? error.message : String(error);
          }
          reader = await resume(cause);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
