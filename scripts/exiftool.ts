/**
 * ExifTool (Debian's libimage-exiftool-perl) as the tests' independent XMP reader: what the
 * hand-back writes must read back the same in a reader that is not the app's own parser.
 */
import { execFileSync } from 'node:child_process';

/** One file's tags as `exiftool -j -G1 -a -struct` reports them ("XMP-xmp:Rating": 3, …). */
export type ExifToolTags = Record<string, unknown>;

/** Reads every tag of the files, grouped by family-1 group (XMP-xmp, XMP-crs, IFD0, ICC_Profile…). */
export function exiftool(...paths: string[]): ExifToolTags[] {
  const out = execFileSync('exiftool', ['-q', '-j', '-G1', '-a', '-struct', '-n', ...paths], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as ExifToolTags[];
}

/** The tags without those that name the file itself (name, dates, size, permissions). */
export function contentTags(tags: ExifToolTags): ExifToolTags {
  return Object.fromEntries(
    Object.entries(tags).filter(([k]) => !/^(SourceFile|System:|ExifTool:)/.test(k)),
  );
}
