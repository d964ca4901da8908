import { formatDuration } from '../../lib/format.ts';
import type { PromptInfo } from '../../model/protocol.ts';

const REUSED_FROM = {
  photo: "photo's cached prefix",
  conversation: "conversation's cache",
  questions: "attribute questions' shared opening",
} as const;

/** The last prompt the model read for this photo, image tokens collapsed (for the curious and tests). */
export function PromptDebug({ prompt }: { prompt: PromptInfo | null }) {
  if (!prompt) return null;
  return (
    <details
      className="prompt-debug"
      data-testid="last-prompt"
      data-reused-from={prompt.reusedFrom ?? 'none'}
      data-reused-tokens={prompt.reusedTokens}
    >
      <summary>
        Last prompt: <span data-testid="last-prompt-tokens">{prompt.tokens}</span> tokens of{' '}
        {prompt.contextTokens},{' '}
        {prompt.encodeMs === 0
          ? 'photo features reused'
          : `photo encoded in ${formatDuration(prompt.encodeMs)}`}
        {prompt.reusedFrom
          ? `, ${prompt.reusedTokens} tokens continued from the ${REUSED_FROM[prompt.reusedFrom]}`
          : ', prefilled in full'}
        {prompt.droppedExchanges > 0 && `, ${prompt.droppedExchanges} earlier exchanges left out`}
      </summary>
      <pre data-testid="last-prompt-text">{prompt.text}</pre>
    </details>
  );
}
