import { describe, expect, it } from 'vitest';
import type { PhotoFingerprint } from '../pixels/protocol.ts';
import {
  capturedMs,
  fingerprintDistance,
  groupShoot,
  pairwiseAgreement,
  separation,
  type GroupingPhoto,
} from './groups.ts';

/** A small deterministic random source, so every run sees the same synthetic shoot. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const unit = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const c = v.map((x) => x - mean);
  const n = Math.sqrt(c.reduce((a, b) => a + b * b, 0)) || 1;
  return c.map((x) => x / n);
};

/** A fingerprint from an 8 × 8 layout and colour vector, the hash taken from the layout's rows. */
function fingerprint(layout: number[], colour: number[]): PhotoFingerprint {
  let dHash = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const a = layout[y * 8 + x]!;
      const b = layout[y * 8 + ((x + 1) % 8)]!;
      byte = (byte << 1) | (a > b ? 1 : 0);
    }
    dHash += byte.toString(16).padStart(2, '0');
  }
  return { dHash, layout: unit(layout), colour };
}

interface Synthetic {
  photos: GroupingPhoto[];
  truth: string[][];
}

/**
 * A synthetic shoot: `scenes` scenes, each a burst of 1–8 frames a second apart, scenes
 * `sceneGap` seconds apart; a frame is its scene plus noise of `noise` (in layout units).
 */
function syntheticShoot(
  scenes: number,
  { noise = 0.15, sceneGap = 120, seed = 7, features = 'none' as 'none' | 'random' | 'scene' } = {},
): Synthetic {
  const rnd = random(seed);
  const gauss = () => (rnd() + rnd() + rnd() - 1.5) * 1.4;
  const photos: GroupingPhoto[] = [];
  const truth: string[][] = [];
  let t = Date.UTC(2026, 4, 1, 9);
  for (let s = 0; s < scenes; s++) {
    const layout = Array.from({ length: 64 }, gauss);
    const colour = Array.from({ length: 32 }, () => gauss() * 0.2);
    const centre = Array.from({ length: 16 }, gauss);
    const size = 1 + Math.floor(rnd() * 8);
    const members: string[] = [];
    t += sceneGap * 1000;
    for (let f = 0; f < size; f++) {
      t += 1000;
      const id = `s${s}-f${f}`;
      const l = layout.map((v) => v + gauss() * noise);
      const c = colour.map((v) => v + gauss() * noise * 0.05);
      let vector: Float32Array | null = null;
      if (features === 'random') vector = Float32Array.from({ length: 16 }, gauss);
      if (features === 'scene') vector = Float32Array.from(centre, (v) => v + gauss() * 0.1);
      photos.push({
        id,
        order: photos.length,
        takenMs: t,
        fingerprint: fingerprint(l, c),
        features: vector,
      });
      members.push(id);
    }
    truth.push(members);
  }
  return { photos, truth };
}

/** Whether every group of `fine` lies inside one group of `coarse` (fine refines coarse). */
function refines(fine: string[][], coarse: string[][]): boolean {
  const of = new Map<string, number>();
  coarse.forEach((g, i) => g.forEach((id) => of.set(id, i)));
  return fine.every((g) => g.every((id) => of.get(id) === of.get(g[0]!)));
}

