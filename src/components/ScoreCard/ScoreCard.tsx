import { formatDuration } from '../../lib/format.ts';
import { IMAGE_MODE_LABELS } from '../../model/image-mode.ts';
import { describeDtypes } from '../../model/precision.ts';
import { tooSmallToScore } from '../../model/verdict.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import { usePhotoScore, useModelActions } from '../../store/hooks/useModel.ts';
import { LevelBars } from '../LevelBars/LevelBars.tsx';
import { ScoreHeadline } from './ScoreHeadline.tsx';
import './ScoreCard.css';

/**
 * A photo's quality score (1–5 and 0–100) with the level it stands for, its level probabilities,
 * how it was computed, and a caveat when the picture is too small for the score to mean anything.
 */
export function ScoreCard({ photo }: { photo: PhotoRecord }) {
  const photoId = photo.id;
  const score = usePhotoScore(photoId);
  const { scorePhoto } = useModelActions();
  if (!score) return null;
  if (score.status === 'waiting') {
    return (
      <section
        className="score-card score-card--pending"
        data-testid="score-card"
        aria-live="polite"
      >
        <p>Waiting for the model…</p>
      </section>
    );
  }
  if (score.status === 'scoring') {
    return (
      <section
        className="score-card score-card--pending"
        data-testid="score-card"
        aria-busy="true"
        aria-live="polite"
      >
        <p>Scoring…</p>
      </section>
    );
  }
  if (score.status === 'failed' || !score.result) {
    return (
      <section className="score-card score-card--failed" data-testid="score-card" role="alert">
        <p>Scoring failed: {score.error?.message}</p>
        {score.error?.advice && <p className="score-card__advice">{score.error.advice}</p>}
        <button type="button" onClick={() => scorePhoto(photoId)}>
          Try again
        </button>
      </section>
    );
  }
  const r = score.result;
  const caveat = tooSmallToScore(photo.width ?? 0, photo.height ?? 0);
  return (
    <section
      className={`score-card${caveat ? ' score-card--caveat' : ''}`}
      data-testid="score-card"
      aria-live="polite"
    >
      {caveat && (
        <p className="score-card__caveat" role="note" data-testid="score-caveat">
          <strong>Too small to judge.</strong> {caveat}
        </p>
      )}
      <ScoreHeadline score={r.score} score100={r.score100} probabilities={r.probabilities} />
      <LevelBars probabilities={r.probabilities} />
      {score.by && (
        <dl className="score-card__meta" data-testid="score-meta">
          <dt>Model</dt>
          <dd>{score.by.modelId}</dd>
          <dt>Backend</dt>
          <dd>{score.by.device === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}</dd>
          <dt>Precision</dt>
          <dd>{describeDtypes(score.by.dtypes)}</dd>
          <dt>Image</dt>
          <dd data-testid="score-image-mode">
            {IMAGE_MODE_LABELS[r.imageMode ?? 'fast']}, {r.imageTokens} image tokens
          </dd>
          {r.anyres && (
            <>
              <dt>Tiles</dt>
              <dd data-testid="score-anyres-tiles">
                {r.anyres.grid[0]} × {r.anyres.grid[1]} of the photo at {r.anyres.width} ×{' '}
                {r.anyres.height} px, {r.anyres.images} images encoded
              </dd>
            </>
          )}
          <dt>Time</dt>
          <dd>
            {formatDuration(r.timings.totalMs)}
            {r.timings.encodeMs > 0 &&
              ` (image ${formatDuration(r.timings.encodeMs)}, prompt ${formatDuration(r.timings.prefillMs)})`}
          </dd>
          <dt>Recipe</dt>
          <dd>
            {r.recipe}, {r.promptTokens} prompt tokens
          </dd>
        </dl>
      )}
    </section>
  );
}
