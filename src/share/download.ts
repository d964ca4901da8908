/** Saving a file made on the device (the report card) through the browser's download. */

/** Name of the downloaded report card. */
export const REPORT_CARD_FILE = 'quality-report.png';

/** Starts the browser's download of a blob under a file name. */
export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Long enough for the browser to start reading it.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Decodes an image URL (object URL or data URL) to a bitmap; null when it cannot be decoded. */
export async function bitmapFromUrl(url: string): Promise<ImageBitmap | null> {
  try {
    return await createImageBitmap(await (await fetch(url)).blob());
  } catch {
    return null;
  }
}
