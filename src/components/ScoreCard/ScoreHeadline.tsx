import { LEVELS } from '../../model/recipes.ts';
import { verdictForScore } from '../../model/verdict.ts';

/**
 * The score (1–5 and 0–100) with the level it stands for, and the most probable single level,
 * labelled as such, when that is another one (see verdictForScore). Used by the score card and the
 * shared result view, so both read the same.
 */
export function ScoreHeadline({
  score,
  score100,
  probabilities,
}: {
  score: number;
  score100: number;
  probabilities: readonly number[];
}) {
  const verdict = LEVELS.find((l) => l.key === verdictForScore(score))!;
  let topIndex = 0;
  probabilities.forEach((p, i) => {
    if (p > probabilities[topIndex]!) topIndex = i;
  });
  const top = LEVELS[topIndex]!;
  return (
    <>
      <div className="score-card__headline">
        <span className="score-card__score" data-testid="score-value">
          {score.toFixed(2)}
        </span>
        <span className="score-card__scale">/ 5</span>
        <span className="score-card__score100" data-testid="score-100">
          {Math.round(score100)} / 100
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
          Most probable level: {top.label} {((probabilities[topIndex] ?? 0) * 100).toFixed(1)} %
          (the score weighs all five levels)
        </p>
      )}
    </>
  );
}
