import { formatBytes, formatDuration } from '../../lib/format.ts';
import { describeDtypes } from '../../model/precision.ts';
import { DEFAULT_HUB_HOST, hubHostName } from '../../model/source.ts';
import { useChatSettings } from '../../store/hooks/useChat.ts';
import { isolationProblem } from '../../offline/isolation.ts';
import { useModelActions, useModelState } from '../../store/hooks/useModel.ts';
import { ModelSettings } from '../ModelSettings/ModelSettings.tsx';
import { ModelStorage } from '../ModelStorage/ModelStorage.tsx';
import './ModelStatus.css';

const deviceName = (device: string | null) => (device === 'webgpu' ? 'WebGPU' : 'WASM (CPU)');

/** Where the model stands: download consent, per-file progress, ready, or what went wrong. */
export function ModelStatus() {
  const m = useModelState();
  const chatNotice = useChatSettings().notice;
  const { startModel, cancelModelDownload } = useModelActions();
  const total = m.files.reduce((sum, f) => sum + (f.bytes ?? 0), 0);
  const unknownSizes = m.files.some((f) => f.bytes === null);
  const toDownload = m.files.filter((f) => !f.cached);
  const precision = m.dtypes ? describeDtypes(m.dtypes) : '…';
  const host = hubHostName(m.hubHost);
  const unanswered = m.files.some((f) => f.unreachable && !f.cached);

  return (
    <section
      className={`model-status model-status--${m.status}`}
      aria-label="Quality model"
      data-testid="model-status"
      data-status={m.status}
    >
      {m.notice && (
        <p className="model-status__notice" data-testid="model-notice">
          {m.notice}
        </p>
      )}
      {chatNotice && (
        <p className="model-status__notice" data-testid="chat-notice">
          {chatNotice}
        </p>
      )}
      {(m.status === 'probing' || m.status === 'inspecting') && (
        <p>Checking this device and the model files…</p>
      )}

      {m.status === 'needs-consent' && (
        <div className="model-status__consent">
          <p>
            Scoring needs the quality model <strong>{m.source.id}</strong> ({precision},{' '}
            {deviceName(m.device)}) from{' '}
            <strong data-testid="download-host">
              {m.source.kind === 'local' ? 'this app’s own server' : host}
            </strong>
            {m.source.kind === 'hub' && m.hubHost !== DEFAULT_HUB_HOST
              ? ' (chosen by this link or build, not the usual huggingface.co)'
              : ''}
            :{' '}
            <strong data-testid="download-size">
              {total > 0
                ? `${unknownSizes ? 'at least ' : ''}${formatBytes(total)}`
                : 'size unknown'}
            </strong>{' '}
            to download
            {toDownload.length < m.files.length
              ? ` (${m.files.length - toDownload.length} files already cached)`
              : ''}
            . It is downloaded once and kept in this browser; photos are never uploaded.
          </p>
          {unanswered && (
            <p className="model-status__problem" data-testid="host-warning">
              {m.source.kind === 'local' ? 'This app’s server' : host} did not answer just now
              (offline, blocked, or a wrong address?): the download will probably fail.
            </p>
          )}
          {m.settingsProblem && <p className="model-status__problem">{m.settingsProblem}</p>}
          <button
            type="button"
            onClick={() => void startModel()}
            disabled={m.settingsProblem !== null}
          >
            Download and load the model
          </button>
        </div>
      )}

      {m.status === 'loading' && (
        <div className="model-status__loading">
          <p>
            {m.stage ?? 'Loading…'} {deviceName(m.device)}, {precision}
          </p>
          <ul className="model-status__files">
            {Object.values(m.progress).map((p) => (
              <li key={p.file} data-testid="file-progress">
                <span className="model-status__file">{p.file}</span>
                <progress max={p.total || 1} value={p.done ? p.total || 1 : p.loaded} />
                <span>
                  {p.done
                    ? `${formatBytes(p.total)} done`
                    : `${formatBytes(p.loaded)} / ${formatBytes(p.total)} · ${formatBytes(p.rate)}/s`}
                </span>
              </li>
            ))}
          </ul>
          <button type="button" onClick={cancelModelDownload} data-testid="cancel-download">
            Cancel download
          </button>
        </div>
      )}

      {m.status === 'ready' && m.loaded && (
        <p className="model-status__ready" data-testid="model-ready">
          Model ready: <strong>{m.loaded.source.id}</strong> on{' '}
          <strong data-testid="model-backend">{deviceName(m.loaded.device)}</strong>
          {m.loaded.device === 'wasm' && (
            <span data-testid="model-threads" data-threads={m.loaded.wasmThreads}>
              {' '}
              with{' '}
              {m.loaded.wasmThreads > 1
                ? `${m.loaded.wasmThreads} threads`
                : '1 thread (page not cross-origin isolated)'}
            </span>
          )}
          , <strong data-testid="model-precision">{describeDtypes(m.loaded.dtypes)}</strong>, loaded
          in {formatDuration(m.loaded.loadMs)}
          {m.loaded.fromCache ? ' from this browser’s cache' : ''}.
          {m.loaded.fallbackReason && (
            <span className="model-status__problem"> {m.loaded.fallbackReason}</span>
          )}
          {(m.loaded.resumedDownloads ?? 0) > 0 && (
            <span data-testid="download-resumed">
              {' '}
              The connection dropped during the download{' '}
              {m.loaded.resumedDownloads === 1 ? 'once' : `${m.loaded.resumedDownloads} times`};
              each time it was continued where it stopped, and every file arrived whole.
            </span>
          )}
        </p>
      )}
      {m.status === 'ready' && m.loaded?.notStored && (
        <p className="model-status__problem" role="status" data-testid="storage-notice">
          This browser would not keep the downloaded model ({m.loaded.notStored.reason}: its storage
          is full, {m.loaded.notStored.files.length} files not kept). It runs from memory for this
          visit; the next visit downloads it again. Free some disk space, or delete other sites’
          data, to keep it.
        </p>
      )}

      {m.status === 'failed' && m.error && (
        <div className="model-status__error" role="alert" data-testid="model-error">
          <p>
            <strong>The model could not be loaded.</strong> {m.error.message}
          </p>
          {m.error.advice && <p>{m.error.advice}</p>}
          <button type="button" onClick={() => void startModel()}>
            Try again
          </button>
        </div>
      )}

      <details className="model-status__settings">
        <summary>Model settings</summary>
        <ModelSettings />
        <ModelStorage />
        {m.caps && (
          <p className="model-status__caps">
            This device:{' '}
            {m.caps.webgpu
              ? `WebGPU${m.caps.shaderF16 ? ' with shader-f16' : ' (no shader-f16)'}`
              : `no WebGPU (${m.caps.webgpuProblem ?? 'unavailable'})`}
            {m.caps.adapterName ? ` · ${m.caps.adapterName}` : ''} ·{' '}
            <span data-testid="isolation" data-isolated={m.caps.crossOriginIsolated}>
              {m.caps.crossOriginIsolated
                ? `${m.caps.threads} CPU threads, multi-threaded WASM (cross-origin isolated)`
                : `single-threaded WASM: page not cross-origin isolated (${isolationProblem()})`}
            </span>
          </p>
        )}
      </details>
    </section>
  );
}
