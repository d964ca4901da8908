import type { GeneratedText } from '../../store/chatSlice.ts';
import './GenerationMeta.css';

const ENDINGS: Record<string, string> = {
  end: '',
  'max-tokens': ' · reached the length limit',
  cancelled: ' · stopped',
};

/** Tokens, tokens/s and how the text ended, for a description or an answer. */
export function GenerationMeta({
  generated,
  testIdPrefix,
}: {
  generated: GeneratedText;
  testIdPrefix: string;
}) {
  if (generated.tokens === 0 && generated.status !== 'stopped') return null;
  const ending =
    generated.status === 'stopped'
      ? ' · stopped'
      : generated.stopReason
        ? (ENDINGS[generated.stopReason] ?? '')
        : '';
  return (
    <p className="generation-meta" data-testid={`${testIdPrefix}-meta`}>
      <span data-testid={`${testIdPrefix}-tokens`}>{generated.tokens} tokens</span>
      {generated.tokensPerSecond > 0 && (
        <>
          {' · '}
          <span data-testid={`${testIdPrefix}-rate`}>
            {generated.tokensPerSecond.toFixed(1)} tokens/s
          </span>
        </>
      )}
      {ending}
    </p>
  );
}
