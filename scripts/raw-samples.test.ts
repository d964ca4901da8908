/**
 * The generated RAWs are read by ExifTool, an independent reader, and by the app's parser: both
 * must give back exactly the preview JPEG the generator embedded, so the files are not shaped
 * only for our own parser.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRawPreview, rawKindOfName } from '../src/pixels/worker/raw-preview.ts';
import {
  ensureRawSamples,
  RAW_SAMPLES,
  RAW_SAMPLES_DIR,
  type RawSampleKind,
} from './raw-samples.ts';

beforeAll(ensureRawSamples);

const kinds = Object.keys(RAW_SAMPLES) as RawSampleKind[];
/** Where each format's layout puts the preview: found there, not by the fallback scan. */
const WHERE: Record<RawSampleKind, string> = {
  dng: 'SubIFD strip',
  nef: 'SubIFD',
  cr3: 'PRVW box',
};

describe.each(kinds)('the generated %s', (kind) => {
  const sample = RAW_SAMPLES[kind];
  const path = join(RAW_SAMPLES_DIR, sample.file);

  it(`gives ExifTool's ${sample.tag} and the app's parser the embedded preview, byte for byte`, () => {
    const embedded = readFileSync(join(RAW_SAMPLES_DIR, sample.preview));
    const byExifTool = execFileSync('exiftool', ['-b', `-${sample.tag}`, path], {
      maxBuffer: 64 << 20,
    });
    expect(byExifTool.length).toBeGreaterThan(10_000);
    expect(Buffer.compare(byExifTool, embedded)).toBe(0);

    const bytes = new Uint8Array(readFileSync(path));
    const preview = findRawPreview(bytes, rawKindOfName(sample.file)!);
    expect(Buffer.compare(Buffer.from(preview.jpeg), embedded)).toBe(0);
    expect(preview.source).toBe(WHERE[kind]);
  });

  it('is recognised by ExifTool as the camera format it claims to be', () => {
    const type = execFileSync('exiftool', ['-s3', '-FileType', path], { encoding: 'utf8' });
    expect(type.trim()).toBe(kind.toUpperCase());
  });
});
