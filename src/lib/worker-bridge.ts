/**
 * One typed bridge for every worker (pixels and model), in the shape Squoosh uses: each call has an
 * id, an AbortSignal that reaches the worker, and ends in exactly one result or one typed error.
 *
 * Written here rather than taken from Comlink because what matters most is what Comlink leaves to
 * the caller: hang timeouts that count from when the worker *starts* a call (the worker says
 * `{ type: 'started', id }`), cancellation messages, and surviving a crashed or hung worker. When a
 * worker dies, only the calls it was running fail (a call marked `retry` runs once more); calls it
 * had not started are sent again, rebuilt, to a fresh worker. A worker stuck while idle (a call
 * sent, none started, not a word from it for the hang limit) is replaced the same way.
 */

/** Why a call ended without a result. */
export type BridgeErrorKind = 'cancelled' | 'timeout' | 'crashed' | 'protocol';

/** A call that ended without its answer: cancelled, hung, its worker crashed, or a reply out of turn. */
export class BridgeError extends Error {
  override name = 'BridgeError';
  constructor(
    readonly kind: BridgeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** What the bridge needs of a worker; `fromWorker` adapts a real one, tests pass fakes. */
export interface WorkerPort {
  post(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  /** Set once: messages from the worker, and the worker dying (uncaught error, unreadable message). */
  listen(onMessage: (data: unknown) => void, onCrash: (message: string) => void): void;
}

/** A `WorkerPort` over a real Web Worker. */
export function fromWorker(create: () => Worker): () => WorkerPort {
  return () => {
    const worker = create();
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      terminate: () => worker.terminate(),
      listen(onMessage, onCrash) {
        worker.onmessage = (event: MessageEvent) => onMessage(event.data);
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          onCrash(event.message || 'unknown error');
        };
        worker.onmessageerror = () => onCrash('it sent a message the page could not read');
      },
    };
  };
}

/** Messages both ways carry a `type`; call-related ones carry the call's `id`. */
export interface Message {
  type: string;
  id?: number;
}

/** One attempt's request: the message and what it moves (not copies) to the worker. */
export interface Prepared<Req> {
  message: Req;
  transfer?: Transferable[];
}

export interface CallOptions<Req, Ev> {
  /** Builds the request; called again for each attempt (transferred buffers cannot be re-sent). */
  prepare: (id: number) => Prepared<Req> | Promise<Prepared<Req>>;
  signal?: AbortSignal;
  /**
   * Longest silence from the worker once it has started the call (each progress event renews it);
   * also the longest a sent call may wait unstarted while the worker runs nothing and says nothing.
   */
  hangMs?: number;
  /** The sentence a hung call fails with. */
  hangMessage?: string;
  /** Safe to run again when the worker running it crashed (idempotent, cheap to redo). */
  retry?: boolean;
  /** Events that report progress without ending the call. */
  onProgress?: (event: Ev) => void;
  /** Frees what a prepared request holds when it will never be sent. */
  discard?: (prepared: Prepared<Req>) => void;
}

export interface BridgeOptions<Req, Ev> {
  /** Starts a fresh worker (first call, and after a crash). */
  create: () => WorkerPort;
  /** The message asking the worker to stop a call. */
  cancel: (id: number) => Req;
  /** The error a failure reply stands for, or null when the event is not a failure. */
  failure: (event: Ev) => Error | null;
  /** Events that report a call's progress without ending it. */
  isProgress?: (event: Ev) => boolean;
  /** Events that belong to no pending call (broadcasts, or replies to calls given up on). */
  onEvent?: (event: Ev, orphan: boolean) => void;
  /** Told each time a worker is replaced, with why. */
  onRestart?: (reason: BridgeError) => void;
  /** Sentence for a crashed worker's failed calls. */
  crashMessage: (detail: string) => string;
}

interface Pending<Req, Ev> {
  id: number;
  options: CallOptions<Req, Ev>;
  attempts: number;
  started: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  resolve(event: Ev): void;
  reject(error: Error): void;
}

const cancelledError = () => new BridgeError('cancelled', 'Cancelled.');

export class WorkerBridge<Req extends Message, Ev extends Message> {
  private port: WorkerPort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Req, Ev>>();
  /** How many workers were started (tests and the debug view read it). */
  restarts = -1;
  /** When the current worker last sent anything (Date.now()), or was started. */
  private lastHeard = 0;

  constructor(private readonly options: BridgeOptions<Req, Ev>) {}

  /** Calls in flight (sent or being prepared). */
  get size(): number {
    return this.pending.size;
  }

  private ensurePort(): WorkerPort {
    if (this.port) return this.port;
    const port = this.options.create();
    this.restarts += 1;
    this.lastHeard = Date.now();
    port.listen(
      (data) => {
        if (this.port !== port) return;
        this.lastHeard = Date.now();
        this.receive(data as Ev);
      },
      (detail) => {
        if (this.port === port)
          this.restart(new BridgeError('crashed', this.options.crashMessage(detail)));
      },
    );
    this.port = port;
    return port;
  }

  /** Sends a message that expects no answer (forget, warm-up). Starts no worker for it. */
  notify(message: Req, { start = false } = {}): void {
    if (this.port || start) this.ensurePort().post(message, []);
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.port !== null;
  }

