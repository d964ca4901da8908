/**
 * A generated shoot with its truth, for grouping bursts and picking the best of each: bursts of
 * 3–8 frames made from one frame of a real photograph (Debian's mate-backgrounds) by shifting or
 * cropping it and blurring or exposing it differently, distinct single photos between them, and
 * EXIF DateTimeOriginal set as a camera would (bursts a second apart, scenes minutes apart; some
 * singles a few seconds after a burst, so capture time alone cannot group). The undamaged frame
 * of each burst, at a different place in each burst, is the truth's best.
 *
 * Made once in .cache/photos/cull-shoot/ (640 px long side: the count matters, not megapixels):
 * the photos, and truth.json naming every file's group and each group's best.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { originalsDir, PHOTOS_DIR } from './test-photos.ts';

/** Bumped when the recipe changes, so an old shoot is made again. */
const RECIPE_VERSION = 3;

export const CULL_SHOOT_DIR = join(PHOTOS_DIR, 'cull-shoot');
const WIDTH = 640;
const HEIGHT = 480;
const BURSTS = 50;
const SINGLES = 50;
/** Least detail (sharp's Laplacian-based `stats().sharpness`) of a burst's scene. */
const MIN_BURST_DETAIL = 0.2;
/** Frames per burst, in turn. */
const BURST_SIZES = [3, 4, 5, 6, 7, 8, 4, 5];

/** What was done to a frame (the truth keeps it, so a failure can be read). */
export type Damage = 'none' | 'blur' | 'over' | 'under';

export interface ShootTruthFile {
  name: string;
  group: string;
  /** DateTimeOriginal as written ("2026:05:01 10:00:02"). */
  taken: string;
  damage: Damage;
  /** The window moved (shift) or narrowed (crop) from the burst's frame. */
  framing: 'as-shot' | 'shift' | 'crop';
}

export interface ShootTruth {
  version: number;
  files: ShootTruthFile[];
  /** Every group (bursts and singles) with its members and its best (the undamaged frame). */
  groups: { id: string; files: string[]; best: string }[];
}

interface Window {
  source: string;
  left: number;
  top: number;
  width: number;
  flop: boolean;
}

