/**
 * The app's own pixel analysis (fingerprint and measures, as the pixels worker runs it) and its
 * own EXIF reader on the generated shoot (scripts/cull-shoot.ts), decoded with sharp: how well the
 * groups and the best of each match the shoot's truth. Writes the figures to
 * .cache/shoot-grouping.json (reported in docs/CULLING.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCullShoot, type ShootTruth } from '../../scripts/cull-shoot.ts';
import type { PixelAnalysis } from '../pixels/protocol.ts';
import { readExif } from '../pixels/worker/exif.ts';
import { analysePixels } from '../pixels/worker/measures/analyse.ts';
import { chooseBest } from './best.ts';
import { capturedMs, groupShoot, pairwiseAgreement, type GroupingPhoto } from './groups.ts';
import { NO_MARKS } from './marks.ts';

let truth: ShootTruth;
const analyses = new Map<string, Omit<PixelAnalysis, 'elapsedMs'>>();
const photos: GroupingPhoto[] = [];

beforeAll(async () => {
  const shoot = await ensureCullShoot();
  truth = shoot.truth;
  for (const [order, path] of shoot.paths.entries()) {
    const name = truth.files[order]!.name;
    const bytes = readFileSync(path);
    const { data, info } = await sharp(bytes)
      .rotate()
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
    const analysis = analysePixels({
      image,
      nativeCrops: [],
      sourceWidth: info.width,
      sourceHeight: info.height,
      format: 'jpeg',
    });
    analyses.set(name, analysis);
    const { exif } = await readExif(new Uint8Array(bytes));
    photos.push({
      id: name,
      order,
      takenMs: capturedMs(exif?.taken),
      fingerprint: analysis.fingerprint ?? null,
      features: null,
    });
  }
}, 300_000);

const truthGroups = () => truth.groups.map((g) => g.files);

describe('grouping the generated shoot with the pixel fingerprint', () => {
  it('is a shoot of at least 300 photos with bursts of 3–8 and capture times', () => {
    expect(truth.files.length).toBeGreaterThanOrEqual(300);
    const bursts = truth.groups.filter((g) => g.files.length > 1);
    expect(Math.min(...bursts.map((g) => g.files.length))).toBe(3);
    expect(Math.max(...bursts.map((g) => g.files.length))).toBe(8);
    expect(photos.every((p) => p.takenMs !== null)).toBe(true);
  });

  it('finds the bursts: pairwise precision and recall ≥ 0.9 at the default strictness', () => {
    const report: Record<string, unknown> = {};
    for (const strictness of [0, 0.25, 0.5, 0.75, 1]) {
      const timed = pairwiseAgreement(groupShoot(photos, strictness).groups, truthGroups());
      const untimed = pairwiseAgreement(
        groupShoot(
          photos.map((p) => ({ ...p, takenMs: null })),
          strictness,
        ).groups,
        truthGroups(),
      );
      report[strictness] = { withTime: timed, fingerprintOnly: untimed };
    }
    // Capture time alone (every pair close in time linked) is not enough on this shoot.
    const timeOnly = pairwiseAgreement(
      groupShoot(
        photos.map((p) => ({
          ...p,
          fingerprint: { dHash: '0'.repeat(16), layout: [], colour: [] },
        })),
        0.5,
      ).groups,
      truthGroups(),
    );
    report.timeOnly = timeOnly;
    mkdirSync('.cache', { recursive: true });
    writeFileSync(join('.cache', 'shoot-grouping.json'), JSON.stringify(report, null, 1));
    console.info(JSON.stringify(report));
    const atDefault = report[0.5] as { withTime: { precision: number; recall: number } };
    expect(atDefault.withTime.precision).toBeGreaterThanOrEqual(0.9);
    expect(atDefault.withTime.recall).toBeGreaterThanOrEqual(0.9);
    expect(timeOnly.precision).toBeLessThan(0.9);
  });

  it("picks each burst's undamaged frame from the measures alone (no scores yet)", () => {
    const grouping = groupShoot(photos, 0.5);
    const misses: string[] = [];
    for (const group of truth.groups.filter((g) => g.files.length > 1)) {
      const found = grouping.groups.find((g) => g.includes(group.best)) ?? [group.best];
      const choice = chooseBest(
        found.map((id) => {
          const m = analyses.get(id)!.measures;
          return {
            id,
            score: null,
            sharpness: m.sharpness.value,
            highlights: m.highlightClipping.value,
            shadows: m.shadowClipping.value,
            ev: m.exposure.value,
            marks: NO_MARKS,
          };
        }),
      );
      if (choice?.photoId !== group.best) misses.push(`${group.id}: ${choice?.photoId}`);
    }
    expect(misses).toEqual([]);
  });
});
