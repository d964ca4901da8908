/** The anyres benchmark's row order and its check for missing figures (no browser needed). */
import { describe, expect, it } from 'vitest';
import { missingAnyresFigures, plan, type AnyresReport, type AnyresRow } from './anyres.ts';

const row = (over: Partial<AnyresRow>): AnyresRow => ({
  size: '0.3',
  width: 640,
  height: 480,
  mode: 'fast',
  imageTokens: 729,
  promptTokens: 800,
  anyres: null,
  encodeMs: 1,
  prefillMs: 1,
  endToEndMs: 2,
  rendererPeakMiB: 100,
  loadBefore: 1,
  loadAfter: 1,
  ...over,
});

const report = (rows: AnyresRow[]): AnyresReport => ({
  startedAt: '',
  finishedAt: '',
  model: 'm',
  precision: 'q8',
  device: 'wasm',
  machine: { cpu: 'x', cores: 2, ramGiB: 1, os: 'linux', node: 'v' },
  rows,
});

describe('bench:anyres', () => {
  it('measures the fast mode on the smallest photo first, then reference small to large', () => {
    expect(plan(['0.3', '1', '12'])).toEqual([
      { size: '0.3', mode: 'fast' },
      { size: '0.3', mode: 'reference' },
      { size: '1', mode: 'reference' },
      { size: '12', mode: 'reference' },
      { size: '1', mode: 'fast' },
      { size: '12', mode: 'fast' },
    ]);
  });

  it('flags failed rows, non-finite figures and a reference row without its tiling', () => {
    const tiling = { width: 640, height: 480, grid: [2, 2] as [number, number], images: 5 };
    const good = [row({}), row({ mode: 'reference', imageTokens: 2929, anyres: tiling })];
    expect(missingAnyresFigures(report(good))).toEqual([]);
    expect(
      missingAnyresFigures(
        report([
          row({ encodeMs: NaN }),
          row({ mode: 'reference' }),
          row({ size: '24', problem: 'hung' }),
        ]),
      ),
    ).toEqual(['0.3 MP fast', '0.3 MP reference', '24 MP fast: hung']);
  });
});
