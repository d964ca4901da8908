import { useEffect } from 'react';
import { formatDuration } from '../../lib/format.ts';
import { useChatActions, usePhotoChat } from '../../store/hooks/useChat.ts';
import { useModelState, usePhotoScore } from '../../store/hooks/useModel.ts';
import { GenerationMeta } from '../Chat/GenerationMeta.tsx';
import { ModelText } from '../ModelText/ModelText.tsx';
import './Description.css';

/**
 * The photo's quality description in the pathway style (each attribute and where, then a
 * conclusion). It starts by itself once the photo is scored and streams in with tokens/s.
 */
export function Description({ photoId }: { photoId: string }) {
  const { description } = usePhotoChat(photoId);
  const score = usePhotoScore(photoId);
  const modelStatus = useModelState().status;
  const { describeWhenScored, regenerateDescription, stopGenerating } = useChatActions();
  const scored = score?.status === 'done';
  const interrupted = description?.interrupted === true;

  useEffect(() => {
    if (scored && modelStatus === 'ready') describeWhenScored(photoId);
  }, [scored, modelStatus, interrupted, photoId, describeWhenScored]);

  const busy = description?.status === 'waiting' || description?.status === 'streaming';
  return (
    <section
      className="description"
      data-testid="description"
      data-status={description?.status ?? 'none'}
      aria-busy={busy}
      aria-live="polite"
    >
      <header className="description__header">
        <h2>Quality description</h2>
        {busy ? (
          <button type="button" onClick={() => stopGenerating(photoId)}>
            Stop
          </button>
        ) : (
          description && (
            <button
              type="button"
              onClick={() => regenerateDescription(photoId)}
              disabled={modelStatus !== 'ready'}
            >
              Regenerate
            </button>
          )
        )}
      </header>
      {!description && (
        <p className="description__placeholder">
          {!scored
            ? 'The description follows the score.'
            : 'The description starts when the model is free…'}
        </p>
      )}
      {description?.status === 'waiting' && (
        <p className="description__placeholder">Reading the photo…</p>
      )}
      {(interrupted || description?.restarted) && (
        <p className="description__note" role="status" data-testid="description-interrupted">
          {interrupted
            ? 'Paused when you switched to another photo, so that photo’s text could start first; it starts again when the model is free.'
            : 'Started again: it was paused while you looked at another photo.'}
        </p>
      )}
      {description && description.text && (
        <ModelText text={description.text} testId="description-text" />
      )}
      {description && <GenerationMeta generated={description} testIdPrefix="description" />}
      {description?.status === 'failed' && description.error && (
        <div role="alert" className="description__error">
          <p>The description failed: {description.error.message}</p>
          {description.error.advice && <p>{description.error.advice}</p>}
        </div>
      )}
      {description?.prompt && description.status !== 'streaming' && (
        <p className="description__note">
          {description.sampled ? 'Sampled' : 'Greedy'} answer to “Describe and evaluate the quality
          of the image.”; prompt {description.prompt.tokens} tokens, read in{' '}
          {formatDuration(description.prompt.encodeMs + description.prompt.prefillMs)}.
        </p>
      )}
    </section>
  );
}