  /** One call: resolves with its final event, or rejects with a BridgeError or the worker's error. */
  call(options: CallOptions<Req, Ev>): Promise<Ev> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise<Ev>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(call.id)) return;
        this.finish(call);
        this.port?.post(this.options.cancel(call.id), []);
        reject(cancelledError());
      };
      const call: Pending<Req, Ev> = {
        id: 0,
        options,
        attempts: 0,
        started: false,
        timer: null,
        resolve: (event) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(event);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.send(call);
    });
  }

  /**
   * Replaces a worker that says it can no longer work (its GPU device lost), as if it had crashed:
   * calls it had not started go to a fresh one, started ones fail (or run again if `retry`).
   */
  replace(reason: BridgeError): void {
    if (this.port) this.restart(reason);
  }

  /** Ends every call with `error` and stops the worker; the next call starts a fresh one. */
  terminate(error: BridgeError = cancelledError()): void {
    this.port?.terminate();
    this.port = null;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) {
      this.clearTimer(call);
      call.reject(error);
    }
  }

  private async send(call: Pending<Req, Ev>): Promise<void> {
    const id = this.nextId++;
    call.id = id;
    call.started = false;
    call.attempts += 1;
    this.pending.set(id, call);
    let prepared: Prepared<Req>;
    try {
      prepared = await call.options.prepare(id);
    } catch (error) {
      if (this.pending.get(id) !== call) return;
      this.finish(call);
      call.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Cancelled, or its worker replaced, while the request was being built.
    if (this.pending.get(id) !== call) {
      call.options.discard?.(prepared);
      return;
    }
    this.ensurePort().post(prepared.message, prepared.transfer ?? []);
    this.watchUnstarted(call);
  }

  /**
   * A sent call the worker has not started: while another call runs, that call's own hang timer
   * watches the worker; with none running, a worker that has said nothing for the hang limit is
   * stuck (a loop between calls, say), so it is replaced and this call sent to the fresh one.
   */
  private watchUnstarted(call: Pending<Req, Ev>, delay = call.options.hangMs) {
    const { hangMs } = call.options;
    if (!hangMs || delay === undefined) return;
    this.clearTimer(call);
    call.timer = setTimeout(() => {
      if (this.pending.get(call.id) !== call || call.started) return;
      const silentFor = Date.now() - this.lastHeard;
      const busy = [...this.pending.values()].some((c) => c.started);
      if (busy || silentFor < hangMs) {
        this.watchUnstarted(call, busy ? hangMs : hangMs - silentFor);
        return;
      }
      const silent = `it did not answer for ${Math.round(hangMs / 1000)} s`;
      this.restart(new BridgeError('crashed', this.options.crashMessage(silent)));
    }, delay);
  }

  private finish(call: Pending<Req, Ev>) {
    this.clearTimer(call);
    this.pending.delete(call.id);
  }

  private clearTimer(call: Pending<Req, Ev>) {
    if (call.timer) clearTimeout(call.timer);
    call.timer = null;
  }

  private arm(call: Pending<Req, Ev>) {
    const { hangMs } = call.options;
    if (!hangMs) return;
    this.clearTimer(call);
    call.timer = setTimeout(() => {
      if (this.pending.get(call.id) !== call) return;
      this.finish(call);
      call.reject(
        new BridgeError('timeout', call.options.hangMessage ?? 'The worker stopped answering.'),
      );
      // The worker is stuck on this call: every other call goes to a fresh one.
      const silent = `it did not answer for ${Math.round(hangMs / 1000)} s`;
      this.restart(new BridgeError('crashed', this.options.crashMessage(silent)));
    }, hangMs);
  }

  private receive(event: Ev) {
    const call = event.id === undefined ? undefined : this.pending.get(event.id);
    if (!call) {
      if (event.type !== 'started') this.options.onEvent?.(event, event.id !== undefined);
      return;
    }
    if (event.type === 'started') {
      call.started = true;
      this.arm(call);
      return;
    }
    if (this.options.isProgress?.(event)) {
      if (call.timer) this.arm(call);
      call.options.onProgress?.(event);
      return;
    }
    this.finish(call);
    const error = this.options.failure(event);
    if (error) call.reject(error);
    else call.resolve(event);
  }

  /** Replaces a dead worker: calls it had not started go to the new one, started ones fail. */
  private restart(reason: BridgeError) {
    this.port?.terminate();
    this.port = null;
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.options.onRestart?.(reason);
    for (const call of calls) {
      this.clearTimer(call);
      const again = !call.started || (call.options.retry === true && call.attempts < 2);
      if (again) void this.send(call);
      else call.reject(reason);
    }
  }
}

/** Narrows a final event to the expected type, or throws: a reply out of turn never hangs a caller. */
export function expectEvent<Ev extends Message, T extends Ev['type']>(
  event: Ev,
  type: T,
): Extract<Ev, { type: T }> {
  if (event.type !== type) {
    throw new BridgeError(
      'protocol',
      `The worker answered “${event.type}” where “${type}” was expected.`,
    );
  }
  return event as Extract<Ev, { type: T }>;
}
