import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exiftool } from '../../scripts/exiftool.ts';
import { planHandback, plannedPath, renderHandback, type HandbackPhoto } from './handback.ts';
import type { ShootFiles } from './shoot-files.ts';

const shoot = (s: Partial<ShootFiles> & { stem: string }): ShootFiles => ({
  folder: 'day1',
  shown: 'image',
  sidecars: [],
  ...s,
});

const LR_SIDECAR = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" crs:Exposure2012="-0.30"/></rdf:RDF></x:xmpmeta>`;

const PHOTOS: HandbackPhoto[] = [
  // RAW+JPEG pair with a Lightroom sidecar beside it.
  {
    id: 'pair',
    name: 'IMG_0001.CR3',
    shoot: shoot({
      stem: 'IMG_0001',
      raw: 'IMG_0001.CR3',
      image: 'IMG_0001.JPG',
      shown: 'raw-preview',
      sidecars: [new File([LR_SIDECAR], 'IMG_0001.xmp')],
    }),
    marks: { flag: 'pick', stars: 4, label: 'Red' },
    quality: null,
  },
  {
    id: 'raw',
    name: 'DSC_0002.NEF',
    shoot: shoot({ stem: 'DSC_0002', raw: 'DSC_0002.NEF', shown: 'raw-preview' }),
    marks: { flag: 'reject', stars: 2, label: null },
    quality: null,
  },
  {
    id: 'jpeg',
    name: 'P0003.jpg',
    shoot: shoot({ stem: 'P0003', image: 'P0003.jpg' }),
    quality: null,
  },
  {
    id: 'dng',
    name: 'R0004.DNG',
    shoot: shoot({ stem: 'R0004', raw: 'R0004.DNG', shown: 'raw-preview' }),
    quality: null,
  },
  // Added on its own: no ShootFiles, named from the file it was added as.
  { id: 'alone', name: 'holiday.jpeg', quality: null },
];

describe('what each editor profile writes where', () => {
  it('Adobe / Capture One: STEM.xmp beside proprietary RAW (one for a pair), tagged copies for JPEGs', () => {
    const plan = planHandback(PHOTOS, 'adobe');
    expect(plan.sidecars.map(plannedPath)).toEqual(['day1/IMG_0001.xmp', 'day1/DSC_0002.xmp']);
    expect(plan.sidecars[0]!.existing?.name).toBe('IMG_0001.xmp');
    expect(plan.copies.map(plannedPath)).toEqual([
      'Tagged copies/day1/P0003.jpg',
      'Tagged copies/holiday.jpeg',
    ]);
    expect(plan.uncovered).toEqual([
      expect.objectContaining({
        photoId: 'dng',
        name: 'R0004.DNG',
        why: expect.stringMatching(/inside DNG/),
      }),
    ]);
  });

  it('darktable / digiKam: STEM.EXT.xmp beside every file, two for a pair', () => {
    const plan = planHandback(PHOTOS, 'darktable');
    expect(plan.sidecars.map(plannedPath)).toEqual([
      'day1/IMG_0001.CR3.xmp',
      'day1/IMG_0001.JPG.xmp',
      'day1/DSC_0002.NEF.xmp',
      'day1/P0003.jpg.xmp',
      'day1/R0004.DNG.xmp',
      'holiday.jpeg.xmp',
    ]);
    expect(plan.copies).toEqual([]);
    expect(plan.uncovered).toEqual([]);
  });

  it('writes sidecars ExifTool reads, merged into the one that came with the shoot', async () => {
    const byId = new Map(PHOTOS.map((p) => [p.id, p]));
    const { files, problems } = await renderHandback(planHandback(PHOTOS, 'adobe'), byId, {
      copies: false,
      photoBytes: async () => null,
    });
    expect(problems).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'ql-handback-'));
    const paths = files.map((f, i) => {
      const p = join(dir, `${i}.xmp`);
      writeFileSync(p, f.bytes);
      return p;
    });
    expect(files.map((f) => f.merged)).toEqual([true, false]);
    const [pair, raw] = exiftool(...paths);
    expect(pair).toMatchObject({
      'XMP-xmp:Rating': 4,
      'XMP-xmp:Label': 'Red',
      'XMP-crs:Exposure2012': -0.3,
    });
    expect(raw).toMatchObject({ 'XMP-xmp:Rating': -1 });
  });

  it('leaves a malformed sidecar alone and says so; the others are still written', async () => {
    const broken: HandbackPhoto = {
      ...PHOTOS[0]!,
      shoot: {
        ...PHOTOS[0]!.shoot!,
        sidecars: [new File(['<x:xmpmeta><rdf:RDF>'], 'IMG_0001.xmp')],
      },
    };
    const photos = [broken, PHOTOS[1]!];
    const { files, problems } = await renderHandback(
      planHandback(photos, 'adobe'),
      new Map(photos.map((p) => [p.id, p])),
      { copies: false, photoBytes: async () => null },
    );
    expect(files.map((f) => f.path)).toEqual(['day1/DSC_0002.xmp']);
    expect(problems).toEqual([
      expect.stringMatching(
        /^day1\/IMG_0001\.xmp was not written: .*not well-formed XML.*left as it is/,
      ),
    ]);
  });
});
