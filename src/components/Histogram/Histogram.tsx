import type { Histogram as HistogramData } from '../../pixels/client.ts';
import './Histogram.css';

const WIDTH = 256;
const HEIGHT = 100;

/** Bin height that maps to the top: a high percentile, so one spike (pure black) does not flatten the rest. */
function topOf(h: HistogramData): number {
  const all = [...h.r, ...h.g, ...h.b, ...h.luma].sort((a, b) => a - b);
  return Math.max(1, all[Math.floor(all.length * 0.995)] ?? 1);
}

function pathOf(bins: Uint32Array, top: number, closed: boolean): string {
  const points = Array.from(bins, (v, i) => {
    const y = HEIGHT - Math.min(1, v / top) * HEIGHT;
    return `${i + 0.5},${y.toFixed(1)}`;
  });
  return closed
    ? `M0.5,${HEIGHT} L${points.join(' L')} L255.5,${HEIGHT} Z`
    : `M${points.join(' L')}`;
}

/** RGB and luminance histogram; clipped ends are marked so a person sees blown or crushed tones. */
export function Histogram({
  histogram,
  highlightShare,
  shadowShare,
}: {
  histogram: HistogramData;
  highlightShare: number;
  shadowShare: number;
}) {
  const top = topOf(histogram);
  return (
    <figure className="histogram">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label="Histogram of red, green, blue and luminance"
        data-testid="histogram"
      >
        <path className="histogram__luma" d={pathOf(histogram.luma, top, true)} />
        <path className="histogram__r" d={pathOf(histogram.r, top, false)} />
        <path className="histogram__g" d={pathOf(histogram.g, top, false)} />
        <path className="histogram__b" d={pathOf(histogram.b, top, false)} />
        {shadowShare >= 0.002 && (
          <rect className="histogram__clip" x={0} y={0} width={3} height={HEIGHT} />
        )}
        {highlightShare >= 0.001 && (
          <rect className="histogram__clip" x={WIDTH - 3} y={0} width={3} height={HEIGHT} />
        )}
      </svg>
      <figcaption>
        <span>Shadows</span>
        <span>Histogram (R, G, B and luminance)</span>
        <span>Highlights</span>
      </figcaption>
    </figure>
  );
}