describe('groupShoot', () => {
  it('finds synthetic bursts with pairwise precision and recall ≥ 0.95', () => {
    const { photos, truth } = syntheticShoot(120);
    const found = groupShoot(photos, 0.5);
    const agreement = pairwiseAgreement(found.groups, truth);
    expect(agreement.precision).toBeGreaterThanOrEqual(0.95);
    expect(agreement.recall).toBeGreaterThanOrEqual(0.95);
    expect(found.signal).toBe('fingerprint');
  });

  it('keeps apart different scenes shot a second apart (time alone does not group)', () => {
    const { photos, truth } = syntheticShoot(60, { sceneGap: 1 });
    const found = pairwiseAgreement(groupShoot(photos, 0.5).groups, truth);
    expect(found.precision).toBeGreaterThanOrEqual(0.95);
    // The same scenes with look-alike distance ignored: every photo within the window is linked.
    const blind = photos.map((p) => ({
      ...p,
      fingerprint: fingerprint(new Array(64).fill(0), []),
    }));
    expect(pairwiseAgreement(groupShoot(blind, 0.5).groups, truth).precision).toBeLessThan(0.2);
  });

  it('keeps apart look-alike frames shot hours apart, and links untimed look-alikes', () => {
    const { photos } = syntheticShoot(1, { seed: 3 });
    if (photos.length < 2) throw new Error('the seed must give a burst');
    const hoursApart = photos.map((p, i) => ({ ...p, takenMs: p.takenMs! + i * 3_600_000 }));
    expect(groupShoot(hoursApart, 0.5).groups).toHaveLength(photos.length);
    const untimed = photos.map((p) => ({ ...p, takenMs: null }));
    expect(groupShoot(untimed, 0.5).groups).toHaveLength(1);
  });

  it('splits groups, never merges them, as strictness rises', () => {
    const { photos } = syntheticShoot(150, { noise: 0.35, sceneGap: 20 });
    let previous = groupShoot(photos, 0).groups;
    for (let s = 0.1; s <= 1.0001; s += 0.1) {
      const next = groupShoot(photos, s).groups;
      expect(refines(next, previous)).toBe(true);
      expect(next.length).toBeGreaterThanOrEqual(previous.length);
      previous = next;
    }
    // The slider does something across its range on this shoot.
    expect(groupShoot(photos, 1).groups.length).toBeGreaterThan(
      groupShoot(photos, 0).groups.length,
    );
  });

  it('gives the same groups whatever order the photos arrive in', () => {
    const { photos } = syntheticShoot(80, { noise: 0.3 });
    const reversed = [...photos].reverse();
    expect(groupShoot(reversed, 0.5)).toEqual(groupShoot(photos, 0.5));
  });

  it('lets the model features in only when they agree with the fingerprint', () => {
    const noisy = syntheticShoot(100, { features: 'random' });
    const withNoise = groupShoot(noisy.photos, 0.5);
    expect(withNoise.signal).toBe('fingerprint');
    expect(Math.abs(withNoise.agreement! - 0.5)).toBeLessThan(0.15);
    const plain = noisy.photos.map((p) => ({ ...p, features: null }));
    expect(withNoise.groups).toEqual(groupShoot(plain, 0.5).groups);

    const informed = syntheticShoot(100, { features: 'scene' });
    const withModel = groupShoot(informed.photos, 0.5);
    expect(withModel.signal).toBe('model+fingerprint');
    expect(withModel.agreement!).toBeGreaterThanOrEqual(0.9);
    const agreement = pairwiseAgreement(withModel.groups, informed.truth);
    expect(agreement.precision).toBeGreaterThanOrEqual(0.95);
    expect(agreement.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('groups 2,000 photos (time printed; the figure is in docs/GROUPING.md)', () => {
    const { photos, truth } = syntheticShoot(470, { sceneGap: 30 });
    expect(photos.length).toBeGreaterThan(1900);
    const started = performance.now();
    const found = groupShoot(photos, 0.5);
    console.info(
      `grouped ${photos.length} photos in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(pairwiseAgreement(found.groups, truth).recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('pieces', () => {
  it('measures pairwise precision and recall against hand-counted pairs', () => {
    // Truth {a,b,c} {d}: 3 pairs. Found {a,b} {c,d}: pairs ab (right) and cd (wrong).
    const r = pairwiseAgreement(
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [['a', 'b', 'c'], ['d']],
    );
    expect(r).toEqual({ precision: 0.5, recall: 1 / 3, foundPairs: 2, truePairs: 3 });
  });

  it('measures separation as the ROC area, counted by hand', () => {
    expect(separation([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(1);
    expect(separation([0.8, 0.9, 0.1, 0.2], [true, true, false, false])).toBe(0);
    // Positives 0.1 and 0.5, negatives 0.3 and 0.9: of 4 (positive, negative) pairs, 3 are in order.
    expect(separation([0.1, 0.5, 0.3, 0.9], [true, true, false, false])).toBe(0.75);
    // A tie counts half.
    expect(separation([0.5, 0.5], [true, false])).toBe(0.5);
  });

  it('reads fingerprint distance 0 for the same picture and near 1 for its negative', () => {
    const layout = Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const a = fingerprint(layout, new Array(32).fill(0));
    const b = fingerprint(
      layout.map((v) => -v),
      new Array(32).fill(0.5),
    );
    expect(fingerprintDistance(a, a)).toBeCloseTo(0, 10);
    expect(fingerprintDistance(a, b)).toBeGreaterThan(0.85);
  });

  it('reads EXIF capture times as UTC and refuses what is not a time', () => {
    expect(capturedMs('2026-05-01T10:00:02')).toBe(Date.UTC(2026, 4, 1, 10, 0, 2));
    expect(capturedMs('2026-05-01T10:00:02+02:00')).toBe(Date.UTC(2026, 4, 1, 8, 0, 2));
    expect(capturedMs('not a time')).toBeNull();
    expect(capturedMs(undefined)).toBeNull();
  });
});
