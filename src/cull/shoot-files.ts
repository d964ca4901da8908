/**
 * The files that make one photo of a shoot. A RAW and a JPEG with the same stem in the same folder
 * are one photo with two files; an `.xmp` sidecar that came with the shoot is kept (never changed)
 * so the hand-back to the editor can merge into it.
 */
export interface ShootFiles {
  /**
   * Folder path inside the shoot's folder ('' at its top), with '/' separators and without the
   * shoot folder's own name, however the folder came in (picker, drop or folder input): the path
   * the hand-back writes at through that folder's handle.
   */
  folder: string;
  /** File name without its extension, as the pair and `STEM.xmp` share it. */
  stem: string;
  /** The RAW file's name (with extension), when the photo has one. */
  raw?: string;
  /** The JPEG/HEIC/… file's name, when the photo has one. */
  image?: string;
  /** Which file the app showed, measured and scored. */
  shown: 'raw-preview' | 'image';
  /** Sidecars found beside the photo, by file name (`STEM.xmp`, `STEM.EXT.xmp`). */
  sidecars: File[];
}
