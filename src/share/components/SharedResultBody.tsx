import { LevelBars } from '../../components/LevelBars/LevelBars.tsx';
import { ScoreHeadline } from '../../components/ScoreCard/ScoreHeadline.tsx';
import { ModelText } from '../../components/ModelText/ModelText.tsx';
import { formatMeasure, LABELS } from '../../components/PixelAnalysis/measureRows.ts';
import { describeDtypes } from '../../model/precision.ts';
import { score100, type SharedResult } from '../payload.ts';
import { SharedThumbnail } from './SharedThumbnail.tsx';

const label = (key: string) => LABELS.find(([k]) => k === key)?.[1] ?? key;

/**
 * A validated shared result, read-only. Every string from the link is rendered as React text
 * (ModelText escapes too), never as markup, and no URL from the link is used except the checked
 * JPEG thumbnail.
 */
export function SharedResultBody({ result }: { result: SharedResult }) {
  return (
    <div className="shared__body">
      <section className="score-card shared__score" aria-label="Shared score">
        {result.thumbnail && <SharedThumbnail url={result.thumbnail} />}
        <ScoreHeadline
          score={result.score}
          score100={score100(result.score)}
          probabilities={result.probabilities}
        />
        <LevelBars probabilities={result.probabilities} />
        <dl className="score-card__meta" data-testid="shared-meta">
          <dt>Model</dt>
          <dd data-testid="shared-model">{result.model}</dd>
          <dt>Backend</dt>
          <dd data-testid="shared-backend">
            {result.device === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}
          </dd>
          <dt>Precision</dt>
          <dd data-testid="shared-precision">{describeDtypes(result.dtypes)}</dd>
          <dt>Image mode</dt>
          <dd data-testid="shared-mode">single crop</dd>
          <dt>Recipe</dt>
          <dd data-testid="shared-recipe">{result.recipe}</dd>
        </dl>
      </section>
      {result.description !== undefined && (
        <section className="description" aria-label="Quality description">
          <h2>Quality description</h2>
          <ModelText text={result.description} testId="shared-description" />
        </section>
      )}
      {result.exchanges.length > 0 && (
        <section className="shared__chat" aria-label="Questions and answers">
          <h2>Questions and answers</h2>
          <ul>
            {result.exchanges.map((e, i) => (
              <li key={i} data-testid="shared-exchange">
                <p className="shared__question">{e.question}</p>
                {e.confidence && (
                  <p className="shared__confidence">
                    {e.confidence
                      .map((o) => `${o.word} ${(o.probability * 100).toFixed(0)}%`)
                      .join(' · ')}
                  </p>
                )}
                <ModelText text={e.answer} testId="shared-answer" />
              </li>
            ))}
          </ul>
        </section>
      )}
      {result.measures.length > 0 && (
        <section className="shared__measures" aria-label="Pixel measures">
          <h2>Measured from the pixels</h2>
          <ul>
            {result.measures.map((m) => (
              <li
                key={m.key}
                className={`pixel-analysis__measure verdict--${m.verdict}`}
                data-testid={`shared-measure-${m.key}`}
              >
                <span className="pixel-analysis__label">{label(m.key)}</span>
                <span className="pixel-analysis__value">
                  {formatMeasure(m.key, { ...m, value: m.value ?? NaN })}
                </span>
                <span className="pixel-analysis__reading">{m.reading}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
