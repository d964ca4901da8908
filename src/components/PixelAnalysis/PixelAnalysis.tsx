import { formatDuration } from '../../lib/format.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import { ExifPanel } from '../ExifPanel/ExifPanel.tsx';
import { Histogram } from '../Histogram/Histogram.tsx';
import { measureRows } from './measureRows.ts';
import './PixelAnalysis.css';

/** Measured facts about the photo's pixels, available at once and without any model. */
/** The verdict in words, beside its colour, so colour never carries it alone. */
const VERDICT_WORDS = { good: 'Good', fair: 'Fair', poor: 'Poor' } as const;

export function PixelAnalysis({ photo }: { photo: PhotoRecord }) {
  const state = usePixelAnalysis(photo.id);
  return (
    <section className="pixel-analysis" aria-label="Pixel analysis" data-testid="pixel-analysis">
      <header>
        <h2>Measured from the pixels</h2>
        {state?.status === 'ready' && (
          <span className="pixel-analysis__time">
            no model needed · {formatDuration(state.analysis.elapsedMs)}
          </span>
        )}
      </header>
      {(!state || state.status === 'measuring') && (
        <p className="pixel-analysis__pending" role="status">
          Measuring exposure, sharpness, noise…
        </p>
      )}
      {state?.status === 'failed' && (
        <p className="pixel-analysis__failed" role="alert">
          {state.error}
        </p>
      )}
      {state?.status === 'ready' && (
        <div className="pixel-analysis__body">
          <ul className="pixel-analysis__measures" aria-label="Measures">
            {measureRows(state.analysis).map((row) => (
              <li
                key={row.key}
                className={`pixel-analysis__measure verdict--${row.measure.verdict}`}
                data-testid={`measure-${row.key}`}
                data-verdict={row.measure.verdict}
              >
                <span className="pixel-analysis__label">
                  {row.label}
                  {row.measure.verdict !== 'unknown' && (
                    <span
                      className={`pixel-analysis__verdict verdict-word--${row.measure.verdict}`}
                      data-testid="measure-verdict"
                    >
                      {VERDICT_WORDS[row.measure.verdict]}
                    </span>
                  )}
                </span>
                <span className="pixel-analysis__value">{row.value}</span>
                <span className="pixel-analysis__reading">{row.measure.reading}</span>
              </li>
            ))}
          </ul>
          <div className="pixel-analysis__side">
            <Histogram
              histogram={state.analysis.histogram}
              highlightShare={state.analysis.measures.highlightClipping.value}
              shadowShare={state.analysis.measures.shadowClipping.value}
            />
            <ExifPanel photoId={photo.id} exif={photo.exif} />
          </div>
        </div>
      )}
    </section>
  );
}
