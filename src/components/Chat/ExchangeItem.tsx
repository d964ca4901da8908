import type { ChatExchange } from '../../store/chatSlice.ts';
import { formatBox } from '../../model/grounding.ts';
import { useRegionActions } from '../../store/hooks/useRegion.ts';
import { ModelText } from '../ModelText/ModelText.tsx';
import { AnswerConfidenceBars } from './AnswerConfidenceBars.tsx';
import { GenerationMeta } from './GenerationMeta.tsx';

const KIND_LABEL = { 'yes-no': 'yes/no', choice: 'multiple choice', open: '' } as const;

/** One question and the model's answer, with its confidence and any context notice. */
export function ExchangeItem({ exchange, photoId }: { exchange: ChatExchange; photoId: string }) {
  const { answer } = exchange;
  const { locateQuestion } = useRegionActions();
  const dropped = answer.prompt?.droppedExchanges ?? 0;
  return (
    <li
      className="chat__exchange"
      data-testid="chat-exchange"
      data-status={answer.status}
      aria-busy={answer.status === 'waiting' || answer.status === 'streaming'}
    >
      <div className="chat__question">
        <span className="chat__question-text">{exchange.question}</span>
        {KIND_LABEL[exchange.kind] && (
          <span className="chat__kind">{KIND_LABEL[exchange.kind]}</span>
        )}
      </div>
      {dropped > 0 && (
        <p className="chat__notice" data-testid="dropped-notice" role="status">
          To fit the model’s {answer.prompt?.contextTokens}-token context, the{' '}
          {dropped === 1 ? 'oldest exchange was' : `${dropped} oldest exchanges were`} left out of
          this question’s prompt (the photo and this question are always kept).
        </p>
      )}
      <div className="chat__answer">
        {answer.confidence && <AnswerConfidenceBars confidence={answer.confidence} />}
        {answer.status === 'waiting' && <p className="chat__pending">Waiting for the model…</p>}
        {answer.text && <ModelText text={answer.text} testId="chat-answer" />}
        <GenerationMeta generated={answer} testIdPrefix="answer" />
        {answer.grounding && (
          <p
            className="chat__notice"
            data-testid="answer-grounding"
            data-outcome={answer.grounding.kind}
          >
            {answer.grounding.kind === 'box'
              ? `Box ${formatBox(answer.grounding.box)} drawn on the photo.`
              : `No box drawn: ${answer.grounding.message}`}{' '}
            {answer.grounding.kind === 'none' && (
              <button
                type="button"
                className="chat__secondary"
                onClick={() => locateQuestion(photoId, exchange.question)}
              >
                Ask for a box in coordinates
              </button>
            )}
          </p>
        )}
        {answer.status === 'failed' && answer.error && (
          <p role="alert" className="chat__error">
            {answer.error.message} {answer.error.advice}
          </p>
        )}
      </div>
    </li>
  );
}
