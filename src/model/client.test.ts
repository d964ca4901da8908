import { describe, expect, it } from 'vitest';
import type { WorkerPort } from '../lib/worker-bridge.ts';
import { ModelCallError, ModelClient } from './client.ts';
import type { ModelError, ModelEvent, ModelRequest } from './protocol.ts';

/**
 * A fake model worker that answers every call with the failure it is given, as the real worker's
 * lanes do: `started`, then `failed`, then — after running out of memory — `worker-spent`.
 */
class FailingWorker implements WorkerPort {
  static started: FailingWorker[] = [];
  terminated = false;
  private onMessage: (data: unknown) => void = () => {};

  constructor(private readonly error: ModelError) {
    FailingWorker.started.push(this);
  }
  listen(onMessage: (data: unknown) => void) {
    this.onMessage = onMessage;
  }
  terminate() {
    this.terminated = true;
  }
  post(message: unknown) {
    const request = message as ModelRequest;
    if (request.type === 'cancel' || !('id' in request)) return;
    const replies: ModelEvent[] = [
      { type: 'started', id: request.id } as ModelEvent,
      { type: 'failed', id: request.id, error: this.error },
    ];
    if (this.error.kind === 'out-of-memory') {
      replies.push({ type: 'worker-spent', message: this.error.message });
    }
    let at = 0;
    for (const reply of replies) {
      setTimeout(() => !this.terminated && this.onMessage(reply), ++at);
    }
  }
}

async function failWith(kind: ModelError['kind']) {
  FailingWorker.started = [];
  const crashes: ModelError[] = [];
  const error: ModelError = { kind, message: `${kind} happened`, advice: '' };
  const client = new ModelClient(() => {}, {
    createWorker: () => new FailingWorker(error),
    onCrash: (detail) => crashes.push(detail),
  });
  const failure = await client.promptCacheStatus().catch((e: unknown) => e);
  // The replacement (if any) follows the failed answer within a few timer ticks.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await client.promptCacheStatus().catch(() => undefined);
  return { failure, crashes, workers: [...FailingWorker.started] };
}

describe('ModelClient after a run that ran out of memory', () => {
  it('tells the caller why, then replaces the worker and says so (its heap is spent)', async () => {
    const { failure, crashes, workers } = await failWith('out-of-memory');
    expect(failure).toBeInstanceOf(ModelCallError);
    expect((failure as ModelCallError).detail.kind).toBe('out-of-memory');
    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.message).toBe('out-of-memory happened');
    // The next call went to a fresh worker; the spent one was stopped.
    expect(workers.length).toBeGreaterThanOrEqual(2);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('keeps the worker after any other failure', async () => {
    const { failure, crashes, workers } = await failWith('unknown');
    expect((failure as ModelCallError).detail.kind).toBe('unknown');
    expect(crashes).toHaveLength(0);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
  });
});

/**
 * A fake model worker that has not encoded any photo: a call without pixels is answered
 * 'needs-image', one with pixels is answered as the real worker would.
 */
class ForgetfulWorker implements WorkerPort {
  received: ModelRequest[] = [];
  transferred: unknown[][] = [];
  private onMessage: (data: unknown) => void = () => {};
  listen(onMessage: (data: unknown) => void) {
    this.onMessage = onMessage;
  }
  terminate() {}
  post(message: unknown, transfer: Transferable[]) {
    const request = message as ModelRequest;
    this.received.push(request);
    this.transferred.push(transfer);
    if (request.type !== 'compare') return;
    const reply = (event: unknown) => setTimeout(() => this.onMessage(event), 1);
    reply({ type: 'started', id: request.id });
    if (!request.images) reply({ type: 'needs-image', id: request.id });
    else reply({ type: 'compared', id: request.id, result: { preference: 0.5 } });
  }
}

describe('ModelClient calls that carry photos', () => {
  it('asks without pixels first, then sends both bitmaps moved, not copied, when the worker needs them', async () => {
    const worker = new ForgetfulWorker();
    const client = new ModelClient(() => {}, { createWorker: () => worker });
    const bitmaps = ['first', 'second'].map((name) => ({ name, close: () => {} }));
    const source = (i: number) => async () => bitmaps[i] as unknown as ImageBitmap;
    const result = await client.compare(
      { photoIds: ['a', 'b'] } as never,
      [source(0), source(1)],
      () => {},
    );
    expect(result).toEqual({ preference: 0.5 });
    expect(worker.received.map((r) => r.type === 'compare' && r.images)).toEqual([
      undefined,
      bitmaps,
    ]);
    expect(worker.transferred).toEqual([[], bitmaps]);
  });

  it('closes the bitmaps of a request that is never sent', async () => {
    const worker = new ForgetfulWorker();
    const client = new ModelClient(() => {}, { createWorker: () => worker });
    const controller = new AbortController();
    let closed = 0;
    const source = async () => {
      controller.abort(); // cancelled while the pixels were being made
      return { close: () => (closed += 1) } as unknown as ImageBitmap;
    };
    const outcome = await client
      .score('a', source, {} as never, controller.signal)
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect(closed).toBe(1);
    expect(worker.received).toHaveLength(0);
  });
});
