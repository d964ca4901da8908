/**
 * What the hand-back writes for each photo, per editor profile, and the files themselves.
 *
 * - Adobe (Lightroom, Bridge, Camera Raw) and Capture One read `STEM.xmp` beside a proprietary RAW
 *   only (a RAW+JPEG pair shares it) and read XMP embedded in JPEG/TIFF/DNG, never a JPEG's
 *   sidecar: for a JPEG the app offers a tagged copy instead.
 * - darktable and digiKam read `STEM.EXT.xmp` beside every file (a pair gets two).
 *
 * An existing sidecar that came with the shoot is merged into (see xmp.ts); photos are never changed.
 */
import { NO_MARKS, xmpRating, type CullMarks } from './marks.ts';
import type { ShootFiles } from './shoot-files.ts';
import { embedXmp, hasExtendedXmp, JpegXmpError, readJpegXmp } from './jpeg-xmp.ts';
import { embeddedXmp, sidecarXmp, XmpMergeError, type AppQuality, type XmpFields } from './xmp.ts';

export type EditorProfile = 'adobe' | 'darktable';

/** The profiles as the export dialog names them. */
export const PROFILES: { key: EditorProfile; label: string }[] = [
  { key: 'adobe', label: 'Adobe (Lightroom, Bridge, Camera Raw) / Capture One' },
  { key: 'darktable', label: 'darktable / digiKam' },
];

/** Proprietary RAW formats: Adobe's and Capture One's readers look for STEM.xmp beside these. */
const PROPRIETARY_RAW = new Set([
  'cr2',
  'cr3',
  'nef',
  'nrw',
  'arw',
  'srf',
  'sr2',
  'raf',
  'orf',
  'rw2',
  'pef',
  'srw',
  'x3f',
  'iiq',
  '3fr',
  'rwl',
]);
const JPEG = new Set(['jpg', 'jpeg', 'jpe']);

/** One photo as the hand-back needs it. */
export interface HandbackPhoto {
  id: string;
  /** The file name the photo was added with (used when it came without ShootFiles). */
  name: string;
  shoot?: ShootFiles;
  /** The photographer's marks; undefined when they never marked it. */
  marks?: CullMarks;
  quality: AppQuality | null;
}

/** A file the hand-back will write, with where it goes inside the shoot's folder. */
export interface PlannedFile {
  kind: 'sidecar' | 'copy';
  /** Folder inside the shoot ('' at its top), '/'-separated. */
  folder: string;
  name: string;
  photoId: string;
  /** The sidecar that came with the shoot and is merged into. */
  existing?: File;
}

/** The plan: sidecars, tagged JPEG copies (written only when asked for), and photos neither covers. */
export interface HandbackPlan {
  sidecars: PlannedFile[];
  copies: PlannedFile[];
  uncovered: { photoId: string; name: string; why: string }[];
}

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
const stemOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
};

/** The photo's files: its ShootFiles, or one file named as it was added. */
function filesOf(photo: HandbackPhoto): {
  folder: string;
  stem: string;
  raw?: string;
  image?: string;
  sidecars: File[];
} {
  if (photo.shoot) return photo.shoot;
  const isRaw = PROPRIETARY_RAW.has(extension(photo.name)) || extension(photo.name) === 'dng';
  return {
    folder: '',
    stem: stemOf(photo.name),
    ...(isRaw ? { raw: photo.name } : { image: photo.name }),
    sidecars: [],
  };
}

const findSidecar = (sidecars: File[], name: string) =>
  sidecars.find((f) => f.name.toLowerCase() === name.toLowerCase());

/** Which files the profile writes for these photos. */
export function planHandback(
  photos: readonly HandbackPhoto[],
  profile: EditorProfile,
): HandbackPlan {
  const plan: HandbackPlan = { sidecars: [], copies: [], uncovered: [] };
  for (const photo of photos) {
    const f = filesOf(photo);
    const sidecar = (name: string) => {
      const existing = findSidecar(f.sidecars, name);
      plan.sidecars.push({
        kind: 'sidecar',
        folder: f.folder,
        name: existing?.name ?? name,
        photoId: photo.id,
        ...(existing ? { existing } : {}),
      });
    };
    if (profile === 'darktable') {
      for (const file of [f.raw, f.image]) if (file) sidecar(`${file}.xmp`);
      continue;
    }
    if (f.raw && PROPRIETARY_RAW.has(extension(f.raw))) {
      sidecar(`${f.stem}.xmp`);
    } else if (f.image && JPEG.has(extension(f.image))) {
      plan.copies.push({ kind: 'copy', folder: f.folder, name: f.image, photoId: photo.id });
    } else {
      const file = f.raw ?? f.image ?? photo.name;
      plan.uncovered.push({
        photoId: photo.id,
        name: file,
        why: `Lightroom and Capture One read the XMP inside ${extension(file).toUpperCase() || 'this'} files, not a sidecar, and the app only makes tagged copies of JPEGs`,
      });
    }
  }
  return plan;
}

