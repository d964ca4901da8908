import { formatPixelCount } from '../../../lib/format.ts';
import type { Measure, Verdict } from '../../protocol.ts';

/**
 * Plain-language readings of the measured numbers. The thresholds are rules of thumb for photos
 * viewed at up to 2048 px, checked against the distortion ladders in measures.test.ts; they
 * describe, they do not grade the art.
 */

const pct = (share: number): string =>
  share >= 0.1 ? `${(share * 100).toFixed(0)} %` : `${(share * 100).toFixed(1)} %`;

const measure = (value: number, unit: string, verdict: Verdict, reading: string): Measure => ({
  value,
  unit,
  verdict,
  reading,
});

const unmeasured = (unit: string, why: string): Measure => measure(NaN, unit, 'unknown', why);

/** `share`: pixels with any channel blown; `white`: pixels blown in all three channels. */
export function readHighlights(share: number, white: number): Measure {
  if (share < 0.001) return measure(share, '%', 'good', 'No blown highlights.');
  const what =
    white >= share / 2
      ? `${pct(share)} of the frame is blown to pure white`
      : `${pct(share)} of the frame has a colour channel at its maximum (${pct(white)} pure white)`;
  if (share < 0.02) return measure(share, '%', 'fair', `${what}: small clipped highlights.`);
  return measure(share, '%', 'poor', `${what}; detail there is lost for good.`);
}

export function readShadows(share: number): Measure {
  if (share < 0.002) return measure(share, '%', 'good', 'No crushed shadows.');
  if (share < 0.05)
    return measure(
      share,
      '%',
      'fair',
      `${pct(share)} of the frame is pure black: some crushed shadows.`,
    );
  return measure(share, '%', 'poor', `${pct(share)} of the frame is crushed to pure black.`);
}

/**
 * Mean brightness alone cannot tell a white wall from an overexposed scene, so large areas of
 * pure white (or pure black) also count: a camera's "blinkies" say the same.
 */
export function readExposure(
  ev: number,
  meanEncoded: number,
  whiteShare: number,
  blackShare: number,
): Measure {
  const bright = `average brightness ${(meanEncoded * 100).toFixed(0)} %`;
  const stops = `${ev >= 0 ? '+' : '−'}${Math.abs(ev).toFixed(1)} EV from mid-grey`;
  if (ev < -3 || (blackShare > 0.25 && ev < 0))
    return measure(ev, 'EV', 'poor', `Very dark (${bright}, ${stops}): underexposed.`);
  if (ev > 2 || (whiteShare > 0.1 && ev > 0))
    return measure(ev, 'EV', 'poor', `Very bright (${bright}, ${stops}): overexposed.`);
  if (ev < -1.8)
    return measure(ev, 'EV', 'fair', `Dark (${bright}, ${stops}): possibly underexposed.`);
  if (ev > 1.3)
    return measure(ev, 'EV', 'fair', `Bright (${bright}, ${stops}): possibly overexposed.`);
  return measure(ev, 'EV', 'good', `Balanced exposure (${bright}, ${stops}).`);
}

export function readContrast(rms: number): Measure {
  const n = `RMS contrast ${rms.toFixed(2)}`;
  if (rms < 0.05) return measure(rms, 'RMS', 'poor', `Very flat, washed-out tones (${n}).`);
  if (rms < 0.09) return measure(rms, 'RMS', 'fair', `Rather flat tones (${n}).`);
  if (rms > 0.34) return measure(rms, 'RMS', 'fair', `Very hard contrast (${n}).`);
  return measure(rms, 'RMS', 'good', `Healthy contrast (${n}).`);
}

