/** One side of compare: the photo, its score and level probabilities, its measures, pick/reject. */
import { LEVELS } from '../../model/recipes.ts';
import { verdictForScore } from '../../model/verdict.ts';
import { measureRows } from '../../components/PixelAnalysis/measureRows.ts';
import { usePhotoScore } from '../../store/hooks/useModel.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import { useCullActions, usePhotoMarks } from '../../store/hooks/useCullView.ts';
import { usePhotoCanvas } from '../../components/PhotoView/usePhotoCanvas.ts';
import { usePhoto } from '../../store/hooks/usePhotos.ts';

export function ComparePane({ photoId, active }: { photoId: string; active: boolean }) {
  const photo = usePhoto(photoId);
  const score = usePhotoScore(photoId);
  const pixels = usePixelAnalysis(photoId);
  const marks = usePhotoMarks(photoId);
  const { setFlag, selectPhoto } = useCullActions();
  const canvas = usePhotoCanvas(photoId, photo?.status === 'ready');

  if (!photo) return null;
  const result = score?.status === 'done' ? score.result : undefined;
  const level = result ? LEVELS.find((l) => l.key === verdictForScore(result.score))! : null;
  const headingId = `compare-${photoId}`;
  return (
    <section
      className={`compare-pane${active ? ' compare-pane--active' : ''}`}
      aria-labelledby={headingId}
      data-testid="compare-pane"
      data-photo-id={photoId}
      data-active={active}
      onClick={() => selectPhoto(photoId)}
    >
      <h2 id={headingId} className="compare-pane__name">
        {photo.name}
        {active && <span className="compare-pane__keys"> (keys act here)</span>}
      </h2>
      <canvas
        ref={canvas}
        className="compare-pane__photo"
        role="img"
        aria-label={photo.name}
        data-testid="compare-canvas"
      />
      <p className="compare-pane__score">
        <span data-testid="compare-score">
          {result ? result.score.toFixed(2) : 'Not scored yet'}
        </span>
        {level && (
          <span className={`grid-cell__level grid-cell__level--${level.key}`}>{level.label}</span>
        )}
      </p>
      {result && (
        <p className="compare-pane__levels" data-testid="compare-levels">
          {LEVELS.map(
            (l, i) => `${l.label} ${((result.probabilities[i] ?? 0) * 100).toFixed(0)} %`,
          ).join(' · ')}
        </p>
      )}
      {pixels?.status === 'ready' && (
        <dl className="compare-pane__measures" data-testid="compare-measures">
          {measureRows(pixels.analysis).map((row) => (
            <div
              key={row.key}
              className={`compare-pane__measure compare-pane__measure--${row.measure.verdict}`}
            >
              <dt>{row.label}</dt>
              <dd>
                {row.value} <span className="compare-pane__verdict">{row.measure.verdict}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="compare-pane__actions" role="group" aria-label={`Flag ${photo.name}`}>
        <button
          type="button"
          aria-pressed={marks.flag === 'pick'}
          onClick={() => setFlag(photoId, 'pick')}
        >
          Pick
        </button>
        <button
          type="button"
          aria-pressed={marks.flag === 'reject'}
          onClick={() => setFlag(photoId, 'reject')}
        >
          Reject
        </button>
        <button type="button" disabled={marks.flag === null} onClick={() => setFlag(photoId, null)}>
          Unflag
        </button>
      </div>
    </section>
  );
}
