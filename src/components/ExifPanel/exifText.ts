import type { ExifSummary } from '../../pixels/client.ts';

/** 1/250 s for short exposures, 0.5 s or 2 s for long ones. */
export function formatShutter(seconds: number): string {
  if (seconds >= 0.3) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

/** The exposure triangle as a photographer writes it: "1/250 s · f/2.8 · ISO 400". */
export function exposureLine(exif: ExifSummary): string | null {
  const parts = [
    exif.exposureTime !== undefined ? formatShutter(exif.exposureTime) : null,
    exif.fNumber !== undefined ? `f/${Number(exif.fNumber.toFixed(1))}` : null,
    exif.iso !== undefined ? `ISO ${exif.iso}` : null,
    exif.exposureBias
      ? `${exif.exposureBias > 0 ? '+' : '−'}${Math.abs(exif.exposureBias).toFixed(1)} EV`
      : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function focalLine(exif: ExifSummary): string | null {
  if (exif.focalLength === undefined) return null;
  const real = `${Number(exif.focalLength.toFixed(1))} mm`;
  return exif.focalLength35mm && Math.abs(exif.focalLength35mm - exif.focalLength) > 1
    ? `${real} (${exif.focalLength35mm} mm in 35 mm terms)`
    : real;
}

export function takenLine(iso: string | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Canon EOS 400D DIGITAL", without repeating the maker when the model already names it. */
export function cameraLine(exif: ExifSummary): string | null {
  const { make, model } = exif;
  if (!model) return make ?? null;
  if (!make || model.toLowerCase().startsWith(make.toLowerCase().split(' ')[0]!)) return model;
  return `${make} ${model}`;
}
