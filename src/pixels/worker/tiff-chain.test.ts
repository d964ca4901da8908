import { describe, expect, it } from 'vitest';
import { tiffChainIsHostile } from './tiff-chain.ts';

/** A little-endian TIFF header with one directory of `entries` entries whose next pointer is `next`. */
function tiff(next: number, entries = 1): Uint8Array {
  const bytes = new Uint8Array(8 + 2 + entries * 12 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 0x2a, 0]);
  view.setUint32(4, 8, true);
  view.setUint16(8, entries, true);
  view.setUint32(8 + 2 + entries * 12, next, true);
  return bytes;
}

describe('TIFF directory chain', () => {
  it('accepts a file whose chain ends', () => {
    expect(tiffChainIsHostile(tiff(0))).toBe(false);
  });
  it('refuses a directory that points back at itself', () => {
    expect(tiffChainIsHostile(tiff(8))).toBe(true);
  });
  it('lets a pointer past the end through (utif2 stops there itself)', () => {
    expect(tiffChainIsHostile(tiff(99999))).toBe(false);
  });
});
