import { useEffect } from 'react';
import { disagreements } from '../../model/attribute-disagreements.ts';
import { ATTRIBUTE_RATINGS, YES_NO_CHECKS } from '../../model/attribute-recipes.ts';
import { LEVELS } from '../../model/recipes.ts';
import { formatDuration } from '../../lib/format.ts';
import { useAttributeActions, usePhotoAttributes } from '../../store/hooks/useAttributes.ts';
import { useModelState, usePhotoScore } from '../../store/hooks/useModel.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import { useRegionActions } from '../../store/hooks/useRegion.ts';
import { PromptCacheDebug } from './PromptCacheDebug.tsx';
import './AttributePanel.css';

const percent = (p: number) => `${(p * 100).toFixed(0)}%`;

/**
 * Beside the overall score, one row per quality attribute (five level probabilities and a 1–5
 * sub-score, read as the score is) and the yes/no checks with their confidence. It fills in after
 * the score, from the photo's cached prefix; where the model and a pixel measure disagree it says
 * so in words.
 */
export function AttributePanel({ photoId }: { photoId: string }) {
  const attributes = usePhotoAttributes(photoId);
  const scored = usePhotoScore(photoId)?.status === 'done';
  const modelStatus = useModelState().status;
  const pixels = usePixelAnalysis(photoId);
  const { rateAttributesWhenScored, stopAttributes, retryAttributes } = useAttributeActions();
  const { showOnPhoto } = useRegionActions();

  useEffect(() => {
    if (scored && modelStatus === 'ready') rateAttributesWhenScored(photoId);
  }, [scored, modelStatus, photoId, rateAttributesWhenScored]);

  const busy = attributes?.status === 'waiting' || attributes?.status === 'running';
  const found =
    attributes && pixels?.status === 'ready'
      ? disagreements(attributes.ratings, ATTRIBUTE_RATINGS, pixels.analysis.measures)
      : [];
  return (
    <section
      className="attribute-panel"
      data-testid="attribute-panel"
      data-status={attributes?.status ?? 'none'}
      aria-busy={busy}
    >
      <header className="attribute-panel__header">
        <h2>Attributes</h2>
        {busy && (
          <button type="button" onClick={() => stopAttributes(photoId)}>
            Stop rating
          </button>
        )}
        {(attributes?.status === 'stopped' || attributes?.status === 'failed') && (
          <button type="button" onClick={() => retryAttributes(photoId)}>
            Rate again
          </button>
        )}
      </header>
      {!attributes && (
        <p className="attribute-panel__placeholder">The attributes follow the score.</p>
      )}
      {attributes?.error && <p role="alert">{attributes.error.message}</p>}
      {attributes && attributes.ratings.length > 0 && (
        // A narrow column scrolls the table sideways instead of widening the page.
        <div
          className="attribute-panel__scroll"
          role="region"
          aria-label="Attribute ratings"
          tabIndex={0}
        >
          <table className="attribute-panel__table">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Score</th>
                {LEVELS.map((level) => (
                  <th scope="col" key={level.key}>
                    {level.label}
                  </th>
                ))}
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {attributes.ratings.map((rating) => {
                const recipe = ATTRIBUTE_RATINGS.find((r) => r.key === rating.key);
                return (
                  <tr
                    key={rating.key}
                    data-testid="attribute-row"
                    data-attribute={rating.key}
                    data-probabilities={JSON.stringify(rating.probabilities)}
                    data-reused-tokens={rating.reusedTokens}
                  >
                    <th scope="row">{recipe?.label ?? rating.key}</th>
                    <td>{rating.score.toFixed(1)}</td>
                    {rating.probabilities.map((p, i) => (
                      <td key={LEVELS[i]!.key}>{percent(p)}</td>
                    ))}
                    <td>
                      <button
                        type="button"
                        className="attribute-panel__where"
                        disabled={modelStatus !== 'ready'}
                        aria-label={`Show on photo: ${recipe?.label ?? rating.key}`}
                        onClick={() => showOnPhoto(photoId, rating.key)}
                      >
                        Show
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {attributes && attributes.checks.length > 0 && (
        <ul className="attribute-panel__checks" aria-label="Yes/no checks">
          {attributes.checks.map((check) => {
            const recipe = YES_NO_CHECKS.find((c) => c.key === check.key);
            const yes = check.yes >= 0.5;
            return (
              <li key={check.key} data-testid="attribute-check" data-check={check.key}>
                {recipe?.label ?? check.key}: <strong>{yes ? 'yes' : 'no'}</strong> (
                {percent(yes ? check.yes : 1 - check.yes)} sure)
              </li>
            );
          })}
        </ul>
      )}
      {found.length > 0 && (
        <ul className="attribute-panel__disagreements" aria-label="Model and pixels disagree">
          {found.map((d) => (
            <li key={d.key} data-testid="attribute-disagreement" data-attribute={d.key}>
              {d.text}
            </li>
          ))}
        </ul>
      )}
      {attributes?.status === 'done' && attributes.ms !== undefined && (
        <p className="attribute-panel__meta">
          {attributes.ratings.length + attributes.checks.length} questions in{' '}
          {formatDuration(attributes.ms)}, each continued from the photo&apos;s cached prefix.
        </p>
      )}
      <PromptCacheDebug />
    </section>
  );
}
