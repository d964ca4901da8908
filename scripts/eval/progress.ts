/**
 * The progress bar with ETA (cli-progress) on stderr. Where stderr is not a terminal (CI, a log
 * file) it prints a plain line every few seconds instead of redrawing.
 */
import { SingleBar } from 'cli-progress';

/** A bar for `total` items; `update` moves it on and names what runs now. */
export function progressBar(total: number, label: string) {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} photos/s | ETA {eta_formatted} | {current}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
    etaBuffer: 50,
    barsize: 24,
  });
  const started = performance.now();
  bar.start(total, 0, { current: '', rate: '0.00' });
  return {
    update(done: number, current: string) {
      const rate = done / Math.max(1e-3, (performance.now() - started) / 1000);
      bar.update(done, { current, rate: rate.toFixed(2) });
    },
    stop() {
      bar.stop();
    },
  };
}