/** Capture time as EXIF writes it, from seconds after the shoot's start (10:00:00 UTC). */
function exifTime(seconds: number): string {
  const d = new Date(Date.UTC(2026, 4, 1, 10, 0, 0) + seconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}:${p(d.getUTCMonth() + 1)}:${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The shoot's truth, and the files made if they are not there yet. */
export async function ensureCullShoot(): Promise<{ paths: string[]; truth: ShootTruth }> {
  const truthPath = join(CULL_SHOOT_DIR, 'truth.json');
  if (existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as ShootTruth;
    if (truth.version === RECIPE_VERSION) {
      return { paths: truth.files.map((f) => join(CULL_SHOOT_DIR, f.name)), truth };
    }
  }
  rmSync(CULL_SHOOT_DIR, { recursive: true, force: true });
  mkdirSync(CULL_SHOOT_DIR, { recursive: true });

  const originals = originalsDir();
  const sources = readdirSync(originals)
    .filter((n) => n.endsWith('.jpg'))
    .sort();
  const sizes = new Map<string, { width: number; height: number }>();
  for (const name of sources) {
    const { width = 0, height = 0 } = await sharp(join(originals, name)).metadata();
    sizes.set(name, { width, height });
  }

  /** Scene k: a source photo and a window on it; consecutive scenes use different sources. */
  const scene = (k: number): Window => {
    const source = sources[k % sources.length]!;
    const { width: w, height: h } = sizes.get(source)!;
    const variant = Math.floor(k / sources.length);
    const zoom = 0.4 + ((variant * 3) % 7) * 0.07;
    const width = Math.round(Math.min(w, (h * 4) / 3) * zoom);
    const height = Math.round((width * 3) / 4);
    const fx = [0.05, 0.95, 0.5, 0.2, 0.8, 0.35, 0.65, 0.1, 0.9][variant % 9]!;
    const fy = [0.5, 0.1, 0.9, 0.3, 0.7, 0.95, 0.05, 0.6, 0.4][variant % 9]!;
    return {
      source,
      left: Math.round((w - width) * fx),
      top: Math.round((h - height) * fy),
      width,
      flop: variant % 2 === 1,
    };
  };

  const framed = (win: Window) => {
    const height = Math.round((win.width * 3) / 4);
    const image = sharp(join(originals, win.source))
      .extract({ left: win.left, top: win.top, width: win.width, height })
      .resize(WIDTH, HEIGHT, { kernel: 'lanczos3' });
    return win.flop ? image.flop() : image;
  };
  /** Whether a window has detail enough that blurring it is a visible fault (not a bare sky). */
  const detailed = async (win: Window) => {
    const { data, info } = await framed(win).raw().toBuffer({ resolveWithObject: true });
    const { sharpness } = await sharp(data, { raw: info }).stats();
    return sharpness >= MIN_BURST_DETAIL;
  };

  const render = async (win: Window, damage: Damage, taken: string, path: string) => {
    let image = framed(win);
    if (damage === 'blur') image = image.blur(2);
    // ±1.2 EV on gamma-encoded values (2^1.2 ≈ 2.3 times the light; ^(1/2.2) on the encoding).
    if (damage === 'over') image = image.linear(1.46, 0);
    if (damage === 'under') image = image.linear(0.69, 0);
    const jpeg = await image
      .jpeg({ quality: 88 })
      .withExif({
        IFD0: { Make: 'quality-lens', Model: 'generated shoot' },
        IFD2: { DateTimeOriginal: taken },
      })
      .toBuffer();
    writeFileSync(path, jpeg);
  };

  const files: ShootTruthFile[] = [];
  const groups: ShootTruth['groups'] = [];
  let clock = 0;
  let sceneIndex = 0;
  let frameNo = 0;
  const nextName = () => `IMG_${String(++frameNo).padStart(4, '0')}.jpg`;

  const addSingle = async (gapSeconds: number) => {
    clock += gapSeconds;
    const name = nextName();
    const taken = exifTime(clock);
    await render(scene(sceneIndex++), 'none', taken, join(CULL_SHOOT_DIR, name));
    const group = `single-${groups.length + 1}`;
    files.push({ name, group, taken, damage: 'none', framing: 'as-shot' });
    groups.push({ id: group, files: [name], best: name });
  };

  for (let b = 0; b < BURSTS; b++) {
    const size = BURST_SIZES[b % BURST_SIZES.length]!;
    let base = scene(sceneIndex++);
    while (!(await detailed(base))) base = scene(sceneIndex++);
    // The undamaged frame sits at a different place in each burst.
    const bestAt = (b * 3) % size;
    // One frame over and one under at most, so most of the burst shares the intended exposure.
    const damages: Damage[] = ['blur', 'over', 'under', 'blur', 'blur', 'blur', 'blur'];
    const group = `burst-${b + 1}`;
    const members: string[] = [];
    let best = '';
    clock += 120 + ((b * 37) % 180);
    for (let f = 0, d = 0; f < size; f++) {
      if (f > 0) clock += 1;
      const name = nextName();
      const taken = exifTime(clock);
      const damage: Damage = f === bestAt ? 'none' : damages[d++]!;
      const framing = f === bestAt ? 'as-shot' : f % 2 === 0 ? 'shift' : 'crop';
      const step = Math.round(base.width * (0.02 + 0.01 * (f % 3)));
      const win: Window =
        framing === 'shift'
          ? { ...base, left: Math.max(0, base.left - step) }
          : framing === 'crop'
            ? {
                ...base,
                left: base.left + step,
                top: base.top + step,
                width: base.width - 2 * step,
              }
            : base;
      await render(win, damage, taken, join(CULL_SHOOT_DIR, name));
      files.push({ name, group, taken, damage, framing });
      members.push(name);
      if (damage === 'none') best = name;
    }
    groups.push({ id: group, files: members, best });
    // A single after this burst: most minutes later, every other one three seconds later (the
    // photographer turned to another subject), where only the pictures can tell them apart.
    if (b < SINGLES) await addSingle(b % 2 === 0 ? 3 : 90 + ((b * 53) % 120));
  }

  const truth: ShootTruth = { version: RECIPE_VERSION, files, groups };
  writeFileSync(truthPath, JSON.stringify(truth, null, 1));
  return { paths: files.map((f) => join(CULL_SHOOT_DIR, f.name)), truth };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { truth } = await ensureCullShoot();
  const bursts = truth.groups.filter((g) => g.files.length > 1).length;
  console.info(
    `${truth.files.length} photos in ${CULL_SHOOT_DIR}: ${bursts} bursts, ${truth.groups.length - bursts} singles`,
  );
}
