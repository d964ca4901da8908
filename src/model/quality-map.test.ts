/**
 * The quality map's legend sentence: it names the region the model rates lowest and the regions
 * the pixels find softest, noisiest or most clipped, and says whether they are the same place.
 */
import { describe, expect, it } from 'vitest';
import { regionName } from '../lib/region-grid.ts';
import {
  describeAgreement,
  mapExtremes,
  type RegionPixels,
  type RegionScore,
} from './quality-map.ts';

const grid = { columns: 3, rows: 3 };
const name = (i: number) => regionName(grid, i);
const model = (scores: number[]): RegionScore[] =>
  scores.map((score, index) => ({
    index,
    rect: { x: 0, y: 0, width: 1, height: 1 },
    probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
    score,
    score100: ((score - 1) / 4) * 100,
    topLevel: 'fair',
    levelLogits: [0, 0, 0, 0, 0],
    timings: { encodeMs: 0, prefillMs: 0, totalMs: 0 },
  }));
const pixels = (sharpness: number[], noise?: number[], clipped?: number[]): RegionPixels[] =>
  sharpness.map((s, index) => ({
    index,
    sharpness: s,
    noiseSigma: noise?.[index] ?? 1,
    highlights: clipped?.[index] ?? 0,
    shadows: 0,
  }));

describe('describeAgreement', () => {
  it('says when the model and the pixels point at different places', () => {
    const text = describeAgreement(
      name,
      model([2, 3, 3, 3, 3, 3, 3, 3, 4]),
      pixels([20, 20, 20, 20, 20, 20, 20, 20, 5]),
    );
    expect(text).toBe(
      'The model and the pixels disagree: the model rates the top-left lowest; the pixels find the bottom-right softest.',
    );
  });

  it('says when they agree, naming every reading that points there', () => {
    const text = describeAgreement(
      name,
      model([4, 4, 4, 4, 1.5, 4, 4, 4, 4]),
      pixels([20, 20, 20, 20, 3, 20, 20, 20, 20], [1, 1, 1, 1, 9, 1, 1, 1, 1]),
    );
    expect(text).toBe(
      'The model and the pixels point at the same place: the model rates the centre lowest, and the pixels find it the softest and noisiest.',
    );
  });

  it('names clipping only where more than 1 % of a region is clipped', () => {
    const few = mapExtremes(
      model([3, 3, 3, 3, 3, 3, 3, 3, 3]),
      pixels(Array(9).fill(10), undefined, [0, 0.005]),
    );
    expect(few.mostClipped).toBe(-1);
    const many = mapExtremes(
      model([3, 3, 3, 3, 3, 3, 3, 3, 3]),
      pixels(Array(9).fill(10), undefined, [0, 0, 0.3]),
    );
    expect(many.mostClipped).toBe(2);
  });

  it('says when no region stands out in the pixels', () => {
    expect(
      describeAgreement(name, model([3, 2.5, 3, 3, 3, 3, 3, 3, 3]), pixels(Array(9).fill(10))),
    ).toBe(
      'The model rates the top-centre lowest; the pixels find no region clearly softer, noisier or more clipped than the rest.',
    );
  });

  it('speaks of the model alone while the pixels are unknown', () => {
    expect(describeAgreement(name, model([3, 2.5, 3, 3, 3, 3, 3, 3, 3]), [])).toBe(
      'The model rates the top-centre lowest.',
    );
    expect(describeAgreement(name, [], [])).toBe('');
  });
});
