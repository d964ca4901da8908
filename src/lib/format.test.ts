import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPixelCount } from './format.ts';

describe('formatBytes', () => {
  it('uses decimal units as download sizes are quoted', () => {
    expect(formatBytes(787e6)).toBe('787 MB');
    expect(formatBytes(1.13e9)).toBe('1.1 GB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(-1)).toBe('?');
  });
});

describe('formatDuration', () => {
  it('reads naturally at each scale', () => {
    expect(formatDuration(840)).toBe('840 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
  });
});

describe('formatPixelCount', () => {
  it('gives megapixels where they mean something and the pixel count for tiny pictures', () => {
    expect(formatPixelCount(6000 * 4000)).toBe('24 MP');
    expect(formatPixelCount(12000 * 8400)).toBe('101 MP');
    expect(formatPixelCount(4032 * 3024)).toBe('12 MP');
    expect(formatPixelCount(2560 * 1920)).toBe('4.9 MP');
    expect(formatPixelCount(800 * 600)).toBe('0.48 MP');
    expect(formatPixelCount(400 * 250)).toBe('0.10 MP');
    // Below 0.1 MP megapixels would read 0.0 or 0.01: the count says it.
    expect(formatPixelCount(3000 * 2)).toBe('6,000 pixels');
    expect(formatPixelCount(8 * 8)).toBe('64 pixels');
    expect(formatPixelCount(1)).toBe('1 pixel');
    expect(formatPixelCount(Number.NaN)).toBe('?');
  });
});
