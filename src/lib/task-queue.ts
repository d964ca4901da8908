/**
 * A queue that runs at most `limit` jobs at once and always starts the most urgent waiting job
 * next: the lowest `rank(key)` (the photo on screen ranks first), then the oldest. Rank is read
 * when a slot frees, so selecting another photo reorders what waits without touching the queue.
 */
import { BridgeError } from './worker-bridge.ts';

interface Waiting {
  key: string;
  seq: number;
  start(): void;
  drop(): void;
}

export class TaskQueue {
  private readonly waiting: Waiting[] = [];
  private active = 0;
  private seq = 0;
  private paused = false;
  /** While paused, jobs this lets through still start (the photo on screen). */
  private allowWhilePaused: (key: string) => boolean = () => false;
  /** Most jobs ever running at once (tests check it never passes the limit). */
  highWater = 0;

  constructor(
    readonly limit: number,
    private readonly rank: (key: string) => number = () => 0,
  ) {}

  /** Jobs running now. */
  get running(): number {
    return this.active;
  }

  /** Jobs waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `job` when a slot is free and it is the most urgent waiting job. Aborting `signal` while
   * it waits removes it (rejects with a cancelled BridgeError); once running, the job sees the signal.
   */
  run<T>(key: string, job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new BridgeError('cancelled', 'Cancelled.'));
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        key,
        seq: this.seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active += 1;
          this.highWater = Math.max(this.highWater, this.active);
          job()
            .then(resolve, reject)
            .finally(() => {
              this.active -= 1;
              this.pump();
            });
        },
        drop: () => reject(new BridgeError('cancelled', 'Cancelled.')),
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        entry.drop();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  /** Jobs are held rather than started. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Holds waiting jobs (running ones finish); `allow` names keys that still start, so the photo
   * the person is looking at is not held with the rest.
   */
  pause(allow: (key: string) => boolean = () => false): void {
    this.paused = true;
    this.allowWhilePaused = allow;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Starts waiting jobs while slots are free; call after ranks change. */
  pump(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < this.waiting.length; i++) {
        const w = this.waiting[i]!;
        if (this.paused && !this.allowWhilePaused(w.key)) continue;
        const r = this.rank(w.key);
        if (r < bestRank || (r === bestRank && w.seq < this.waiting[best]!.seq)) {
          best = i;
          bestRank = r;
        }
      }
      if (best < 0) return;
      const [next] = this.waiting.splice(best, 1);
      next!.start();
    }
  }
}