/** Hasler & Süsstrunk's own words for their scale. */
export function readColourfulness(m: number): Measure {
  const n = `M = ${m.toFixed(0)}`;
  if (m < 7) return measure(m, 'M', 'fair', `Practically no colour, as black and white (${n}).`);
  if (m < 24) return measure(m, 'M', 'fair', `Slightly colourful, muted colours (${n}).`);
  if (m < 52) return measure(m, 'M', 'good', `Moderately colourful (${n}).`);
  if (m < 95) return measure(m, 'M', 'good', `Quite to highly colourful (${n}).`);
  return measure(m, 'M', 'fair', `Extremely colourful; check for oversaturation (${n}).`);
}

export function readSharpness(detail: number, nativeDetail: number | null): Measure {
  if (!Number.isFinite(detail)) return unmeasured('', 'Too small to judge sharpness.');
  const n = `detail ${detail.toFixed(1)}`;
  const native =
    nativeDetail !== null && Number.isFinite(nativeDetail) && nativeDetail < 4 && detail >= 12
      ? ' At full size (100 %) the finest detail is soft.'
      : '';
  if (detail < 6) return measure(detail, '', 'poor', `Blurry: no crisp detail anywhere (${n}).`);
  if (detail < 12)
    return measure(detail, '', 'fair', `Somewhat soft: fine detail is weak (${n}).${native}`);
  return measure(detail, '', 'good', `Sharp where it matters (${n}).${native}`);
}

export function readNoise(sigma: number, nativeSigma: number | null): Measure {
  if (!Number.isFinite(sigma)) return unmeasured('σ', 'Too small to judge noise.');
  const n = `σ ${sigma.toFixed(1)} grey levels`;
  const native =
    nativeSigma !== null && Number.isFinite(nativeSigma) && nativeSigma > 2.5 * Math.max(sigma, 1)
      ? ` At full size (100 %) noise is stronger (σ ${nativeSigma.toFixed(1)}).`
      : '';
  if (sigma < 1.5) return measure(sigma, 'σ', 'good', `Clean, no visible noise (${n}).${native}`);
  if (sigma < 4) return measure(sigma, 'σ', 'good', `Slight noise (${n}).${native}`);
  if (sigma < 8) return measure(sigma, 'σ', 'fair', `Visible noise or grain (${n}).${native}`);
  return measure(sigma, 'σ', 'poor', `Heavy noise (${n}).${native}`);
}

/**
 * Calibrated on the JPEG ladder (photos at 1024–1600 px): quality 90 gives 0.1–0.5, quality 50
 * gives 0.35–1.3 and quality 10 gives 1 (busy texture masks blocks) to 12 (smooth skies).
 */
export function readBlockiness(value: number, format: string, measurable: boolean): Measure {
  if (!measurable)
    return unmeasured('', 'Not measured: this photo is too large to keep at full size.');
  if (!Number.isFinite(value)) return unmeasured('', 'Too small to judge compression.');
  const n = `8×8 seam ratio ${value.toFixed(2)}`;
  if (value < 0.5) return measure(value, '', 'good', `No visible compression blocks (${n}).`);
  const source = format === 'jpeg' ? 'JPEG' : 'earlier JPEG';
  if (value < 1)
    return measure(
      value,
      '',
      'fair',
      `Noticeable ${source} compression: blocks may show in smooth areas when zoomed in (${n}).`,
    );
  return measure(value, '', 'poor', `Heavy ${source} compression: 8×8 blocks are visible (${n}).`);
}

export function readResolution(width: number, height: number): Measure {
  const mp = (width * height) / 1e6;
  const printCm = (px: number): string => ((px / 300) * 2.54).toFixed(0);
  const size = `${width} × ${height} px, ${formatPixelCount(width * height)}`;
  if (mp < 0.5)
    return measure(mp, 'MP', 'poor', `${size}: fine for the web only, too small to print.`);
  const print = `prints up to ${printCm(width)} × ${printCm(height)} cm at 300 dpi`;
  if (mp < 4) return measure(mp, 'MP', 'fair', `${size}: ${print}; enough for screens.`);
  return measure(mp, 'MP', 'good', `${size}: ${print}.`);
}
