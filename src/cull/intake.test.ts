import { describe, expect, it } from 'vitest';
import { planShoot, shootNote, shootSummary, type IncomingFile } from './intake.ts';

const file = (path: string, type = ''): IncomingFile => ({
  file: new File([new Uint8Array(8)], path.split('/').pop()!, { type }),
  path,
});

describe('planShoot', () => {
  it('makes one photo of a RAW and a JPEG with the same stem in the same folder', () => {
    const plan = planShoot([
      file('day1/IMG_0003.CR3'),
      file('day1/IMG_0003.JPG'),
      file('day2/IMG_0003.NEF'), // same stem, other folder: a photo of its own
    ]);
    expect(plan.pairs).toBe(1);
    expect(plan.photos.map((p) => [p.file.name, p.shoot])).toEqual([
      [
        'IMG_0003.JPG',
        {
          folder: 'day1',
          stem: 'IMG_0003',
          raw: 'IMG_0003.CR3',
          image: 'IMG_0003.JPG',
          shown: 'image',
          sidecars: [],
        },
      ],
      [
        'IMG_0003.NEF',
        {
          folder: 'day2',
          stem: 'IMG_0003',
          raw: 'IMG_0003.NEF',
          shown: 'raw-preview',
          sidecars: [],
        },
      ],
    ]);
  });

  it('pairs stems whatever their case, and keeps a second RAW of one frame apart', () => {
    const plan = planShoot([file('a/dsc_1.nef'), file('a/DSC_1.jpg'), file('a/DSC_1.dng')]);
    expect(plan.pairs).toBe(1);
    expect(plan.photos.map((p) => p.file.name).sort()).toEqual(['DSC_1.dng', 'DSC_1.jpg']);
  });

  it('keeps STEM.xmp and STEM.EXT.xmp with their photo, never as skipped', () => {
    const plan = planShoot([
      file('s/IMG_1.CR2'),
      file('s/IMG_1.jpg'),
      file('s/IMG_1.xmp'),
      file('s/IMG_2.NEF'),
      file('s/IMG_2.NEF.xmp'),
      file('s/IMG_9.xmp'),
    ]);
    const sidecarsOf = (name: string) =>
      plan.photos.find((p) => p.file.name === name)!.shoot.sidecars.map((f) => f.name);
    expect(sidecarsOf('IMG_1.jpg')).toEqual(['IMG_1.xmp']);
    expect(sidecarsOf('IMG_2.NEF')).toEqual(['IMG_2.NEF.xmp']);
    expect(plan.sidecars).toBe(2);
    expect(plan.skipped).toEqual([]);
    expect(plan.orphanSidecars).toEqual(['s/IMG_9.xmp']);
    expect(shootSummary(plan)).toBe(
      '2 photos · 1 RAW+JPEG pair · 2 XMP sidecars · 1 XMP sidecar without its photo',
    );
  });

  it('skips files that are not photos with a reason, and system files silently', () => {
    const plan = planShoot([
      file('x/clip.MOV'),
      file('x/clip2.mp4'),
      file('x/notes.txt'),
      file('x/archive.zip'),
      file('x/.DS_Store'),
      file('x/Thumbs.db'),
      file('x/a.heic'),
      file('pasted', 'image/png'),
    ]);
    expect(plan.photos.map((p) => p.file.name)).toEqual(['pasted', 'a.heic']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'video',
      'video',
      'text file',
      'not a photo',
    ]);
  });

  it("keeps photos' folders inside the shoot's folder, whichever way it came in", () => {
    // A picked handle, a drop and <input webkitdirectory> all give paths from the folder's name.
    const plan = planShoot([
      file('wedding/ceremony/IMG_0001.CR3'),
      file('wedding/ceremony/IMG_0001.xmp'),
      file('wedding/IMG_0002.jpg'),
    ]);
    expect(plan.folder).toBe('wedding');
    expect(plan.photos.map((p) => [p.shoot.folder, p.shoot.stem, p.shoot.sidecars.length])).toEqual(
      [
        ['', 'IMG_0002', 0],
        ['ceremony', 'IMG_0001', 1],
      ],
    );
    // Loose files, or two folders at once, have no shoot folder: paths stay as they came.
    expect(planShoot([file('IMG_1.jpg'), file('IMG_2.jpg')]).folder).toBeNull();
    const two = planShoot([file('day1/IMG_1.jpg'), file('day2/IMG_2.jpg')]);
    expect(two.folder).toBeNull();
    expect(two.photos.map((p) => p.shoot.folder)).toEqual(['day1', 'day2']);
  });

  it('orders photos as a file manager does (folder, then name with numbers as numbers)', () => {
    const plan = planShoot([file('b/IMG_10.jpg'), file('b/IMG_9.jpg'), file('a/IMG_2.jpg')]);
    expect(plan.photos.map((p) => `${p.shoot.folder}/${p.file.name}`)).toEqual([
      'a/IMG_2.jpg',
      'b/IMG_9.jpg',
      'b/IMG_10.jpg',
    ]);
  });
});

describe('shootSummary', () => {
  it('says a shoot in one line with the reasons for skipping grouped', () => {
    const files = [
      ...Array.from({ length: 410 }, (_, i) => file(`s/IMG_${i}.jpg`)),
      ...Array.from({ length: 37 }, (_, i) => file(`s/IMG_${i}.CR3`)),
      file('s/IMG_500.NEF'),
      file('s/IMG_501.DNG'),
      file('s/IMG_1.xmp'),
      file('s/a.mov'),
      file('s/b.mov'),
      file('s/readme.txt'),
    ];
    expect(shootSummary(planShoot(files))).toBe(
      '412 photos · 37 RAW+JPEG pairs · 1 XMP sidecar · 3 skipped (2 videos, 1 text file)',
    );
  });

  it('says only what there is', () => {
    expect(shootSummary(planShoot([file('a.jpg')]))).toBe('1 photo');
  });
});

describe('shootNote', () => {
  it('says which file of a pair is measured, and nothing for a single file', () => {
    const [pair, single] = planShoot([
      file('IMG_1.CR3'),
      file('IMG_1.JPG'),
      file('IMG_2.JPG'),
    ]).photos;
    expect(shootNote(pair!.shoot)).toMatch(
      /^RAW\+JPEG pair: IMG_1\.JPG is shown.*IMG_1\.CR3 is kept/,
    );
    expect(shootNote(single!.shoot)).toBeNull();
  });
});
