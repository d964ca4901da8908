import { describe, expect, it } from 'vitest';
import type { PixelAnalysis } from '../pixels/client.ts';
import type { PhotoRecord } from '../photos/types.ts';
import { handbackPhotos, reportPhotos, type ExportState } from './export-source.ts';
import { CSV_COLUMNS, reportCsv, reportJson } from './report.ts';

const measure = (value: number) => ({ value, unit: '', verdict: 'good' as const, reading: '' });
const MEASURES = {
  exposure: measure(-0.349),
  highlightClipping: measure(0.00042),
  shadowClipping: measure(0.125),
  contrast: measure(0.4567),
  colourfulness: measure(31.6),
  sharpness: measure(12.34),
  noise: measure(2.05),
  blockiness: measure(0.111),
  resolution: measure(24.2),
} satisfies PixelAnalysis['measures'];

const photo = (id: string, name: string, extra: Partial<PhotoRecord> = {}): PhotoRecord => ({
  id,
  name,
  bytes: 1,
  addedAt: 0,
  status: 'ready',
  notes: [],
  ...extra,
});

const STATE = {
  photoOrder: ['a', 'b', 'bad'],
  photos: {
    a: photo('a', 'IMG_1.CR3', {
      shoot: {
        folder: 'day 1',
        stem: 'IMG_1',
        raw: 'IMG_1.CR3',
        image: 'IMG_1.JPG',
        shown: 'raw-preview',
        sidecars: [],
      },
    }),
    b: photo('b', 'says "hi", twice.jpg'),
    bad: photo('bad', 'broken.jpg', { status: 'failed' }),
  },
  scores: {
    a: {
      status: 'done',
      result: { score: 3.4567, score100: 61.4175, probabilities: [0.1234, 0.4, 0.3, 0.1, 0.0766] },
      by: { modelId: 'org/model', device: 'webgpu', dtypes: {} },
    },
    b: { status: 'waiting' },
  },
  pixelAnalyses: { a: { status: 'ready', analysis: { measures: MEASURES } } },
  marks: { a: { flag: 'pick', stars: 4, label: 'Green' } },
  groups: {
    g1: { id: 'g1', photoIds: ['a', 'b'], best: { photoId: 'a', reason: 'sharpest of 2' } },
  },
  groupOf: { a: 'g1', b: 'g1' },
} as unknown as ExportState;

describe('the CSV and JSON reports', () => {
  it('one row per photo that could be opened, with the numbers rounded as the screen shows them', () => {
    const csv = reportCsv(reportPhotos(STATE));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      [
        'IMG_1.CR3',
        'day 1',
        'IMG_1.CR3 + IMG_1.JPG',
        '3.46',
        '61',
        'Fair',
        '12.3%',
        '40.0%',
        '30.0%',
        '10.0%',
        '7.7%',
        '−0.3 EV',
        '0.04 %',
        '13 %',
        '0.46',
        '32',
        '12.3',
        'σ 2.0',
        '0.11',
        '24 MP',
        'pick',
        '4',
        'Green',
        'g1',
        'yes',
      ].join(','),
    );
    // Quotes and commas are quoted (RFC 4180); an unscored, unmeasured photo has empty cells.
    expect(lines[2]).toBe(
      `"says ""hi"", twice.jpg",,"says ""hi"", twice.jpg",${','.repeat(17)},0,,g1,no`,
    );
    expect(lines).toHaveLength(4); // header, two rows, the final CRLF
  });

  it('the JSON report carries the same photos unrounded', () => {
    const json = JSON.parse(reportJson(reportPhotos(STATE))) as Record<string, unknown>[];
    expect(json).toHaveLength(2);
    expect(json[0]).toMatchObject({
      files: ['IMG_1.CR3', 'IMG_1.JPG'],
      score: 3.4567,
      probabilities: { excellent: 0.1234, bad: 0.0766 },
      measures: { exposure: -0.349 },
      flag: 'pick',
      groupBest: true,
    });
    expect(json[1]).toMatchObject({ score: null, flag: null, stars: 0, groupBest: false });
  });

  it('the XMP side: marks only where the photographer marked, the score with its model', () => {
    const [a, b] = handbackPhotos(STATE);
    expect(a).toMatchObject({
      marks: { flag: 'pick', stars: 4, label: 'Green' },
      quality: { score: 3.4567, level: 'Fair', modelId: 'org/model', backend: 'webgpu' },
    });
    expect(b).toMatchObject({ quality: null });
    expect(b).not.toHaveProperty('marks');
  });
});