/** The XMP fields of one photo. */
export function xmpFields(photo: HandbackPhoto): XmpFields {
  return {
    // A photo never marked keeps whatever rating an existing sidecar has (0 in a new one).
    rating: photo.marks ? xmpRating(photo.marks) : null,
    label: (photo.marks ?? NO_MARKS).label,
    quality: photo.quality,
  };
}

/** A written file: its path inside the shoot's folder ('/'-separated) and its bytes. */
export interface HandbackFile {
  path: string;
  kind: 'sidecar' | 'copy';
  merged: boolean;
  bytes: Uint8Array;
}

/** The folder inside the shoot's folder (and the zip) where tagged JPEG copies go. */
export const COPIES_FOLDER = 'Tagged copies';

/** Where a planned file goes, relative to the shoot's folder. */
export function plannedPath(file: PlannedFile): string {
  const inFolder = file.folder ? `${file.folder}/${file.name}` : file.name;
  return file.kind === 'copy' ? `${COPIES_FOLDER}/${inFolder}` : inFolder;
}

/** What rendering one planned file gives: the file, or a sentence saying why there is none. */
export type HandbackOutcome = { file: HandbackFile } | { problem: string };

/** How the renderer gets the photos' own bytes, and whether tagged copies are wanted. */
export interface RenderOptions {
  copies: boolean;
  photoBytes: (photoId: string) => Promise<Uint8Array | null>;
}

/**
 * Makes the plan's files one at a time, so a caller that writes each as it comes (the folder)
 * holds one photo's copy in memory, not all of them. A sidecar that is not XMP, or a JPEG that
 * cannot be tagged, gives a problem instead; the others are still made.
 */
export async function* renderEach(
  plan: HandbackPlan,
  photos: ReadonlyMap<string, HandbackPhoto>,
  options: RenderOptions,
): AsyncGenerator<HandbackOutcome> {
  const encoder = new TextEncoder();
  for (const planned of plan.sidecars) {
    const photo = photos.get(planned.photoId);
    if (!photo) continue;
    try {
      const existing = planned.existing ? await planned.existing.text() : null;
      const bytes = encoder.encode(sidecarXmp(existing, xmpFields(photo)));
      const merged = existing !== null;
      yield { file: { path: plannedPath(planned), kind: 'sidecar', merged, bytes } };
    } catch (error) {
      if (!(error instanceof XmpMergeError)) throw error;
      yield {
        problem: `${plannedPath(planned)} was not written: the existing sidecar could not be read because ${error.message}. It was left as it is.`,
      };
    }
  }
  if (!options.copies) return;
  for (const planned of plan.copies) {
    const photo = photos.get(planned.photoId);
    const original = photo ? await options.photoBytes(planned.photoId) : null;
    if (!photo || !original) {
      yield {
        problem: `${planned.name}: the photo's file is no longer at hand, so no copy was made.`,
      };
      continue;
    }
    try {
      const existing = hasExtendedXmp(original) ? null : readJpegXmp(original);
      const bytes = embedXmp(original, embeddedXmp(existing, xmpFields(photo)));
      const merged = existing !== null;
      yield { file: { path: plannedPath(planned), kind: 'copy', merged, bytes } };
    } catch (error) {
      if (!(error instanceof JpegXmpError || error instanceof XmpMergeError)) throw error;
      yield { problem: `No tagged copy of ${planned.name}: ${error.message}.` };
    }
  }
}

/** Every file of the plan at once (for the zip), and the problems met. */
export async function renderHandback(
  plan: HandbackPlan,
  photos: ReadonlyMap<string, HandbackPhoto>,
  options: RenderOptions,
): Promise<{ files: HandbackFile[]; problems: string[] }> {
  const files: HandbackFile[] = [];
  const problems: string[] = [];
  for await (const outcome of renderEach(plan, photos, options)) {
    if ('file' in outcome) files.push(outcome.file);
    else problems.push(outcome.problem);
  }
  return { files, problems };
}
