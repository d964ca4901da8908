import type { ModelError } from '../protocol.ts';

/** A failure that already carries its user-facing explanation. */
export class ExplainedError extends Error {
  readonly detail: ModelError;
  constructor(detail: ModelError) {
    super(detail.message);
    this.detail = detail;
  }
}

/**
 * Turns whatever a load or run threw into what happened and what to do about it. With `host` (the
 * model host a download talks to) and `nothingReceived`, a network failure before the first byte
 * is told apart from a download cut half-way: the host could not be reached at all.
 */
export function explainError(
  error: unknown,
  context: { device?: string; offline?: boolean; host?: string; nothingReceived?: boolean } = {},
): ModelError {
  if (error instanceof ExplainedError) return error.detail;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const network =
    /HostTimeoutError|DownloadCutError|Failed to fetch|NetworkError|network error|ERR_INTERNET_DISCONNECTED|Load failed/i.test(
      text,
    );
  if (network && !context.offline && context.host && context.nothingReceived) {
    const timedOut = /HostTimeoutError/.test(text);
    return {
      kind: 'host-unreachable',
      message: `The model host ${context.host} could not be reached${timedOut ? ' (no answer in time)' : ''}.`,
      advice:
        'Check the connection, firewall or proxy, then try again. If a link chose this host ' +
        '(?hub= in the address), open the app without it to download from huggingface.co.',
    };
  }
  if (/abort/i.test(text)) {
    return { kind: 'cancelled', message: 'Cancelled.', advice: '' };
  }
  if (/\b404\b|not found|could not locate|ModelFileNotFound|file was not found/i.test(text)) {
    return {
      kind: 'not-found',
      message: `A model file is missing: ${shorten(text)}`,
      advice:
        'Check the model id or folder name. A local folder must hold config.json, the tokenizer files and onnx/ in the Hub layout, with the chosen precision.',
    };
  }
  if (
    /out of memory|bad_alloc|allocation failed|OOM|Array buffer allocation|memory access out of bounds/i.test(
      text,
    )
  ) {
    return {
      kind: 'out-of-memory',
      message: 'The device ran out of memory while loading or running the model.',
      advice:
        'Choose a smaller precision (q4 or q4f16), close other tabs, or use a device with more memory. ' +
        'In Reference (anyres) mode a photo of 1 MP or more takes about 7,400 image tokens, more than ' +
        'WASM’s 4 GiB can hold for the full-size model: use Fast (single crop) there.',
    };
  }
  if (network) {
    return context.offline
      ? {
          kind: 'offline',
          message: 'You are offline and the model is not in this browser’s cache yet.',
          advice:
            'Connect once to download the model (it is cached for later), or use a local model folder.',
        }
      : {
          kind: 'download-interrupted',
          message: 'The model download was interrupted.',
          advice:
            'Check the connection and load again; files already downloaded are kept in the cache.',
        };
  }
  if (/webgpu|GPUDevice|GPUAdapter|shader|jsep/i.test(text)) {
    return {
      kind: 'webgpu',
      message: `WebGPU failed: ${shorten(text)}`,
      advice: 'Use the WASM (CPU) backend instead, or update the browser and GPU driver.',
    };
  }
  return {
    kind: 'unknown',
    message: shorten(text),
    advice: 'Try loading again; if it keeps failing, try the WASM backend or another precision.',
  };
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
