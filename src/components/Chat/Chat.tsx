import { useState, type FormEvent } from 'react';
import { SUGGESTED_QUESTIONS, type QuestionKind } from '../../model/questions.ts';
import { useChatActions, useIsGenerating, usePhotoChat } from '../../store/hooks/useChat.ts';
import { useModelState } from '../../store/hooks/useModel.ts';
import { ExchangeItem } from './ExchangeItem.tsx';
import { PromptDebug } from './PromptDebug.tsx';
import './Chat.css';

/**
 * A conversation about the photo's quality. Each question goes to the model with the photo and
 * everything said before (the description first); answers stream in and can be stopped.
 */
export function Chat({ photoId }: { photoId: string }) {
  const chat = usePhotoChat(photoId);
  const generating = useIsGenerating(photoId);
  const ready = useModelState().status === 'ready';
  const { askQuestion, stopGenerating, clearChat } = useChatActions();
  const [draft, setDraft] = useState('');

  const ask = (text: string, kind?: QuestionKind) => {
    if (!text.trim() || generating || !ready) return;
    askQuestion(photoId, text, kind);
    setDraft('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask(draft);
  };

  return (
    <section className="chat" data-testid="chat" aria-label="Ask about this photo">
      <header className="chat__header">
        <h2>Ask about this photo</h2>
        <button
          type="button"
          className="chat__secondary"
          onClick={() => clearChat(photoId)}
          disabled={chat.exchanges.length === 0}
        >
          Clear
        </button>
      </header>
      {chat.exchanges.length > 0 && (
        <ol className="chat__exchanges">
          {chat.exchanges.map((exchange) => (
            <ExchangeItem key={exchange.id} exchange={exchange} photoId={photoId} />
          ))}
        </ol>
      )}
      <div className="chat__suggestions" aria-label="Suggested questions">
        {SUGGESTED_QUESTIONS.map((q) => (
          <button
            key={q.text}
            type="button"
            className="chat__suggestion"
            data-testid="suggested-question"
            disabled={generating || !ready}
            onClick={() => ask(q.text, q.kind)}
          >
            {q.text.split('\n')[0]}
          </button>
        ))}
      </div>
      <form className="chat__form" onSubmit={submit}>
        <textarea
          aria-label="Your question"
          rows={2}
          value={draft}
          placeholder="Is the sky noisy? How could I shoot this better?"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              ask(draft);
            }
          }}
        />
        {generating ? (
          <button type="button" onClick={() => stopGenerating(photoId)}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!draft.trim() || !ready}>
            Ask
          </button>
        )}
      </form>
      {generating && (
        <p className="chat__hint">The model is writing; ask again when it is done, or stop it.</p>
      )}
      <PromptDebug prompt={chat.lastPrompt} />
    </section>
  );
}
