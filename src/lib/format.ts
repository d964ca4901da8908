/** Bytes as a short human size: 812 MB, 1.2 GB, 4.5 kB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Milliseconds as a short duration: 840 ms, 2.4 s, 1 min 5 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/**
 * A picture's size in words: megapixels where they mean something (24 MP, 4.9 MP, 0.48 MP), the
 * pixel count below 0.1 MP, where megapixels would read "0.0 MP" (a 3000 × 2 strip is 6,000 pixels).
 */
export function formatPixelCount(pixels: number): string {
  if (!Number.isFinite(pixels) || pixels < 0) return '?';
  const mp = pixels / 1e6;
  if (mp >= 10) return `${mp.toFixed(0)} MP`;
  if (mp >= 1) return `${mp.toFixed(1)} MP`;
  if (mp >= 0.1) return `${mp.toFixed(2)} MP`;
  const count = Math.round(pixels);
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'pixel' : 'pixels'}`;
}
