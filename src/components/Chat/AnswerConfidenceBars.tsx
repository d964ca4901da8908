import type { AnswerConfidence } from '../../model/questions.ts';

/** How sure the model is of a closed answer: one bar per answer word (Yes/No, A–D). */
export function AnswerConfidenceBars({ confidence }: { confidence: AnswerConfidence }) {
  return (
    <div
      className="answer-confidence"
      data-testid="answer-confidence"
      aria-label={`Model confidence: ${confidence.options
        .map((o) => `${o.word} ${Math.round(o.probability * 100)}%`)
        .join(', ')}`}
    >
      <span className="answer-confidence__title">Confidence</span>
      {confidence.options.map((o) => (
        <span
          key={o.word}
          className={`answer-confidence__option${o.word === confidence.top ? ' answer-confidence__option--top' : ''}`}
        >
          <span className="answer-confidence__word">{o.word}</span>
          <span className="answer-confidence__track">
            <span
              className="answer-confidence__fill"
              style={{ width: `${(o.probability * 100).toFixed(1)}%` }}
            />
          </span>
          <span className="answer-confidence__value">{(o.probability * 100).toFixed(0)}%</span>
        </span>
      ))}
    </div>
  );
}
