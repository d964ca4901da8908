import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format.ts';

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
