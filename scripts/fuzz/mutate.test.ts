import { describe, expect, it } from 'vitest';
import { fuzzCase, MUTATIONS, mutate, random } from './mutate.ts';

/** A minimal JPEG-like byte string: SOI, an APP1 Exif block with a one-entry IFD, SOF0, SOS. */
function tinyJpeg(): Uint8Array {
  const exif = [
    0x45,
    0x78,
    0x69,
    0x66,
    0,
    0, // "Exif\0\0"
    0x49,
    0x49,
    0x2a,
    0,
    8,
    0,
    0,
    0, // TIFF header, IFD at 8
    1,
    0,
    0x12,
    0x01,
    3,
    0,
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    0, // one entry: orientation 1
    0,
    0,
    0,
    0, // next IFD: none
  ];
  const app1 = [0xff, 0xe1, 0, exif.length + 2, ...exif];
  const sof = [0xff, 0xc0, 0, 11, 8, 0, 100, 0, 160, 1, 1, 0x11, 0];
  const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 1, 2, 3, 4, 0xff, 0xd9];
  return new Uint8Array([0xff, 0xd8, ...app1, ...sof, ...sos]);
}

describe('fuzz mutations', () => {
  it('are deterministic per seed and differ between seeds', () => {
    const sources: [string, Uint8Array][] = [['a.jpg', tinyJpeg()]];
    expect(fuzzCase(7, sources).bytes).toEqual(fuzzCase(7, sources).bytes);
    const distinct = new Set(
      Array.from({ length: 40 }, (_, i) => fuzzCase(i, sources).bytes.join()),
    );
    expect(distinct.size).toBeGreaterThan(30);
  });

  it('every mutation changes the file', () => {
    for (const mutation of MUTATIONS) {
      for (let seed = 1; seed <= 20; seed++) {
        const out = mutate(tinyJpeg(), mutation, random(seed));
        expect(out.join(), `${mutation} seed ${seed}`).not.toBe(tinyJpeg().join());
      }
    }
  });

  it('a huge declared size lands in the JPEG frame header', () => {
    const out = mutate(tinyJpeg(), 'huge-size', random(3));
    const sof = out.findIndex((v, i) => v === 0xff && out[i + 1] === 0xc0);
    const height = (out[sof + 5]! << 8) | out[sof + 6]!;
    expect([0xffff, 60000, 0x7fff, 1, 0]).toContain(height);
    expect(height).not.toBe(100);
  });

  it('an IFD loop points the EXIF directory back at itself or its header', () => {
    const original = tinyJpeg();
    const out = mutate(original, 'ifd-loop', random(11));
    const tiff = 2 + 4 + 6; // SOI, APP1 marker and length, "Exif\0\0"
    const view = new DataView(out.buffer);
    const nextIfd = view.getUint32(tiff + 8 + 2 + 12, true);
    expect([8, 2, 10]).toContain(nextIfd);
  });
});
