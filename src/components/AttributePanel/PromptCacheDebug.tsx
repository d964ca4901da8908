import { usePromptCache, useAttributeActions } from '../../store/hooks/useAttributes.ts';
import { usePhotoList } from '../../store/hooks/usePhotos.ts';

const CACHE_KIND_NAMES = {
  photo: 'prefix',
  conversation: 'conversation',
  questions: 'the attribute questions’ shared opening',
} as const;

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * What the model worker keeps of each photo's prompts (its prefix and conversations), for the
 * curious and the tests: refreshed when opened and on request.
 */
export function PromptCacheDebug() {
  const status = usePromptCache();
  const { refreshPromptCache } = useAttributeActions();
  const photos = usePhotoList();
  const nameOf = (id: string) => photos.find((p) => p.id === id)?.name ?? id;
  return (
    <details
      className="prompt-cache-debug"
      data-testid="prompt-cache"
      onToggle={(event) => {
        if ((event.target as HTMLDetailsElement).open) void refreshPromptCache();
      }}
    >
      <summary>
        Prompt cache:{' '}
        {status
          ? `${MB(status.usedBytes)} of ${MB(status.budgetBytes)}, ${status.entries.length} entries`
          : 'not read yet'}
      </summary>
      <button type="button" onClick={() => void refreshPromptCache()}>
        Refresh
      </button>
      {status && (
        <ul>
          {status.entries.map((entry, i) => (
            <li
              key={i}
              data-testid="prompt-cache-entry"
              data-photo-id={entry.photoId}
              data-kind={entry.kind}
            >
              {nameOf(entry.photoId)}: {CACHE_KIND_NAMES[entry.kind]}, {entry.tokens} tokens,{' '}
              {MB(entry.bytes)}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
