/**
 * Turns the files of a dropped or picked shoot into photos: RAW+JPEG with the same stem in the
 * same folder become one photo, `.xmp` sidecars are kept with their photo, and files that are not
 * photos are skipped with a reason. The result is summed up in one line instead of a message per
 * file ("412 photos · 37 RAW+JPEG pairs · 3 skipped (2 videos, 1 text file)").
 */
import type { ShootFiles } from './shoot-files.ts';

/** A file as it came in, with its path inside the dropped or picked folder ('/' separators). */
export interface IncomingFile {
  file: File;
  /** `folder/sub/name.ext`, or just the name for loose files. */
  path: string;
}

/** One photo to add: the file shown, measured and scored, and the files that make it. */
export interface PlannedPhoto {
  file: File;
  shoot: ShootFiles;
}

/** What a shoot's files came to. */
export interface ShootPlan {
  /**
   * The shoot's folder when every file came from inside one (a picked, dropped or input folder):
   * its name. Photos' `shoot.folder` paths are inside it, without its name, so they are the paths
   * to write at through that folder's handle. Null for loose files or several folders at once.
   */
  folder: string | null;
  photos: PlannedPhoto[];
  pairs: number;
  /** Sidecars kept with a photo. */
  sidecars: number;
  /** Sidecars whose photo was not among the files (paths): never "skipped", but said. */
  orphanSidecars: string[];
  /** Files left out, each with a short reason (grouped in the summary). */
  skipped: { path: string; reason: SkipReason }[];
}

export type SkipReason = 'video' | 'text file' | 'not a photo';

const RAW = new Set(['cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2', 'dng']);
/** What the pixels worker opens (sniff.ts), by extension. */
const IMAGE = new Set([
  'jpg',
  'jpeg',
  'jpe',
  'png',
  'gif',
  'webp',
  'avif',
  'heic',
  'heif',
  'tif',
  'tiff',
  'bmp',
]);
const VIDEO = new Set(['mov', 'mp4', 'm4v', 'avi', 'mts', 'm2ts', 'mkv', 'webm', 'mpg', '3gp']);
const TEXT = new Set(['txt', 'md', 'csv', 'json', 'log', 'rtf', 'pdf', 'html', 'xml']);
/** Files a file manager or camera leaves behind, never the person's: left out silently. */
const SYSTEM = /^(\..*|thumbs\.db|desktop\.ini)$/i;

const extOf = (name: string) => /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
const stemOf = (name: string) => name.replace(/\.[^./]+$/, '');

/** A path with '/' separators and no leading '/', split into its folder and file name. */
function splitPath(path: string): { path: string; folder: string; name: string } {
  const clean = path.replace(/\\/g, '/').replace(/^\/+/, '');
  const cut = clean.lastIndexOf('/');
  return cut < 0
    ? { path: clean, folder: '', name: clean }
    : { path: clean, folder: clean.slice(0, cut), name: clean.slice(cut + 1) };
}

/** The one folder every file came from inside (its name), or null. */
function shootFolder(incoming: readonly IncomingFile[]): string | null {
  let top: string | null = null;
  for (const { file, path } of incoming) {
    const clean = splitPath(path || file.name).path;
    const cut = clean.indexOf('/');
    if (cut < 0) return null;
    const first = clean.slice(0, cut);
    if (top !== null && first !== top) return null;
    top = first;
  }
  return top;
}

