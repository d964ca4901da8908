/** Photos per minute and time left from a moving window, worked by hand. */
import { describe, expect, it } from 'vitest';
import {
  addSample,
  formatTimeLeft,
  MAX_SAMPLES,
  photosPerMinute,
  timeLeftMs,
  type ProgressSample,
} from './throughput.ts';

const fromPairs = (pairs: [number, number][]): ProgressSample[] =>
  pairs.map(([at, done]) => ({ at, done }));

describe('throughput', () => {
  it('reads the rate over the window: 10 photos in 20 s is 30 a minute', () => {
    expect(
      photosPerMinute(
        fromPairs([
          [0, 0],
          [10_000, 5],
          [20_000, 10],
        ]),
      ),
    ).toBeCloseTo(30);
  });

  it('follows the recent pace, not the whole run: a slow start is forgotten', () => {
    // 2 photos in the first 100 s, then 30 in the last 60 s: the window sees ~30 a minute.
    const samples = fromPairs([
      [0, 0],
      [100_000, 2],
      [130_000, 17],
      [160_000, 32],
    ]);
    expect(photosPerMinute(samples, 60_000)).toBeCloseTo(30);
    // The whole run's average would be 12 a minute.
    expect(photosPerMinute(samples, 1_000_000)).toBeCloseTo(12);
  });

  it('has no rate until two samples apart in time, or with nothing done between them', () => {
    expect(photosPerMinute([])).toBeNull();
    expect(photosPerMinute(fromPairs([[5, 3]]))).toBeNull();
    expect(
      photosPerMinute(
        fromPairs([
          [0, 3],
          [9_000, 3],
        ]),
      ),
    ).toBeNull();
  });

  it('time left is the photos remaining over the rate', () => {
    expect(timeLeftMs(45, 30)).toBe(90_000);
    expect(timeLeftMs(0, null)).toBe(0);
    expect(timeLeftMs(10, null)).toBeNull();
    expect(formatTimeLeft(90_000)).toBe('about 2 min left');
    expect(formatTimeLeft(20_000)).toBe('under a minute left');
    expect(formatTimeLeft(80 * 60_000)).toBe('about 1 h 20 min left');
  });

  it('keeps the window and one sample before it, and never more than MAX_SAMPLES', () => {
    let samples: ProgressSample[] = [];
    for (let i = 0; i <= 120; i++) samples = addSample(samples, { at: i * 1000, done: i }, 60_000);
    expect(samples[0]).toEqual({ at: 59_000, done: 59 });
    expect(samples.at(-1)).toEqual({ at: 120_000, done: 120 });
    expect(photosPerMinute(samples, 60_000)).toBeCloseTo(60);
    for (let i = 0; i < 1000; i++) samples = addSample(samples, { at: 200_000 + i, done: 200 + i });
    expect(samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
  });
});
