/**
 * The kiosk's idle clock: after `idleMs` without activity it asks whether there is anything to
 * wipe; if so, a countdown of `countdownMs` runs (a visitor's touch cancels it), and at zero the
 * kiosk starts over. Time comes from the real timers (tests use fake ones).
 */
export interface IdleClockOptions {
  idleMs: number;
  countdownMs: number;
  /** Whether a visitor left anything behind (photos, an open camera, a dialog). */
  hasVisitorState(): boolean;
  /** Whether the app is still working for the visitor (a photo being opened or scored). */
  isBusy?(): boolean;
  /** The countdown's seconds left, or null when it is not running. */
  onCountdown(secondsLeft: number | null): void;
  /** Time is up: wipe and go back to the attract screen. */
  onReset(): void;
}

export class IdleClock {
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  private countdownEnds = 0;
  private stopped = false;

  constructor(private readonly options: IdleClockOptions) {
    this.armIdle();
  }

  /** A touch, click or key: the visitor is here. Stops a countdown under way. */
  activity(): void {
    if (this.stopped) return;
    if (this.tick !== null) this.stopCountdown();
    this.armIdle();
  }

  /** Whether the countdown is showing. */
  get counting(): boolean {
    return this.tick !== null;
  }

  stop(): void {
    this.stopped = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.tick !== null) clearInterval(this.tick);
    this.tick = null;
  }

  private armIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.idleReached(), this.options.idleMs);
  }

  private idleReached(): void {
    this.idleTimer = null;
    // Nothing to wipe: stay quietly on the attract screen and look again later. Someone waiting
    // for their score is not idle either: the idle time starts again.
    if (!this.options.hasVisitorState() || this.options.isBusy?.()) return this.armIdle();
    this.countdownEnds = Date.now() + this.options.countdownMs;
    let shown = Math.ceil(this.options.countdownMs / 1000);
    this.options.onCountdown(shown);
    this.tick = setInterval(() => {
      const left = this.countdownEnds - Date.now();
      if (left > 0) {
        const seconds = Math.ceil(left / 1000);
        if (seconds !== shown) this.options.onCountdown((shown = seconds));
        return;
      }
      this.stopCountdown();
      this.options.onReset();
      this.armIdle();
    }, 250);
  }

  private stopCountdown(): void {
    if (this.tick !== null) clearInterval(this.tick);
    this.tick = null;
    this.options.onCountdown(null);
  }
}
