/**
 * Photos per minute and time left for the work queue, from a moving window of progress samples
 * (the time and how many photos were done then). A window rather than the whole run's average, so
 * the figures follow the work as it is now: the model loading late, a slower stretch of big files.
 */

/** How many photos were done at a moment. */
export interface ProgressSample {
  at: number;
  done: number;
}

/** The span the rate is read over. */
export const RATE_WINDOW_MS = 60_000;

/** Samples kept: enough for a window of fast work, bounded for thousands of photos. */
export const MAX_SAMPLES = 240;

/** Adds a sample and drops those too old or too many to matter. */
export function addSample(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
  windowMs = RATE_WINDOW_MS,
): ProgressSample[] {
  const kept = samples.filter((s) => s.at >= sample.at - windowMs);
  // One sample older than the window stays as its start, so a slow run still has a rate.
  const before = samples.filter((s) => s.at < sample.at - windowMs).at(-1);
  const next = before ? [before, ...kept, sample] : [...kept, sample];
  return next.slice(-MAX_SAMPLES);
}

/**
 * Photos per minute over the window ending at the latest sample: photos done between the window's
 * first and last sample over the time between them. Null until there are two samples apart in time
 * with photos done between them.
 */
export function photosPerMinute(
  samples: readonly ProgressSample[],
  windowMs = RATE_WINDOW_MS,
): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((s) => s.at >= last.at - windowMs) ?? last;
  // With the window holding one sample only (slow work), the one before it starts the span.
  const start = first === last ? (samples[samples.indexOf(first) - 1] ?? first) : first;
  const span = last.at - start.at;
  if (span <= 0 || last.done <= start.done) return null;
  return ((last.done - start.done) / span) * 60_000;
}

/** Milliseconds until `remaining` photos are done at `perMinute` (null when the rate is unknown). */
export function timeLeftMs(remaining: number, perMinute: number | null): number | null {
  if (remaining <= 0) return 0;
  if (!perMinute || perMinute <= 0) return null;
  return (remaining / perMinute) * 60_000;
}

/** "about 3 min left", "under a minute left", "about 1 h 20 min left". */
export function formatTimeLeft(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute left';
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
