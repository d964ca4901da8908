import { formatDuration } from '../../lib/format.ts';
import { describeDtypes } from '../../model/precision.ts';
import { LEVELS } from '../../model/recipes.ts';
import { tooSmallToScore, verdictForScore } from '../../model/verdict.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import { usePhotoScore, useModelActions } from '../../store/hooks/useModel.ts';
import { LevelBars } from '../LevelBars/LevelBars.tsx';
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
      <section className="score-card score-card--pending" data-testid="score-card">
        <p>Waiting for the model…</p>
      </section>
    );
  }
  if (score.status === 'scoring') {
    return (
      <section className="score-card score-card--pending" data-testid="score-card" aria-busy="true">
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
  const verdict = LEVELS.find((l) => l.key === verdictForScore(r.score))!;
  const topIndex = LEVELS.findIndex((l) => l.key === r.topLevel);
  const top = LEVELS[topIndex]!;
  const caveat = tooSmallToScore(photo.width ?? 0, photo.height ?? 0);
  return (
    <section
      className={`score-card${caveat ? ' score-card--caveat' : ''}`}
      data-testid="score-card"
    >
      {caveat && (
        <p className="score-card__caveat" role="note" data-testid="score-caveat">
          <strong>Too small to judge.</strong> {caveat}
        </p>
      )}
      <div className="score-card__headline">
        <span className="score-card__score" data-testid="score-value">
          {r.score.toFixed(2)}
        </span>
        <span className="score-card__scale">/ 5</span>
        <span className="score-card__score100" data-testid="score-100">
          {Math.round(r.score100)} / 100
        </span>
        <span
          className={`score-card__level score-card__level--${verdict.key}`}
          data-testid="score-verdict"
          title="The level nearest to the score"
        >
          {verdict.label}
        </span>
      </div>
      {top.key !== verdict.key && (
        <p className="score-card__top-level" data-testid="score-top-level">
          Most probable level: {top.label} {((r.probabilities[topIndex] ?? 0) * 100).toFixed(1)} %
          (the score weighs all five levels)
        </p>
      )}
      <LevelBars probabilities={r.probabilities} />
      {score.by && (
        <dl className="score-card__meta" data-testid="score-meta">
          <dt>Model</dt>
          <dd>{score.by.modelId}</dd>
          <dt>Backend</dt>
          <dd>{score.by.device === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}</dd>
          <dt>Precision</dt>
          <dd>{describeDtypes(score.by.dtypes)}</dd>
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
