import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleClock } from './idle.ts';

describe('IdleClock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (state = true) => {
    const counts: (number | null)[] = [];
    const resets: number[] = [];
    let visitorState = state;
    const clock = new IdleClock({
      idleMs: 10_000,
      countdownMs: 3_000,
      hasVisitorState: () => visitorState,
      onCountdown: (s) => counts.push(s),
      onReset: () => resets.push(Date.now()),
    });
    return { clock, counts, resets, setState: (v: boolean) => (visitorState = v) };
  };

  it('counts down after the idle time and resets at zero', () => {
    const { clock, counts, resets } = make();
    vi.advanceTimersByTime(9_999);
    expect(counts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(counts).toEqual([3]);
    vi.advanceTimersByTime(3_000);
    expect(counts).toEqual([3, 2, 1, null]);
    expect(resets).toHaveLength(1);
    clock.stop();
  });

  it('a touch during the countdown cancels it and restarts the idle time', () => {
    const { clock, counts, resets } = make();
    vi.advanceTimersByTime(11_000);
    expect(clock.counting).toBe(true);
    clock.activity();
    expect(clock.counting).toBe(false);
    expect(counts.at(-1)).toBeNull();
    vi.advanceTimersByTime(9_000);
    expect(resets).toHaveLength(0);
    vi.advanceTimersByTime(1_000 + 3_000);
    expect(resets).toHaveLength(1);
    clock.stop();
  });

  it('activity keeps pushing the idle time back', () => {
    const { clock, counts } = make();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(8_000);
      clock.activity();
    }
    expect(counts).toEqual([]);
    clock.stop();
  });

  it('with nothing to wipe it shows no countdown, and looks again later', () => {
    const { clock, counts, resets, setState } = make(false);
    vi.advanceTimersByTime(25_000);
    expect(counts).toEqual([]);
    setState(true);
    vi.advanceTimersByTime(5_000 + 3_000);
    expect(resets).toHaveLength(1);
    clock.stop();
  });

  it('waits while the app is still working for the visitor', () => {
    let busy = true;
    const resets: number[] = [];
    const clock = new IdleClock({
      idleMs: 10_000,
      countdownMs: 3_000,
      hasVisitorState: () => true,
      isBusy: () => busy,
      onCountdown: () => {},
      onReset: () => resets.push(1),
    });
    vi.advanceTimersByTime(60_000);
    expect(clock.counting).toBe(false);
    busy = false;
    vi.advanceTimersByTime(10_000);
    expect(clock.counting).toBe(true);
    vi.advanceTimersByTime(3_000);
    expect(resets).toHaveLength(1);
    clock.stop();
  });

  it('does nothing after stop', () => {
    const { clock, counts, resets } = make();
    clock.stop();
    vi.advanceTimersByTime(60_000);
    clock.activity();
    vi.advanceTimersByTime(60_000);
    expect(counts).toEqual([]);
    expect(resets).toEqual([]);
  });
});