/** Groups a shoot's files into photos, pairs and sidecars, and lists what was skipped. */
export function planShoot(incoming: readonly IncomingFile[]): ShootPlan {
  interface Slot {
    folder: string;
    stem: string;
    raws: File[];
    images: File[];
  }
  const slots = new Map<string, Slot>();
  const sidecars: { folder: string; name: string; path: string; file: File }[] = [];
  const skipped: ShootPlan['skipped'] = [];
  const top = shootFolder(incoming);
  const inside = (path: string) => (top === null ? path : path.slice(top.length + 1));

  for (const { file, path } of incoming) {
    const { folder, name } = splitPath(inside(splitPath(path || file.name).path));
    if (SYSTEM.test(name)) continue;
    const ext = extOf(name);
    if (ext === 'xmp') {
      sidecars.push({ folder, name, path, file });
      continue;
    }
    const isRaw = RAW.has(ext);
    if (!isRaw && !IMAGE.has(ext) && !(ext === '' && file.type.startsWith('image/'))) {
      const reason: SkipReason = VIDEO.has(ext)
        ? 'video'
        : TEXT.has(ext)
          ? 'text file'
          : 'not a photo';
      skipped.push({ path, reason });
      continue;
    }
    const stem = stemOf(name);
    // Stems match case-insensitively: IMG_0001.CR3 beside IMG_0001.jpg after a copy.
    const slotKey = `${folder}\u0000${stem.toLowerCase()}`;
    const slot = slots.get(slotKey) ?? { folder, stem, raws: [], images: [] };
    slots.set(slotKey, slot);
    (isRaw ? slot.raws : slot.images).push(file);
  }

  const photos: PlannedPhoto[] = [];
  let pairs = 0;
  const photo = (folder: string, stem: string, raw?: File, image?: File): PlannedPhoto => ({
    file: (image ?? raw)!,
    shoot: {
      folder,
      stem,
      ...(raw ? { raw: raw.name } : {}),
      ...(image ? { image: image.name } : {}),
      shown: image ? 'image' : 'raw-preview',
      sidecars: [],
    },
  });
  for (const { folder, stem, raws, images } of slots.values()) {
    // The first RAW pairs with the first image; a second RAW (NEF and DNG of one frame) or image
    // (a JPEG and a HEIC) with the same stem is a photo of its own.
    const [raw, ...otherRaws] = raws;
    const [image, ...otherImages] = images;
    if (raw && image) pairs += 1;
    photos.push(photo(folder, stem, raw, image));
    for (const other of otherRaws) photos.push(photo(folder, stem, other));
    for (const other of otherImages) photos.push(photo(folder, stem, undefined, other));
  }

  // STEM.xmp belongs to the photo with that stem (RAW+JPEG share it); STEM.EXT.xmp to that file.
  let kept = 0;
  const orphanSidecars: string[] = [];
  for (const sidecar of sidecars) {
    const inner = stemOf(sidecar.name);
    const owner =
      photos.find(
        (p) =>
          p.shoot.folder === sidecar.folder &&
          [p.shoot.raw, p.shoot.image].some((n) => n?.toLowerCase() === inner.toLowerCase()),
      ) ??
      photos.find(
        (p) =>
          p.shoot.folder === sidecar.folder && p.shoot.stem.toLowerCase() === inner.toLowerCase(),
      );
    if (owner) {
      owner.shoot.sidecars.push(sidecar.file);
      kept += 1;
    } else {
      orphanSidecars.push(sidecar.path);
    }
  }
  // The order a file manager shows them in: by folder, then name, numbers compared as numbers.
  const order = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  photos.sort(
    (a, b) =>
      order.compare(a.shoot.folder, b.shoot.folder) || order.compare(a.file.name, b.file.name),
  );
  return { folder: top, photos, pairs, sidecars: kept, orphanSidecars, skipped };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "412 photos · 37 RAW+JPEG pairs · 3 XMP sidecars · 3 skipped (2 videos, 1 text file)". */
export function shootSummary(plan: ShootPlan): string {
  const parts = [plan.photos.length === 0 ? 'No photos' : plural(plan.photos.length, 'photo')];
  if (plan.pairs > 0) parts.push(plural(plan.pairs, 'RAW+JPEG pair'));
  if (plan.sidecars > 0) parts.push(plural(plan.sidecars, 'XMP sidecar'));
  if (plan.orphanSidecars.length > 0) {
    const n = plan.orphanSidecars.length;
    parts.push(
      n === 1 ? '1 XMP sidecar without its photo' : `${n} XMP sidecars without their photos`,
    );
  }
  if (plan.skipped.length > 0) {
    const counts = new Map<SkipReason, number>();
    for (const { reason } of plan.skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const why = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([reason, n]) => plural(n, reason))
      .join(', ');
    parts.push(`${plan.skipped.length} skipped (${why})`);
  }
  return parts.join(' · ');
}

/** The note a photo of a shoot carries about its files (null when there is nothing to say). */
export function shootNote(shoot: ShootFiles): string | null {
  if (shoot.raw && shoot.image) {
    return (
      `RAW+JPEG pair: ${shoot.image} is shown, measured and scored (the camera's full-size ` +
      `rendering); ${shoot.raw} is kept with it.`
    );
  }
  return null;
}
