import { describe, expect, it, vi } from 'vitest';
import type { PhotoRecord } from '../photos/types.ts';
import type { PixelAnalysis, PhotoFingerprint } from '../pixels/protocol.ts';
import { createAppStore } from './index.ts';
import { REGROUP_DELAY_MS } from './groupsSlice.ts';
import type { PixelAnalysisState } from './pixelsSlice.ts';
import { FakeGroupsWorker, fakeScore, fakeServices } from './testing/fakes.ts';

/** Three made-up scenes whose fingerprints are far apart (opposite layouts and hashes). */
const scene = (kind: 1 | 2 | 3): PhotoFingerprint => {
  const base = Array.from({ length: 64 }, (_, i) =>
    kind === 3 ? Math.cos(i / 3) : Math.sin(i / 3),
  );
  const layout = kind === 2 ? base.map((v) => -v) : base;
  const n = Math.hypot(...layout);
  const dHash = ['0f0f0f0f0f0f0f0f', 'f0f0f0f0f0f0f0f0', '3c3c3c3c3c3c3c3c'][kind - 1]!;
  return { dHash, layout: layout.map((v) => v / n), colour: [] };
};

const measured = (fingerprint: PhotoFingerprint, sharpness: number): PixelAnalysisState => {
  const measure = (value: number) => ({ value, unit: '', verdict: 'good' as const, reading: '' });
  const analysis = {
    measures: {
      sharpness: measure(sharpness),
      highlightClipping: measure(0),
      shadowClipping: measure(0),
      exposure: measure(0),
    },
    fingerprint,
    maps: null,
  } as unknown as PixelAnalysis;
  return { status: 'ready', analysis };
};

/** A store holding photos a–e: a, b, c one burst a second apart; d and e other scenes, minutes on. */
function shoot() {
  const store = createAppStore(fakeServices().services);
  const taken = ['10:00:00', '10:00:01', '10:00:02', '10:05:00', '10:05:01'];
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const photos: Record<string, PhotoRecord> = {};
  ids.forEach((id, i) => {
    photos[id] = {
      id,
      name: `${id}.jpg`,
      bytes: 1,
      addedAt: i,
      status: 'ready',
      notes: [],
      exif: { taken: `2026-05-01T${taken[i]}` },
    };
  });
  store.setState({
    photos,
    photoOrder: ids,
    pixelAnalyses: {
      a: measured(scene(1), 10),
      b: measured(scene(1), 30),
      c: measured(scene(1), 20),
      d: measured(scene(2), 20),
      e: measured(scene(3), 20),
    },
  });
  return store;
}

describe('groups in the store', () => {
  it('groups as results arrive, a moment after the last one', async () => {
    vi.useFakeTimers();
    try {
      const store = shoot();
      expect(store.getState().groups).toEqual({});
      await vi.advanceTimersByTimeAsync(REGROUP_DELAY_MS);
      const { groups, groupOf } = store.getState();
      expect(Object.values(groups).map((g) => g.photoIds)).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
      expect(groupOf.b).toBe(groupOf.a);
      expect(groups[groupOf.a!]!.best).toEqual({
        photoId: 'b',
        reason: 'sharpest of 3; not scored yet; no clipped highlights',
        byPhotographer: false,
      });
      // Scores arrive: the choice says them.
      store.setState({
        scores: {
          a: { status: 'done', result: fakeScore(4) },
          b: { status: 'done', result: fakeScore(3.9) },
          c: { status: 'done', result: fakeScore(2) },
        },
      });
      await vi.advanceTimersByTimeAsync(REGROUP_DELAY_MS);
      // a scores highest but is clearly softer than b, so b stays the choice.
      expect(store.getState().groups[groupOf.a!]!.best?.reason).toBe(
        'sharpest of 3; score 3.9 vs 2.0–4.0; higher-scored frames are softer; no clipped highlights',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the photographer’s pick as the group’s choice', async () => {
    vi.useFakeTimers();
    try {
      const store = shoot();
      store.getState().setFlag('c', 'pick');
      await vi.advanceTimersByTimeAsync(REGROUP_DELAY_MS);
      const { groups, groupOf } = store.getState();
      expect(groups[groupOf.a!]!.best).toEqual({
        photoId: 'c',
        reason: 'your pick of 3',
        byPhotographer: true,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('splits the burst at the strictest setting only when its frames differ', async () => {
    vi.useFakeTimers();
    try {
      const store = shoot();
      store.getState().setGroupStrictness(1);
      await vi.advanceTimersByTimeAsync(REGROUP_DELAY_MS);
      // Identical fingerprints stay together however strict; other scenes stay apart.
      expect(Object.keys(store.getState().groups)).toHaveLength(3);
      store.getState().setGroupStrictness(7);
      expect(store.getState().groupStrictness).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('groups in the worker, one run at a time: changes meanwhile are grouped once more after it', async () => {
    const store = shoot();
    const before = FakeGroupsWorker.groupings;
    const first = store.getState().regroup();
    // Nothing is grouped within the call: the answer comes from the worker.
    expect(store.getState().groups).toEqual({});
    // A photo removed and the strictness changed while the worker groups: one more run, not two.
    store.setState((s) => ({ photoOrder: s.photoOrder.filter((id) => id !== 'e') }));
    store.setState((s) => {
      const photos = { ...s.photos };
      delete photos.e;
      return { photos };
    });
    const second = store.getState().regroup();
    const third = store.getState().regroup();
    await Promise.all([first, second, third]);
    expect(FakeGroupsWorker.groupings - before).toBe(2);
    expect(Object.values(store.getState().groups).map((g) => g.photoIds)).toEqual([
      ['a', 'b', 'c'],
      ['d'],
    ]);
    expect(store.getState().groupOf.e).toBeUndefined();
  });
});
