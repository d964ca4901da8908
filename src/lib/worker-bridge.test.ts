import { describe, expect, it, vi } from 'vitest';
import {
  BridgeError,
  expectEvent,
  WorkerBridge,
  type Message,
  type WorkerPort,
} from './worker-bridge.ts';

type Req = { type: 'work'; id: number; job: string } | { type: 'cancel'; id: number };
type Ev =
  | { type: 'started'; id: number }
  | { type: 'done'; id: number; job: string }
  | { type: 'tick'; id: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'hello' };

/**
 * A fake worker that runs one job at a time, like the app's workers: 'slow:N' takes N ms, 'hang'
 * never ends, 'crash' kills the worker, 'tick' reports progress every 10 ms for 50 ms.
 */
class FakeWorker implements WorkerPort {
  static started: FakeWorker[] = [];
  received: Req[] = [];
  terminated = false;
  private onMessage: (data: unknown) => void = () => {};
  private onCrash: (message: string) => void = () => {};
  private queue: Promise<void> = Promise.resolve();
  private readonly cancelled = new Set<number>();
  /** Stuck between calls: takes messages and never runs or answers them. */
  frozen = false;

  constructor() {
    FakeWorker.started.push(this);
  }
  listen(onMessage: (data: unknown) => void, onCrash: (message: string) => void) {
    this.onMessage = onMessage;
    this.onCrash = onCrash;
  }
  terminate() {
    this.terminated = true;
  }
  private reply(event: Ev) {
    if (!this.terminated) setTimeout(() => !this.terminated && this.onMessage(event), 0);
  }
  post(message: unknown) {
    const request = message as Req;
    this.received.push(request);
    if (this.frozen) return;
    if (request.type === 'cancel') {
      this.cancelled.add(request.id);
      return;
    }
    this.queue = this.queue.then(() => this.run(request));
  }
  private async run(request: Extract<Req, { type: 'work' }>) {
    if (this.terminated || this.cancelled.has(request.id)) return;
    this.reply({ type: 'started', id: request.id });
    const [what, ms] = request.job.split(':');
    if (what === 'hang') return new Promise<void>(() => {});
    if (what === 'crash') {
      setTimeout(() => this.onCrash('boom'), 5);
      return new Promise<void>(() => {});
    }
    if (what === 'tick') {
      for (let i = 0; i < 5; i++) {
        await sleep(10);
        this.reply({ type: 'tick', id: request.id });
      }
    }
    if (what === 'fail') return this.reply({ type: 'failed', id: request.id, message: 'no' });
    if (what === 'odd') return this.reply({ type: 'hello' } as Ev);
    await sleep(Number(ms ?? 1));
    this.reply({ type: 'done', id: request.id, job: request.job });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bridge(onRestart = vi.fn()) {
  FakeWorker.started = [];
  return new WorkerBridge<Req, Ev>({
    create: () => new FakeWorker(),
    cancel: (id) => ({ type: 'cancel', id }),
    failure: (e) => (e.type === 'failed' ? new Error(e.message) : null),
    isProgress: (e) => e.type === 'tick',
    crashMessage: (d) => `crashed: ${d}`,
    onRestart,
  });
}

const work = (
  b: WorkerBridge<Req, Ev>,
  job: string,
  extra: Partial<Parameters<typeof b.call>[0]> = {},
) => b.call({ prepare: (id) => ({ message: { type: 'work', id, job } }), ...extra });

describe('WorkerBridge', () => {
  it('answers each call with its own result', async () => {
    const b = bridge();
    const results = await Promise.all([work(b, 'slow:5'), work(b, 'slow:1')]);
    expect(results.map((r) => (r as Extract<Ev, { type: 'done' }>).job)).toEqual([
      'slow:5',
      'slow:1',
    ]);
    expect(b.size).toBe(0);
  });

  it('turns a failure reply into an error and an unexpected reply into a protocol error', async () => {
    const b = bridge();
    await expect(work(b, 'fail')).rejects.toThrow('no');
    const odd = b.call({
      prepare: (id) => ({ message: { type: 'work', id, job: 'slow:1' } }),
    });
    await expect(odd.then((e) => expectEvent(e, 'tick'))).rejects.toMatchObject({
      kind: 'protocol',
    });
  });

  it('sends the cancel to the worker, so a queued call never runs', async () => {
    const b = bridge();
    const controller = new AbortController();
    const first = work(b, 'slow:30');
    const second = work(b, 'slow:1', { signal: controller.signal });
    await sleep(5);
    controller.abort();
    await expect(second).rejects.toMatchObject({ kind: 'cancelled' });
    await first;
    const worker = FakeWorker.started[0]!;
    expect(worker.received.some((m) => m.type === 'cancel')).toBe(true);
  });

  it('counts the hang timeout from when the worker starts the call, not from when it was queued', async () => {
    const b = bridge();
    // Three 40 ms jobs queued at once: the third waits 80 ms, longer than the 60 ms hang limit.
    const jobs = [1, 2, 3].map(() => work(b, 'slow:40', { hangMs: 60 }));
    await expect(Promise.all(jobs)).resolves.toHaveLength(3);
  });

  it('renews the hang timeout with each progress event', async () => {
    // Fake timers: the ticks come exactly 10 ms apart however busy the machine is (with real
    // timers a loaded machine delayed one past the 25 ms limit).
    vi.useFakeTimers();
    try {
      const b = bridge();
      const ticks: Ev[] = [];
      const run = work(b, 'tick', { hangMs: 25, onProgress: (e) => ticks.push(e) });
      await vi.advanceTimersByTimeAsync(200);
      await expect(run).resolves.toMatchObject({ type: 'done' });
      expect(ticks).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a hung call fails alone: the worker is replaced and the queued calls finish on the new one', async () => {
    const onRestart = vi.fn();
    const b = bridge(onRestart);
    const hung = work(b, 'hang', { hangMs: 30, hangMessage: 'stuck' });
    const after = [work(b, 'slow:1'), work(b, 'slow:2')];
    await expect(hung).rejects.toMatchObject({ kind: 'timeout', message: 'stuck' });
    await expect(Promise.all(after)).resolves.toHaveLength(2);
    expect(FakeWorker.started).toHaveLength(2);
    expect(FakeWorker.started[0]!.terminated).toBe(true);
    expect(onRestart).toHaveBeenCalledTimes(1);
  });

  it('a worker stuck while idle is found by the next call, replaced, and the call runs on the new one', async () => {
    vi.useFakeTimers();
    try {
      const onRestart = vi.fn();
      const b = bridge(onRestart);
      const first = work(b, 'slow:1', { hangMs: 1000 });
      await vi.advanceTimersByTimeAsync(10);
      await expect(first).resolves.toMatchObject({ type: 'done' });
      FakeWorker.started[0]!.frozen = true;
      await vi.advanceTimersByTimeAsync(5000);
      const next = work(b, 'slow:1', { hangMs: 1000 });
      await vi.advanceTimersByTimeAsync(999);
      expect(FakeWorker.started).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      await expect(next).resolves.toMatchObject({ type: 'done', job: 'slow:1' });
      expect(FakeWorker.started).toHaveLength(2);
      expect(FakeWorker.started[0]!.terminated).toBe(true);
      expect(onRestart).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'crashed', message: 'crashed: it did not answer for 1 s' }),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('a call queued behind a long one is not taken for a stuck worker', async () => {
    vi.useFakeTimers();
    try {
      const onRestart = vi.fn();
      const b = bridge(onRestart);
      // 'tick' reports every 10 ms for 50 ms; the queued call waits longer than its 30 ms limit.
      const long = work(b, 'tick', { hangMs: 30 });
      const queued = work(b, 'slow:1', { hangMs: 30 });
      await vi.advanceTimersByTimeAsync(200);
      await expect(Promise.all([long, queued])).resolves.toHaveLength(2);
      expect(onRestart).not.toHaveBeenCalled();
      expect(FakeWorker.started).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a crash fails the running call, re-sends the queued ones, and retries a call marked safe once', async () => {
    const b = bridge();
    const crashing = work(b, 'crash');
    const queued = work(b, 'slow:1');
    await expect(crashing).rejects.toMatchObject({ kind: 'crashed', message: 'crashed: boom' });
    await expect(queued).resolves.toMatchObject({ job: 'slow:1' });

    // Retried once on a fresh worker, then failed: a call that always crashes cannot loop.
    const retried = work(b, 'crash', { retry: true });
    await expect(retried).rejects.toMatchObject({ kind: 'crashed' });
    const crashes = FakeWorker.started.filter((w) =>
      w.received.some((m) => m.type === 'work' && m.job === 'crash'),
    );
    expect(crashes.length).toBe(3);
  });

  it('rebuilds the request for every attempt and frees a request that is never sent', async () => {
    const b = bridge();
    const prepare = vi.fn((id: number) => ({
      message: { type: 'work' as const, id, job: 'slow:1' },
    }));
    const blocker = work(b, 'crash');
    const queued = b.call({ prepare });
    await expect(blocker).rejects.toBeInstanceOf(BridgeError);
    await queued;
    expect(prepare).toHaveBeenCalledTimes(2);

    const discard = vi.fn();
    const controller = new AbortController();
    const slowPrepare = b.call({
      signal: controller.signal,
      discard,
      prepare: async (id) => {
        await sleep(20);
        return { message: { type: 'work', id, job: 'slow:1' } };
      },
    });
    controller.abort();
    await expect(slowPrepare).rejects.toMatchObject({ kind: 'cancelled' });
    await sleep(30);
    expect(discard).toHaveBeenCalledTimes(1);
  });

  it('terminate ends every call and the next call starts a fresh worker', async () => {
    const b = bridge();
    const running = work(b, 'slow:50');
    await sleep(5);
    b.terminate(new BridgeError('cancelled', 'Download cancelled.'));
    await expect(running).rejects.toMatchObject({ message: 'Download cancelled.' });
    await expect(work(b, 'slow:1')).resolves.toBeDefined();
    expect(FakeWorker.started).toHaveLength(2);
  });

  it('passes broadcast events and replies to abandoned calls to onEvent', async () => {
    const seen: [Message, boolean][] = [];
    FakeWorker.started = [];
    const b = new WorkerBridge<Req, Ev>({
      create: () => new FakeWorker(),
      cancel: (id) => ({ type: 'cancel', id }),
      failure: () => null,
      crashMessage: (d) => d,
      onEvent: (e, orphan) => seen.push([e, orphan]),
    });
    const controller = new AbortController();
    const call = work(b, 'slow:20', { signal: controller.signal });
    await sleep(5);
    controller.abort();
    await expect(call).rejects.toBeDefined();
    await sleep(40);
    // The worker had already started, so its late 'done' arrives as an orphan for the caller to free.
    expect(seen.some(([e, orphan]) => e.type === 'done' && orphan)).toBe(true);
  });
});
