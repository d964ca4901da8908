import type { ShootFiles } from '../cull/shoot-files.ts';
import type { ExifSummary, PixelReader } from '../pixels/protocol.ts';

/** A photo the person added, as the UI knows it. Pixels live in photos/bitmaps.ts, not here. */
export interface PhotoRecord {
  id: string;
  name: string;
  bytes: number;
  addedAt: number;
  status: 'decoding' | 'ready' | 'failed';
  /** A clear sentence when the file could not be used. */
  error?: string;
  /** Upright size of the original file. */
  width?: number;
  height?: number;
  format?: string;
  /** Small JPEG for the photo strip (object URL). */
  thumbUrl?: string;
  exif?: ExifSummary | null;
  /** Things worth knowing about the decode (downsampled, first frame of an animation, …). */
  notes: string[];
  /** How the working copy was made (the fast JPEG path or the browser's decode). */
  reader?: PixelReader;
  /** For a photo that came in as part of a folder or many files: the files that make it. */
  shoot?: ShootFiles;
}
