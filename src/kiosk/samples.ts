/** The sample photos shipped with the kiosk (made by scripts/kiosk-samples.ts). */
import outOfFocus from './samples/out-of-focus.jpg';
import sharp from './samples/sharp.jpg';
import tooDark from './samples/too-dark.jpg';

export interface KioskSample {
  url: string;
  /** Shown under the thumbnail and used as the photo's name. */
  label: string;
  file: string;
}

export const KIOSK_SAMPLES: readonly KioskSample[] = [
  { url: sharp, label: 'Sharp', file: 'sample-sharp.jpg' },
  { url: outOfFocus, label: 'Out of focus', file: 'sample-out-of-focus.jpg' },
  { url: tooDark, label: 'Too dark', file: 'sample-too-dark.jpg' },
];

/** A sample as a File, as if the visitor had picked it. */
export async function sampleFile(sample: KioskSample): Promise<File> {
  const response = await fetch(sample.url);
  if (!response.ok) throw new Error(`sample ${sample.file} is missing (${response.status})`);
  return new File([await response.blob()], sample.file, { type: 'image/jpeg' });
}
