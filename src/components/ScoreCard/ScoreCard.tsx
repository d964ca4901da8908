import { formatDuration } from '../../lib/format.ts';
import { describeDtypes } from '../../model/precision.ts';
import { LEVELS } from '../../model/recipes.ts';
import { usePhotoScore, useModelActions } from '../../store/hooks/useModel.ts';
import { LevelBars } from '../LevelBars/LevelBars.tsx';
import './ScoreCard.css';

/** A photo's quality score (1–5 and 0–100), its level probabilities and how it was computed. */
export function ScoreCard({ photoId }: { photoId: string }) {
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
  const top = LEVELS.find((l) => l.key === r.topLevel)!;
  return (
    <section className="score-card" data-testid="score-card">
      <div className="score-card__headline">
        <span className="score-card__score" data-testid="score-value">
          {r.score.toFixed(2)}
        </span>
        <span className="score-card__scale">/ 5</span>
        <span className="score-card__score100" data-testid="score-100">
          {Math.round(r.score100)} / 100
        </span>
        <span className={`score-card__level score-card__level--${top.key}`}>{top.label}</span>
      </div>
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
