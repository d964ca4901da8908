import { useEffect } from 'react';
import { formatBytes } from '../../lib/format.ts';
import { useModelState } from '../../store/hooks/useModel.ts';
import { useStorageActions, useStorageState } from '../../store/hooks/useStorage.ts';
import { ForgetAllShoots } from '../SavedShoot/ForgetAllShoots.tsx';

const persistence = (persisted: boolean | null) =>
  persisted === true
    ? 'kept until you delete it (persistent storage granted)'
    : persisted === false
      ? 'the browser may clear it when the disk runs low (persistent storage not granted)'
      : 'this browser does not say whether it keeps it';

/**
 * Model settings' storage lines: the model's size in the browser cache, the site's usage and
 * room left, persistence, and "Delete downloaded model" with what it freed.
 */
export function ModelStorage() {
  const s = useStorageState();
  const m = useModelState();
  const { refreshStorage, deleteDownloadedModel } = useStorageActions();
  useEffect(() => {
    void refreshStorage();
  }, [refreshStorage, m.status]);

  const kept = s.model && s.model.files > 0 ? s.model : null;
  return (
    <div className="model-storage" data-testid="model-storage">
      <p data-testid="storage-model">
        {kept
          ? `This model in this browser: ${formatBytes(kept.bytes)} in ${kept.files} files, ${persistence(s.persisted)}.`
          : 'This model is not stored in this browser: the next visit downloads it.'}
      </p>
      {s.figures && (
        <p data-testid="storage-usage" data-usage={s.figures.usage} data-quota={s.figures.quota}>
          This site uses {formatBytes(s.figures.usage)}; the browser allows it{' '}
          {formatBytes(s.figures.quota)} (
          {formatBytes(Math.max(0, s.figures.quota - s.figures.usage))} still available).
        </p>
      )}
      <button
        type="button"
        onClick={() => void deleteDownloadedModel()}
        disabled={!kept || s.deleting}
        data-testid="delete-model"
      >
        Delete downloaded model
      </button>
      {s.freed && (
        <p role="status" data-testid="storage-freed" data-bytes={s.freed.bytes}>
          Deleted {s.freed.files} files, {formatBytes(s.freed.bytes)} freed
          {s.freed.usageBefore !== null && s.freed.usageAfter !== null
            ? ` (this site: ${formatBytes(s.freed.usageBefore)} → ${formatBytes(s.freed.usageAfter)})`
            : ''}
          .{' '}
          {m.status === 'ready'
            ? 'The model keeps running from memory until this page is reloaded; the next visit downloads it again.'
            : 'The next visit downloads it again.'}
        </p>
      )}
      {s.error && <p className="model-status__problem">{s.error}</p>}
      <ForgetAllShoots />
    </div>
  );
}
