/**
 * Faults injected into the app's real workers from a journey (Playwright's worker.evaluate runs in
 * the worker's own global scope). Nothing in the app is made for the tests: the injections wrap
 * the worker's `postMessage` and listen to its messages, as a debugger would.
 */
import { expect, type Page, type Worker } from '@playwright/test';

/**
 * A worker's name, or '' when it does not answer at once: onnxruntime's WASM threads are workers
 * too, and one blocked in a wait never answers.
 */
const nameOf = (worker: Worker) =>
  Promise.race([
    worker.evaluate(() => self.name).catch(() => ''),
    new Promise<string>((resolve) => setTimeout(() => resolve(''), 1000)),
  ]);

/** The app's worker with this name ('model' or 'pixels'). */
export async function workerNamed(page: Page, name: string): Promise<Worker> {
  let found: Worker | null = null;
  await expect
    .poll(async () => {
      for (const w of page.workers()) {
        if ((await nameOf(w)) === name) {
          found = w;
          break;
        }
      }
      return found !== null;
    })
    .toBe(true);
  return found!;
}

/** Makes the worker's code throw an uncaught error, as a crash inside it would. */
export async function crash(worker: Worker) {
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('injected crash');
    }, 0);
  });
}

/** Whether the worker is gone (terminated by the app). */
export const isGone = (worker: Worker) => worker.evaluate(() => 'alive').catch(() => 'gone');

export interface Fault {
  /** The request type the fault waits for ('score', 'generate'). */
  request: string;
  /** The worker's event for that request after which it fails ('started', 'generation-delta'). */
  after: string;
  /**
   * busy: the worker's thread loops forever (a run that never returns);
   * silent: the thread lives on but nothing more reaches the page (an await that never resolves);
   * crash: nothing more reaches the page and an uncaught error kills the worker.
   */
  then: 'busy' | 'silent' | 'crash';
}

/**
 * Arms a fault in a model worker: the first time it sends `after` for a `request`, it sends that
 * event and then fails as `then` says. So the fault always lands in the middle of the call.
 * Returns false for a worker that is not the model worker.
 */
export function injectFault(worker: Worker, fault: Fault): Promise<boolean> {
  return worker.evaluate(({ request, after, then }) => {
    if (self.name !== 'model') return false;
    type Msg = { type?: string; id?: number };
    const scope = self as unknown as { postMessage(m: unknown, t?: Transferable[]): void };
    const ids = new Set<number>();
    // The worker's message handler is wrapped, now or when the worker sets it (this may run
    // before the worker's module has), so each request is seen before the worker answers it.
    const seen = (data: Msg) => {
      if (data?.type === request && typeof data.id === 'number') ids.add(data.id);
    };
    type Handler = ((this: unknown, event: MessageEvent<Msg>) => unknown) | null;
    const wrap = (handler: Handler): Handler =>
      handler &&
      function (this: unknown, event: MessageEvent<Msg>) {
        seen(event.data);
        return handler.call(this, event);
      };
    let owner: object | null = self;
    let property: PropertyDescriptor | undefined;
    while (owner && !(property = Object.getOwnPropertyDescriptor(owner, 'onmessage'))) {
      owner = Object.getPrototypeOf(owner) as object | null;
    }
    const get = property!.get!;
    const set = property!.set!;
    const current = get.call(self) as Handler;
    Object.defineProperty(self, 'onmessage', {
      configurable: true,
      get: () => get.call(self),
      set: (handler: Handler) => set.call(self, wrap(handler)),
    });
    if (current) set.call(self, wrap(current));
    const send = scope.postMessage.bind(scope);
    let failed = false;
    scope.postMessage = (message: unknown, transfer?: Transferable[]) => {
      if (failed) return;
      send(message, transfer ?? []);
      const m = message as Msg;
      if (m.type !== after || m.id === undefined || !ids.has(m.id)) return;
      failed = true;
      if (then === 'busy') for (;;);
      if (then === 'crash') {
        setTimeout(() => {
          throw new Error('injected crash');
        }, 0);
      }
    };
    return true;
  }, fault);
}
