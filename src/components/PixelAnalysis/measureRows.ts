import type { Measure, PixelAnalysis } from '../../pixels/client.ts';

/** One line of the measures table. */
export interface MeasureRow {
  key: keyof PixelAnalysis['measures'];
  label: string;
  value: string;
  measure: Measure;
}

/** Each measure's name as shown, in the order a photographer checks them. */
export const LABELS: [keyof PixelAnalysis['measures'], string][] = [
  ['exposure', 'Exposure'],
  ['highlightClipping', 'Highlights clipped'],
  ['shadowClipping', 'Shadows crushed'],
  ['contrast', 'Contrast'],
  ['colourfulness', 'Colourfulness'],
  ['sharpness', 'Sharpness'],
  ['noise', 'Noise'],
  ['blockiness', 'JPEG blockiness'],
  ['resolution', 'Resolution'],
];

/** The number of a measure as shown beside its reading ("—" when it could not be measured). */
export function formatMeasure(key: MeasureRow['key'], m: Measure): string {
  const v = m.value;
  if (!Number.isFinite(v)) return '—';
  switch (key) {
    case 'highlightClipping':
    case 'shadowClipping':
      return `${(v * 100).toFixed(v >= 0.1 ? 0 : v >= 0.001 ? 1 : 2)} %`;
    case 'exposure':
      return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} EV`;
    case 'contrast':
      return v.toFixed(2);
    case 'colourfulness':
      return v.toFixed(0);
    case 'sharpness':
      return v.toFixed(1);
    case 'noise':
      return `σ ${v.toFixed(1)}`;
    case 'blockiness':
      return v.toFixed(2);
    case 'resolution':
      return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} MP`;
  }
}

/** The measures in the order a photographer checks them. */
export function measureRows(analysis: Pick<PixelAnalysis, 'measures'>): MeasureRow[] {
  return LABELS.map(([key, label]) => ({
    key,
    label,
    value: formatMeasure(key, analysis.measures[key]),
    measure: analysis.measures[key],
  }));
}
